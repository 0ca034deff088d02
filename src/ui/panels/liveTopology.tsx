/**
 * What the workspace's topology and the presenter's share: the model of the running world,
 * the tokens for the trace's new events and where they travel, and the key to the tokens'
 * colours.
 */
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useLab } from '../../store/labStore';
import type { Drawn } from '../diagram/TopologyStage';
import type { TokenRequest } from '../diagram/tokens';
import {
  buildTopology,
  nodeFor,
  TOKEN_KINDS,
  tokensFor,
  type NodeRef,
  type TokenKind,
  type TokenSpec,
  type TopologyModel,
} from '../diagram/topology';
import { useThrottledVersion } from '../hooks';
import { traceIndex } from '../model/traceIndex';

/**
 * The world's topology as it runs: the scenario's hosts and routes, an edge for each host
 * pair seen connecting beyond them, and the hosts down now. The model is rebuilt only when
 * one of those changes; `version` follows the trace (ten times a second in fast playback).
 */
export function useLiveTopology() {
  const runtime = useLab((s) => s.runtime);
  const speed = useLab((s) => s.speed);
  const fast = useLab((s) => s.playing && s.speed >= 4);
  const version = useThrottledVersion(fast ? 100 : 0);
  const world = runtime.lab.world;
  const scenario = runtime.scenario;
  const index = traceIndex(world);

  const staticModel = useMemo(() => buildTopology(scenario), [scenario]);
  const extraKey = [...index.pairs]
    .filter((p) => !hasEdge(staticModel, p))
    .sort()
    .join('|');
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
  return { world, scenario, index, model, speed, version };
}

export type LiveTopology = ReturnType<typeof useLiveTopology>;

/**
 * Hands `send` the tokens of the trace's new events once `ready`: of at most the `latest`
 * events when far more came at once (fast playback). A rebuilt world (stepping back) starts
 * from its end, unanimated: `rebuilt` is called instead.
 */
export function useNewTokens(
  { world, index, version }: LiveTopology,
  ready: boolean,
  latest: number,
  send: (specs: TokenSpec[]) => void,
  rebuilt: () => void,
): void {
  const cursor = useRef({ world, at: world.trace.events.length });
  useEffect(() => {
    const events = world.trace.events;
    if (cursor.current.world !== world) {
      cursor.current = { world, at: events.length };
      rebuilt();
      return;
    }
    const from = cursor.current.at;
    if (!ready || from >= events.length) return;
    cursor.current.at = events.length;
    // Events may have arrived since the render: the index must know them too (a reply's
    // connection, a delivery's DSN), or their tokens come out wrong.
    index.sync();
    const specs: TokenSpec[] = [];
    for (let i = Math.max(from, events.length - latest); i < events.length; i++) {
      specs.push(...tokensFor(events[i]!, index));
    }
    send(specs);
  }, [version, world, index, ready, latest, send, rebuilt]);
}

/**
 * The key to the tokens: each kind's glyph and colour, named (`short`: in a word, what it
 * means in the item's tooltip).
 */
export function TokenLegend({
  className,
  short = false,
  children,
}: {
  className: string;
  short?: boolean;
  /** More entries after the kinds'. */
  children?: ReactNode;
}) {
  return (
    <ul className={className} aria-label="Token colours">
      {(Object.keys(TOKEN_KINDS) as TokenKind[]).map((k) => (
        <li key={k} className={`kind-${k}`} title={short ? TOKEN_KINDS[k].title : undefined}>
          <span className="swatch" aria-hidden="true">
            {TOKEN_KINDS[k].glyph}
          </span>
          {short ? TOKEN_KINDS[k].name : TOKEN_KINDS[k].title}
        </li>
      ))}
      {children}
    </ul>
  );
}

/**
 * Where a token from `from` to `to` travels on the drawn diagram: along an edge, or on one
 * node when both ends are on it; 'no-edge' where the two are not joined (yet: a redraw may
 * add the edge); undefined where an end is not drawn.
 */
export function tokenPlace(
  model: TopologyModel,
  drawn: Drawn,
  from: NodeRef,
  to: NodeRef,
): Omit<TokenRequest, 'label' | 'glyph' | 'kind'> | 'no-edge' | undefined {
  const a = nodeFor(model, from)?.id;
  const b = nodeFor(model, to)?.id;
  if (!a || !b) return undefined;
  if (a === b) {
    const node = drawn.nodes.get(a);
    return node ? { from: name(from), to: name(to), node } : undefined;
  }
  const edge = model.edges.find((e) => (e.a === a && e.b === b) || (e.a === b && e.b === a));
  if (!edge) return 'no-edge';
  const path = drawn.edges.get(edge.id);
  if (!path) return 'no-edge';
  return { from: name(from), to: name(to), path, edgeId: edge.id, reverse: edge.a !== a };
}

/** A node's name in data attributes: the host, or user@host for a mailbox. */
function name(ref: NodeRef): string {
  return ref.user ? `${ref.user}@${ref.host}` : ref.host;
}

function hasEdge(model: TopologyModel, pair: string): boolean {
  const [a, b] = pair.split(' ');
  const ids = [a, b].map((h) => model.nodes.find((n) => n.host === h && !n.users)?.id);
  if (!ids[0] || !ids[1]) return true; // a host outside the scenario: nothing to draw
  return model.edges.some(
    (e) => (e.a === ids[0] && e.b === ids[1]) || (e.a === ids[1] && e.b === ids[0]),
  );
}
