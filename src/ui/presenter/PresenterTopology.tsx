import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { TokenAnimator } from '../diagram/tokens';
import type { TokenSpec } from '../diagram/topology';
import {
  TokenLegend,
  tokenPlace,
  useLiveTopology,
  useNewTokens,
  type Drawn,
} from '../panels/liveTopology';
import { NODE, stageLayout } from './stageLayout';

/**
 * The topology for a room: the workspace's model (hosts by domain, the routes mail takes,
 * hosts seen connecting, hosts down now) in a few large boxes, with the same animated
 * tokens (diagram/tokens.ts) for each connection, DNS lookup, relay, delivery and bounce.
 */
export function PresenterTopology() {
  const live = useLiveTopology();
  const { scenario, model, speed } = live;
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

  // New events → tokens.
  const send = useCallback(
    (specs: TokenSpec[]) => {
      const stage = svg.current;
      if (!animator || !stage) return;
      const drawn: Drawn = {
        nodes: { get: (id) => stage.querySelector<SVGGElement>(`g[data-node="${id}"]`) },
        edges: { get: (id) => stage.querySelector<SVGPathElement>(`path[data-edge="${id}"]`) },
      };
      for (const spec of specs) {
        const place = tokenPlace(model, drawn, spec.from, spec.to);
        if (place && place !== 'no-edge') {
          animator.add({ ...place, kind: spec.kind, label: spec.label, glyph: spec.glyph });
        }
      }
    },
    [model, animator],
  );
  const rebuilt = useCallback(() => animator?.clear(), [animator]);
  useNewTokens(live, animator !== undefined, 200, send, rebuilt);

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
      <TokenLegend className="ptopo-legend" short />
    </div>
  );
}
