import { useEffect, useMemo, useRef, useState } from 'react';
import { useLab } from '../../store/labStore';
import { TokenAnimator } from '../diagram/tokens';
import {
  buildTopology,
  nodeFor,
  TOKEN_KINDS,
  tokensFor,
  type TokenKind,
  type TokenSpec,
} from '../diagram/topology';
import { useThrottledVersion } from '../hooks';
import { traceIndex } from '../model/traceIndex';
import { NODE, stageLayout } from './stageLayout';

/**
 * The topology for a room: the workspace's model (hosts by domain, the routes mail takes,
 * hosts seen connecting, hosts down now) in a few large boxes, with the same animated
 * tokens (diagram/tokens.ts) for each connection, DNS lookup, relay, delivery and bounce.
 */
export function PresenterTopology() {
  const runtime = useLab((s) => s.runtime);
  const speed = useLab((s) => s.speed);
  const fast = useLab((s) => s.playing && s.speed >= 4);
  const version = useThrottledVersion(fast ? 100 : 0);
  const world = runtime.lab.world;
  const scenario = runtime.scenario;
  const index = traceIndex(world);

  const pairsKey = [...index.pairs].sort().join('|');
  const downKey = scenario.hosts
    .filter((h) => world.net.hostByName(h.name)?.up === false)
    .map((h) => h.name)
    .join(' ');
  const model = useMemo(
    () =>
      buildTopology(
        scenario,
        pairsKey ? pairsKey.split('|').map((p) => p.split(' ') as [string, string]) : [],
        new Set(downKey ? downKey.split(' ') : []),
      ),
    [scenario, pairsKey, downKey],
  );
  const layout = useMemo(() => stageLayout(model, scenario), [model, scenario]);

  const svg = useRef<SVGSVGElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const [animator, setAnimator] = useState<TokenAnimator>();
  useEffect(() => {
    if (!svg.current || !overlay.current) return;
    const a = new TokenAnimator(svg.current, overlay.current);
    setAnimator(a);
    return () => a.dispose();
  }, []);
  useEffect(() => animator?.setSpeed(speed), [animator, speed]);

  // New events → tokens; a rebuilt world (stepping back) starts from its end, unanimated.
  const cursor = useRef({ world, at: world.trace.events.length });
  useEffect(() => {
    const events = world.trace.events;
    if (cursor.current.world !== world) {
      cursor.current = { world, at: events.length };
      animator?.clear();
      return;
    }
    const from = cursor.current.at;
    if (!animator || !svg.current || from >= events.length) return;
    cursor.current.at = events.length;
    const specs: TokenSpec[] = [];
    for (let i = Math.max(from, events.length - 200); i < events.length; i++) {
      specs.push(...tokensFor(events[i]!, index));
    }
    for (const spec of specs) {
      const a = nodeFor(model, spec.from)?.id;
      const b = nodeFor(model, spec.to)?.id;
      if (!a || !b) continue;
      const names = { from: refName(spec.from), to: refName(spec.to) };
      const token = { kind: spec.kind, label: spec.label, glyph: spec.glyph, ...names };
      if (a === b) {
        const node = svg.current.querySelector<SVGGElement>(`g[data-node="${a}"]`);
        if (node) animator.add({ ...token, node });
        continue;
      }
      const edge = model.edges.find((e) => (e.a === a && e.b === b) || (e.a === b && e.b === a));
      const path =
        edge && svg.current.querySelector<SVGPathElement>(`path[data-edge="${edge.id}"]`);
      if (edge && path) animator.add({ ...token, path, edgeId: edge.id, reverse: edge.a !== a });
    }
  }, [version, world, index, model, animator]);

  const hostList = scenario.hosts.map((h) => h.name).join(', ');
  return (
    <div className="ptopo" data-testid="presenter-topology">
      <div className="ptopo-stage">
        <svg
          ref={svg}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          preserveAspectRatio="xMidYMid meet"
          role="img"
          aria-label={`Topology: ${hostList}. Moving tokens show connections, DNS lookups, relays, deliveries and bounces.`}
        >
          {layout.bands.map((band) => (
            <g key={band.domain} className="ptopo-band">
              <rect x={4} y={band.y + 4} width={layout.width - 8} height={110} rx={10} />
              <text x={16} y={band.y + 24}>
                {band.domain}
              </text>
            </g>
          ))}
          {layout.edges.map((e) => (
            <path
              key={e.key}
              d={e.d}
              className={`ptopo-edge kind-${e.kind}`}
              data-edge={e.id}
              data-a={model.nodes.find((n) => n.id === e.a)?.host}
              data-b={model.nodes.find((n) => n.id === e.b)?.host}
            />
          ))}
          {layout.nodes.map((p) => (
            <g
              key={p.node.id}
              data-node={p.node.id}
              data-host={p.node.host}
              data-down={p.node.down || undefined}
              className={`ptopo-node${p.node.users ? ' mailbox' : ''}`}
            >
              <rect x={p.x} y={p.y} width={NODE.width} height={NODE.height} rx={8} />
              <text x={p.x + NODE.width / 2} y={p.y + 32} className="title">
                {p.title}
              </text>
              <text x={p.x + NODE.width / 2} y={p.y + 58} className="detail">
                {p.detail}
              </text>
            </g>
          ))}
        </svg>
        <div className="token-overlay" ref={overlay} aria-hidden="true" />
      </div>
      <ul className="ptopo-legend" aria-label="Token colours">
        {(Object.keys(TOKEN_KINDS) as TokenKind[]).map((k) => (
          <li key={k} className={`kind-${k}`}>
            <span className="swatch" aria-hidden="true">
              {TOKEN_KINDS[k].glyph}
            </span>
            {TOKEN_KINDS[k].title.split(' (')[0]}
          </li>
        ))}
      </ul>
    </div>
  );
}

function refName(ref: TokenSpec['from']): string {
  return ref.user ? `${ref.user}@${ref.host}` : ref.host;
}
