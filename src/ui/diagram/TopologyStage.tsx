import {
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { Scenario } from '../../engine/scenario';
import {
  estimateWidth,
  fitLayout,
  stageLayout,
  type Measure,
  type PlacedNode,
  type StageStyle,
} from './stageLayout';
import { TokenAnimator } from './tokens';
import type { TopologyModel, TopologyNode } from './topology';

/** A drawn diagram's elements: the nodes' groups and the edges' paths, by model id. */
export interface Drawn {
  nodes: { get(id: string): SVGGElement | null | undefined };
  edges: { get(id: string): SVGPathElement | null | undefined };
}

/** What a panel sends tokens with, once the stage is drawn. */
export interface StageHandle {
  animator: TokenAnimator;
  drawn: Drawn;
}

/**
 * The topology drawn by stageLayout in SVG, with the token overlay over it: the
 * workspace's pane and the presenter's stage. Every text is a React text node. The drawing
 * takes the orientation that fits the stage best, at a scale within the style's bounds
 * (scrolling below the minimum, so text never gets smaller than the style allows).
 */
export function TopologyStage({
  model,
  scenario,
  style,
  label,
  testId,
  closedPorts,
  onActivate,
  onReady,
  onTokens,
}: {
  model: TopologyModel;
  scenario: Scenario;
  style: StageStyle;
  /** The diagram's accessible name. */
  label: string;
  testId?: string;
  /** Ports found closed, by host: a badge next to the host. */
  closedPorts?: ReadonlyMap<string, ReadonlySet<number>>;
  /** Nodes are buttons (the diagram a group of them) that do this; else it is an image. */
  onActivate?: (node: TopologyNode) => void;
  onReady: (handle: StageHandle | undefined) => void;
  /** A token started or was dropped. */
  onTokens?: (animator: TokenAnimator) => void;
}) {
  const stage = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number }>();
  useLayoutEffect(() => {
    const element = stage.current!;
    const read = () =>
      setSize((s) =>
        s?.width === element.clientWidth && s.height === element.clientHeight
          ? s
          : { width: element.clientWidth, height: element.clientHeight },
      );
    read();
    const observer = new ResizeObserver(read);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const measure = useMemo(() => textMeasure(), []);
  const layouts = useMemo(
    () => [
      stageLayout(model, scenario, style, 'columns', measure),
      stageLayout(model, scenario, style, 'rows', measure),
    ],
    [model, scenario, style, measure],
  );
  const { layout, scale } = size
    ? fitLayout(layouts, size.width, size.height, style)
    : { layout: layouts[0]!, scale: 1 };
  const width = layout.width * scale;
  const height = layout.height * scale;

  const tokens = useRef(onTokens);
  useEffect(() => {
    tokens.current = onTokens;
  }, [onTokens]);
  const [animator, setAnimator] = useState<TokenAnimator>();
  useEffect(() => {
    const root = svg.current!;
    const a = new TokenAnimator(root, overlay.current!, () => tokens.current?.(a));
    setAnimator(a);
    onReady({
      animator: a,
      drawn: {
        nodes: { get: (id) => root.querySelector<SVGGElement>(`g[data-node="${id}"]`) },
        edges: { get: (id) => root.querySelector<SVGPathElement>(`path[data-edge="${id}"]`) },
      },
    });
    return () => {
      onReady(undefined);
      a.dispose();
    };
  }, [onReady]);
  // Moved boxes and edges: tokens sample their tracks afresh.
  useLayoutEffect(() => {
    const root = svg.current!;
    animator?.relayout([
      ...[...root.querySelectorAll<SVGPathElement>('path[data-edge]')].map((path) => ({
        element: path,
        path,
      })),
      ...[...root.querySelectorAll<SVGGElement>('g[data-node]')].map((element) => ({ element })),
    ]);
  }, [animator, layout, scale]);

  const name = (id: string) => {
    const node = model.nodes.find((n) => n.id === id);
    return !node ? id : node.users ? `mailboxes@${node.host}` : node.host;
  };
  const hostList = scenario.hosts.map((h) => h.name).join(', ');
  return (
    <div className="topo-stage" ref={stage}>
      <div
        className="diagram topo-canvas"
        role={onActivate ? 'group' : 'img'}
        aria-label={
          onActivate
            ? label
            : `${label}: ${hostList}. Moving tokens show connections, DNS lookups, relays, deliveries and bounces.`
        }
        data-testid={testId}
        data-rendered="topology"
        data-orientation={layout.orientation}
        style={{ width, height }}
      >
        <svg
          ref={svg}
          className="topo-svg"
          width={width}
          height={height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
        >
          {layout.groups.map((g) => (
            <rect
              key={g.domain}
              className="topo-group"
              x={g.x}
              y={g.y}
              width={g.width}
              height={g.height}
              rx={8}
            />
          ))}
          {layout.edges.map((e) => (
            <path
              key={e.key}
              d={e.d}
              className={`topo-edge kind-${e.kind}`}
              data-edge={e.id}
              data-a={name(e.a)}
              data-b={name(e.b)}
              data-kind={e.kind}
            />
          ))}
          {layout.groups.map((g) => (
            <text
              key={g.domain}
              className="topo-group-label"
              x={g.label.x}
              y={g.label.y}
              fontSize={style.font.detail}
            >
              {g.label.text}
            </text>
          ))}
          {layout.nodes.map((p) => (
            <Node
              key={p.node.id}
              placed={p}
              style={style}
              measure={measure}
              closed={p.node.users ? undefined : closedPorts?.get(p.node.host)}
              onActivate={onActivate}
            />
          ))}
        </svg>
      </div>
      <div
        className="token-overlay"
        ref={overlay}
        aria-hidden="true"
        data-testid={testId && 'tokens'}
        style={{ width: `max(100%, ${width}px)`, height: `max(100%, ${height}px)` }}
      />
    </div>
  );
}

function Node({
  placed: p,
  style,
  measure,
  closed,
  onActivate,
}: {
  placed: PlacedNode;
  style: StageStyle;
  measure: Measure;
  closed: ReadonlySet<number> | undefined;
  onActivate: ((node: TopologyNode) => void) | undefined;
}) {
  const { node } = p;
  const ports = closed?.size ? [...closed].sort((a, b) => a - b) : undefined;
  let badge: ReactNode;
  const badgeText = ports && `✖ closed: port ${ports.join(', ')}`;
  if (badgeText) {
    // Over the box's lower border, on the right: next to the host, clear of its text.
    const size = style.font.detail;
    const w = Math.min(p.width, measure(badgeText, size, false) + size);
    const h = size * 1.3;
    const x = p.x + p.width - w - style.pad.x / 2;
    const y = p.y + p.height - h / 3;
    badge = (
      <g className="closed-ports">
        <rect x={x} y={y} width={w} height={h} rx={h / 2} />
        <text x={x + w / 2} y={y + (h + size * 0.7) / 2} textAnchor="middle" fontSize={size}>
          {' '}
          {badgeText}
        </text>
      </g>
    );
  }
  const action = node.users
    ? `Open the mailboxes on ${node.host}`
    : `Open a terminal on ${node.host}${node.down ? ' (down)' : ''}`;
  const button = onActivate && {
    role: 'button',
    tabIndex: 0,
    'aria-label': `${action}: ${p.text}${badgeText ? ` ${badgeText}` : ''}`,
    onClick: () => onActivate(node),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onActivate(node);
      }
    },
  };
  return (
    <g
      className={`node ${node.users ? 'mailbox' : 'host'}`}
      data-node={node.id}
      data-host={node.host}
      data-mailboxes={node.users?.join(' ')}
      data-down={node.down || undefined}
      data-closed-ports={ports?.join(',')}
      {...button}
    >
      <rect x={p.x} y={p.y} width={p.width} height={p.height} rx={6} />
      {p.rows.map((row, i) => (
        <text
          key={i}
          className={row.kind}
          x={row.x}
          y={row.y}
          textAnchor={row.anchor}
          fontSize={row.kind === 'title' ? style.font.title : style.font.detail}
          fontWeight={row.kind === 'title' ? 700 : undefined}
        >
          {/* Not drawn (SVG drops a leading space), but keeps the words apart when the
              node's text is read as one string, as its accessible name must contain it. */}
          {i > 0 && ' '}
          {row.text}
        </text>
      ))}
      {badge}
    </g>
  );
}

/** Text widths as the page's font draws them (a canvas measures), cached. */
function textMeasure(): Measure {
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return estimateWidth;
  const family = getComputedStyle(document.documentElement).fontFamily;
  const cache = new Map<string, number>();
  return (text, size, bold) => {
    const key = `${size} ${bold} ${text}`;
    let width = cache.get(key);
    if (width === undefined) {
      context.font = `${bold ? 'bold ' : ''}${size}px ${family}`;
      width = context.measureText(text).width;
      cache.set(key, width);
    }
    return width;
  };
}
