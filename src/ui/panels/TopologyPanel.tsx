import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { firstHost, useLab } from '../../store/labStore';
import { useLayout } from '../../store/layout';
import { describeTopology } from '../a11y/describe';
import { MermaidView } from '../diagram/MermaidView';
import { TokenAnimator, type TokenRequest } from '../diagram/tokens';
import {
  TOKEN_KINDS,
  buildTopology,
  nodeFor,
  tokensFor,
  type NodeRef,
  type TokenKind,
  type TokenSpec,
  type TopologyModel,
  type TopologyNode,
} from '../diagram/topology';
import { useThrottledVersion } from '../hooks';
import { traceIndex } from '../model/traceIndex';

interface Rendered {
  svg: SVGSVGElement;
  edges: Map<string, SVGPathElement>;
  nodes: Map<string, SVGGElement>;
}

/**
 * The world's hosts grouped by domain, with tokens travelling along the edges as the
 * trace grows: connections, DNS queries and answers, relay hops, deliveries, bounces (red)
 * and deferrals (amber). Click a host to open a terminal on it, a mailbox to read it.
 */
export default function TopologyPanel() {
  const runtime = useLab((s) => s.runtime);
  const speed = useLab((s) => s.speed);
  const fast = useLab((s) => s.playing && s.speed >= 4);
  const version = useThrottledVersion(fast ? 100 : 0);
  const world = runtime.lab.world;
  const scenario = runtime.scenario;
  const index = traceIndex(world);

  // Edges for host pairs seen connecting beyond the static routes; the graph is redrawn
  // only when such a pair first appears.
  const staticModel = useMemo(() => buildTopology(scenario), [scenario]);
  const extraKey = [...index.pairs]
    .filter((p) => !hasEdge(staticModel, p))
    .sort()
    .join('|');
  // Hosts down at this moment (a fault may end): redrawn only when that changes.
  const downKey = scenario.hosts
    .filter((h) => world.net.hostByName(h.name)?.up === false)
    .map((h) => h.name)
    .join(' ');
  const model = useMemo(
    () =>
      buildTopology(
        scenario,
        extraKey ? extraKey.split('|').map((p) => p.split(' ') as [string, string]) : [],
        new Set(downKey ? downKey.split(' ') : []),
      ),
    [scenario, extraKey, downKey],
  );

  const description = useMemo(() => describeTopology(scenario, model), [scenario, model]);
  const [rendered, setRendered] = useState<Rendered>();
  const overlay = useRef<HTMLDivElement>(null);
  const animator = useRef<TokenAnimator | undefined>(undefined);
  const cursor = useRef({ world, at: world.trace.events.length });
  const root = useRef<HTMLDivElement>(null);
  // What the activity list shows is refreshed at most twice a second (cheap during playback).
  const [shown, setShown] = useState<{ recent: string[]; dropped: number }>({
    recent: [],
    dropped: 0,
  });
  const pending = useRef<{ recent: string[]; timer: ReturnType<typeof setTimeout> | undefined }>({
    recent: [],
    timer: undefined,
  });
  const refresh = useCallback(() => {
    if (pending.current.timer) return;
    pending.current.timer = setTimeout(() => {
      pending.current.timer = undefined;
      setShown({ recent: pending.current.recent, dropped: animator.current?.dropped ?? 0 });
    }, 500);
  }, []);
  useEffect(() => () => clearTimeout(pending.current.timer), []);

  const onRendered = useCallback(
    (host: HTMLDivElement) => {
      const svg = host.querySelector('svg');
      if (!svg) return;
      // Fit the pane: the viewBox scales, tokens follow (they map through the CTM).
      svg.setAttribute('width', '100%');
      svg.setAttribute('height', '100%');
      svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
      svg.style.maxWidth = 'none';
      const edges = new Map<string, SVGPathElement>();
      for (const path of svg.querySelectorAll<SVGPathElement>('path[data-edge="true"]')) {
        const id = path.dataset.id;
        const edge = model.edges.find((e) => e.id === id);
        if (!id || !edge) continue;
        edges.set(id, path);
        // Which nodes it joins (drawn from a to b), for tests and tools.
        path.setAttribute('data-a', nodeLabel(model, edge.a));
        path.setAttribute('data-b', nodeLabel(model, edge.b));
        path.setAttribute('data-kind', edge.kind);
      }
      const nodes = new Map<string, SVGGElement>();
      for (const g of svg.querySelectorAll<SVGGElement>('g.node')) {
        const id = /-flowchart-([hm]\d+)-\d+$/.exec(g.id)?.[1];
        if (!id) continue;
        nodes.set(id, g);
        const node = model.nodes.find((n) => n.id === id);
        if (!node) continue;
        g.dataset.host = node.host;
        if (node.users) g.dataset.mailboxes = node.users.join(' ');
        if (node.down) g.dataset.down = 'true';
        g.setAttribute('role', 'button');
        g.setAttribute('tabindex', '0');
        // Mermaid draws each line of a label as a tspan: a space between the lines keeps
        // their words apart where the text is read as one string (accessible names).
        const rows = g.querySelectorAll('tspan.row');
        for (const row of [...rows].slice(0, -1)) row.append(' ');
        labelNode(g, node);
        const activate = () => {
          if (node.users) {
            useLayout.getState().set({ view: 'mailboxes' });
            window.dispatchEvent(
              new CustomEvent('smtp-lab:open-mailbox', { detail: `${node.users[0]}@${node.host}` }),
            );
          } else {
            const { runtime } = useLab.getState();
            useLab.getState().openTerminal(node.host);
            useLayout.getState().showTerminal(node.host, [firstHost(runtime.scenario)]);
          }
        };
        g.addEventListener('click', activate);
        g.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            activate();
          }
        });
      }
      animator.current?.dispose();
      if (!overlay.current) return;
      animator.current = new TokenAnimator(svg, overlay.current, () => {
        // Counters for tests and tools, without a React render per token.
        const el = root.current;
        if (el && animator.current) {
          el.dataset.tokensStarted = String(animator.current.started);
          el.dataset.tokensDropped = String(animator.current.dropped);
        }
        if (animator.current?.dropped) refresh();
      });
      animator.current.prepare([
        ...[...edges.values()].map((path) => ({ element: path, path })),
        ...[...nodes.values()].map((element) => ({ element })),
      ]);
      setRendered({ svg, edges, nodes });
    },
    [model, refresh],
  );

  useEffect(() => () => animator.current?.dispose(), []);
  useEffect(() => animator.current?.setSpeed(speed), [speed, rendered]);

  // Tokens whose edge appears only once the diagram is redrawn with a new host pair.
  const waitingForEdge = useRef<TokenSpec[]>([]);

  const send = useCallback(
    (specs: readonly TokenSpec[]) => {
      if (!rendered || !animator.current) return;
      const labels: string[] = [];
      for (const spec of specs) {
        const request = toRequest(model, rendered, spec.from, spec.to);
        if (request === 'no-edge') {
          waitingForEdge.current = [...waitingForEdge.current, spec].slice(-50);
          continue;
        }
        if (!request) continue;
        animator.current.add({ ...request, kind: spec.kind, label: spec.label, glyph: spec.glyph });
        labels.push(
          `${spec.glyph} ${spec.label} (${shortName(spec.from)} → ${shortName(spec.to)})`,
        );
      }
      if (labels.length) {
        pending.current.recent = [...pending.current.recent, ...labels].slice(-3);
        refresh();
      }
    },
    [model, rendered, refresh],
  );

  // A redrawn diagram: send what waited for its edge.
  useEffect(() => {
    const waiting = waitingForEdge.current;
    waitingForEdge.current = [];
    if (waiting.length) send(waiting);
  }, [send]);

  // New events → tokens. A rebuilt world (stepping back) starts from its end, unanimated.
  useEffect(() => {
    const events = world.trace.events;
    if (cursor.current.world !== world) {
      cursor.current = { world, at: events.length };
      waitingForEdge.current = [];
      animator.current?.clear();
      return;
    }
    const from = cursor.current.at;
    if (!rendered || from >= events.length) return;
    cursor.current.at = events.length;
    // Events may have arrived since the render: the index must know them too (a reply's
    // connection, a delivery's DSN), or their tokens come out wrong.
    index.sync();
    // Far more events than can be shown (fast playback): look only at the latest ones.
    const specs: TokenSpec[] = [];
    for (let i = Math.max(from, events.length - 400); i < events.length; i++) {
      specs.push(...tokensFor(events[i]!, index));
    }
    send(specs);
  }, [version, world, rendered, index, send]);

  // Ports found closed: a badge next to the host.
  useEffect(() => {
    if (!rendered) return;
    for (const [id, g] of rendered.nodes) {
      const node = model.nodes.find((n) => n.id === id);
      const ports = node && !node.users ? index.closedPorts.get(node.host) : undefined;
      let badge = g.querySelector<SVGTextElement>('text.closed-ports');
      if (!ports?.size) {
        if (badge) {
          badge.remove();
          if (node) labelNode(g, node);
        }
        continue;
      }
      if (!badge) {
        badge = document.createElementNS('http://www.w3.org/2000/svg', 'text');
        badge.setAttribute('class', 'closed-ports');
        const box = g.getBBox();
        badge.setAttribute('x', String(box.x));
        badge.setAttribute('y', String(box.y + box.height + 14));
        g.appendChild(badge);
      }
      badge.textContent = `✖ closed: port ${[...ports].sort((a, b) => a - b).join(', ')}`;
      g.setAttribute('data-closed-ports', [...ports].join(','));
      if (node) labelNode(g, node);
    }
  }, [version, rendered, model, index]);

  return (
    <div className="topology" data-testid="topology" ref={root}>
      <div className="topology-stage">
        <MermaidView
          source={model.source}
          kind="flowchart"
          title="Topology of the mail world"
          testId="topology-diagram"
          description={description}
          interactive
          onRendered={onRendered}
        />
        <div className="token-overlay" ref={overlay} aria-hidden="true" data-testid="tokens" />
      </div>
      <ul className="legend" aria-label="Token colours">
        {(Object.keys(TOKEN_KINDS) as TokenKind[]).map((k) => (
          <li key={k} className={`kind-${k}`}>
            <span className="swatch" aria-hidden="true">
              {TOKEN_KINDS[k].glyph}
            </span>
            {TOKEN_KINDS[k].title}
          </li>
        ))}
        <li className="down-key">⊘ host down (dashed red border)</li>
      </ul>
      <ol className="activity" aria-label="Latest activity on the diagram">
        {shown.recent.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
        {shown.dropped > 0 && (
          <li className="muted">{shown.dropped} tokens skipped to keep up with playback</li>
        )}
      </ol>
    </div>
  );
}

/** What activating a node does, then everything it shows (its accessible name). */
function labelNode(g: SVGGElement, node: TopologyNode): void {
  const action = node.users
    ? `Open the mailboxes on ${node.host}`
    : `Open a terminal on ${node.host}${node.down ? ' (down)' : ''}`;
  const shown = (g.textContent ?? '').replace(/\s+/g, ' ').trim();
  g.setAttribute('aria-label', `${action}: ${shown}`);
}

/** A node's name in data attributes: the host, or user@host for a mailbox. */
function name(ref: NodeRef): string {
  return ref.user ? `${ref.user}@${ref.host}` : ref.host;
}

function nodeLabel(model: TopologyModel, id: string): string {
  const node = model.nodes.find((n) => n.id === id);
  if (!node) return id;
  return node.users ? `mailboxes@${node.host}` : node.host;
}

function shortName(ref: NodeRef): string {
  return ref.user ? `${ref.user}'s mailbox` : ref.host.split('.')[0]!;
}

function nodeId(model: TopologyModel, ref: NodeRef): string | undefined {
  return nodeFor(model, ref)?.id;
}

function hasEdge(model: TopologyModel, pair: string): boolean {
  const [a, b] = pair.split(' ');
  const ids = [a, b].map((h) => model.nodes.find((n) => n.host === h && !n.users)?.id);
  if (!ids[0] || !ids[1]) return true; // a host outside the scenario: nothing to draw
  return model.edges.some(
    (e) => (e.a === ids[0] && e.b === ids[1]) || (e.a === ids[1] && e.b === ids[0]),
  );
}

function toRequest(
  model: TopologyModel,
  rendered: Rendered,
  from: NodeRef,
  to: NodeRef,
): Omit<TokenRequest, 'label' | 'glyph' | 'kind'> | 'no-edge' | undefined {
  const a = nodeId(model, from);
  const b = nodeId(model, to);
  if (!a || !b) return undefined;
  if (a === b) {
    const node = rendered.nodes.get(a);
    return node ? { from: name(from), to: name(to), node } : undefined;
  }
  const edge = model.edges.find((e) => (e.a === a && e.b === b) || (e.a === b && e.b === a));
  if (!edge) return 'no-edge';
  const path = rendered.edges.get(edge.id);
  if (!path) return 'no-edge';
  return { from: name(from), to: name(to), path, edgeId: edge.id, reverse: edge.a !== a };
}
