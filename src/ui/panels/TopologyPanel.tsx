import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { firstHost, useLab } from '../../store/labStore';
import { useLayout } from '../../store/layout';
import { describeTopology } from '../a11y/describe';
import { MermaidView } from '../diagram/MermaidView';
import { TokenAnimator } from '../diagram/tokens';
import type { NodeRef, TokenSpec, TopologyModel, TopologyNode } from '../diagram/topology';
import { TokenLegend, tokenPlace, useLiveTopology, useNewTokens } from './liveTopology';

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
  // The graph is redrawn only when a host pair first connects beyond the static routes, or
  // a host goes down or comes back.
  const live = useLiveTopology();
  const { scenario, index, model, speed, version } = live;

  const description = useMemo(() => describeTopology(scenario, model), [scenario, model]);
  const [rendered, setRendered] = useState<Rendered>();
  const overlay = useRef<HTMLDivElement>(null);
  const animator = useRef<TokenAnimator | undefined>(undefined);
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
        const request = tokenPlace(model, rendered, spec.from, spec.to);
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

  // New events → tokens.
  const rebuilt = useCallback(() => {
    waitingForEdge.current = [];
    animator.current?.clear();
  }, []);
  useNewTokens(live, rendered !== undefined, 400, send, rebuilt);

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
      <TokenLegend className="legend">
        <li className="down-key">⊘ host down (dashed red border)</li>
      </TokenLegend>
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

function nodeLabel(model: TopologyModel, id: string): string {
  const node = model.nodes.find((n) => n.id === id);
  if (!node) return id;
  return node.users ? `mailboxes@${node.host}` : node.host;
}

function shortName(ref: NodeRef): string {
  return ref.user ? `${ref.user}'s mailbox` : ref.host.split('.')[0]!;
}
