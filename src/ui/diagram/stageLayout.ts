/**
 * Where the topology (the model of diagram/topology.ts: nodes, edges, ids) draws each
 * domain, host, mailbox and edge, for the workspace's pane and the presenter's stage alike;
 * a style says how big the boxes and their type are and how much each box says.
 *
 * Domains are groups, side by side (columns) or one under another (rows): `fitLayout`
 * takes whichever fits the space at the larger scale. In a group, workstations come first
 * and a host's mailboxes right after it, so mail runs along the group; a domain of name
 * servers only goes in the middle, at the far end, out of the way of the mail between the
 * others (outsiders such as a spammer stack above it when they fit). An edge leaves a box on the side facing its other end (spread along that side,
 * in the order of the other ends) and curves into the other box, so lines end at borders
 * instead of crossing text.
 */
import type { Scenario } from '../../engine/scenario';
import { labelText } from './escape';
import { hostDomain, type TopologyModel, type TopologyNode } from './topology';

export type Orientation = 'columns' | 'rows';

export interface StageStyle {
  /** 'full': address, role and MX, listening ports; 'brief': role and MX. */
  detail: 'full' | 'brief';
  /** Type sizes and line heights, in layout units (CSS px at scale 1). */
  font: { title: number; detail: number };
  line: { title: number; detail: number };
  /** A box's inner padding. */
  pad: { x: number; y: number };
  /** Boxes are as wide as their widest text, within these bounds (longer text is cut). */
  box: { min: number; max: number };
  /** Between boxes in a group; between groups. */
  gap: number;
  gutter: number;
  /** A group's label row and inner padding. */
  group: { label: number; pad: number };
  /** The scale the drawing may take on screen; below `min` the stage scrolls instead. */
  scale: { min: number; max: number };
}

/** The workspace's pane: every line a box can say, at least 11 px on screen. */
export const WORKSPACE_STYLE: StageStyle = {
  detail: 'full',
  font: { title: 15, detail: 12 },
  line: { title: 18, detail: 14 },
  pad: { x: 8, y: 4 },
  box: { min: 150, max: 210 },
  gap: 12,
  gutter: 16,
  group: { label: 16, pad: 6 },
  scale: { min: 11 / 12, max: 1.6 },
};

/** The presenter's stage: few words, large type, scaled to fill the pane. */
export const PRESENTER_STYLE: StageStyle = {
  detail: 'brief',
  font: { title: 27, detail: 16 },
  line: { title: 34, detail: 22 },
  pad: { x: 10, y: 8 },
  box: { min: 200, max: 250 },
  gap: 30,
  gutter: 12,
  group: { label: 26, pad: 10 },
  scale: { min: 0, max: 1.5 },
};

/** The width of `text` in px at `size`; the default guesses from the number of characters. */
export type Measure = (text: string, size: number, bold: boolean) => number;

export const estimateWidth: Measure = (text, size, bold) =>
  [...text].length * size * (bold ? 0.66 : 0.6);

export interface TextRow {
  text: string;
  /** Baseline position. */
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  kind: 'title' | 'aside' | 'detail';
}

export interface PlacedNode {
  node: TopologyNode;
  x: number;
  y: number;
  width: number;
  height: number;
  rows: TextRow[];
  /** Everything the box says, uncut, as one line (for its accessible name). */
  text: string;
}

export interface PlacedGroup {
  domain: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The domain's name (cut to fit), at its baseline. */
  label: TextRow;
}

export interface PlacedEdge {
  id: string;
  /** Stable across redraws (edge ids move when an edge is added): the two node ids. */
  key: string;
  a: string;
  b: string;
  kind: string;
  d: string;
}

export interface StageLayout {
  orientation: Orientation;
  width: number;
  height: number;
  groups: PlacedGroup[];
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const ROLE: Record<string, string> = {
  msa: 'submission + MTA',
  mx: 'mail server',
  dns: 'DNS server',
};

/** What a box says: a title (with the address beside it in full detail) and lines. */
interface Content {
  title: string;
  aside?: string;
  lines: string[];
}

function content(node: TopologyNode, scenario: Scenario, detail: StageStyle['detail']): Content {
  // User names come from the scenario (a sandbox, a share link): plain text, controls out.
  if (node.users)
    return { title: 'mailboxes', lines: [node.users.map((u) => labelText(u)).join(' ')] };
  const host = scenario.hosts.find((h) => h.name === node.host)!;
  const domain = hostDomain(host.name);
  const short = host.name === domain ? host.name : host.name.slice(0, -domain.length - 1);
  const mx = scenario.domains.flatMap((d) =>
    d.mx
      .filter((m) => m.host === host.name)
      .map((m) => `MX ${m.preference}${d.name === domain ? '' : ` for ${d.name}`}`),
  );
  const role =
    host.role === 'workstation'
      ? `${host.user === 'root' ? '' : `${host.user}'s `}mail client`
      : (ROLE[host.role] ?? host.role);
  const what = [role, ...mx].join(' · ');
  if (detail === 'brief') {
    return { title: node.down ? `⊘ ${short} DOWN` : short, lines: [what] };
  }
  const ports = host.smtp.map((s) => s.port);
  if (host.role === 'dns') ports.push(53);
  const listening = ports.length
    ? `${ports.length > 1 ? 'ports' : 'port'} ${ports.join(' ')}`
    : 'no listening ports';
  return {
    title: node.down ? `⊘ ${short}` : short,
    aside: host.address,
    lines: [what, node.down ? `DOWN · ${listening}` : listening],
  };
}

/** `text`, cut with an ellipsis to at most `max` px wide. */
function cut(text: string, max: number, size: number, bold: boolean, measure: Measure) {
  if (measure(text, size, bold) <= max) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(`${chars.slice(0, mid).join('')}…`, size, bold) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('')}…`;
}

interface Group {
  domain: string;
  nodes: TopologyNode[];
  /** Only name servers: placed in the middle, at the far end. */
  dnsOnly: boolean;
  /** Only workstations (outsiders such as a spammer). */
  outsider: boolean;
}

/**
 * Groups in order: domains of workstations only (outsiders) first, then the others as the
 * scenario lists them, with the name servers' domain in the middle. In a group,
 * workstations first, hosts that keep mailboxes last, each followed by its mailboxes.
 */
function groupsOf(model: TopologyModel, scenario: Scenario): Group[] {
  const roleOf = (host: string) => scenario.hosts.find((h) => h.name === host)?.role;
  const domains = [...new Set(model.nodes.filter((n) => !n.users).map((n) => hostDomain(n.host)))];
  const groups = domains.map((domain): Group => {
    const hosts = model.nodes.filter((n) => !n.users && hostDomain(n.host) === domain);
    const boxes = model.nodes.filter((n) => n.users && hostDomain(n.host) === domain);
    const rank = (n: TopologyNode) =>
      roleOf(n.host) === 'workstation' ? 0 : boxes.some((b) => b.host === n.host) ? 2 : 1;
    const nodes = [...hosts]
      .sort((a, b) => rank(a) - rank(b))
      .flatMap((h) => [h, ...boxes.filter((b) => b.host === h.host)]);
    return {
      domain,
      nodes,
      dnsOnly: hosts.every((h) => roleOf(h.host) === 'dns'),
      outsider: hosts.every((h) => roleOf(h.host) === 'workstation'),
    };
  });
  const others = [
    ...groups.filter((g) => !g.dnsOnly && g.outsider),
    ...groups.filter((g) => !g.dnsOnly && !g.outsider),
  ];
  const middle = Math.ceil(others.length / 2);
  return [...others.slice(0, middle), ...groups.filter((g) => g.dnsOnly), ...others.slice(middle)];
}

type Side = 'top' | 'bottom' | 'left' | 'right';
const NORMAL: Record<Side, [number, number]> = {
  top: [0, -1],
  bottom: [0, 1],
  left: [-1, 0],
  right: [1, 0],
};

export function stageLayout(
  model: TopologyModel,
  scenario: Scenario,
  style: StageStyle,
  orientation: Orientation,
  measure: Measure = estimateWidth,
): StageLayout {
  const { font, line, pad } = style;
  const groups = groupsOf(model, scenario);
  const contents = new Map(model.nodes.map((n) => [n.id, content(n, scenario, style.detail)]));

  // One box width for all: the widest text, within bounds.
  const asideGap = font.detail;
  let inner = 0;
  for (const c of contents.values()) {
    const title =
      measure(c.title, font.title, true) +
      (c.aside ? asideGap + measure(c.aside, font.detail, false) : 0);
    inner = Math.max(inner, title, ...c.lines.map((l) => measure(l, font.detail, false)));
  }
  const boxWidth = Math.min(style.box.max, Math.max(style.box.min, Math.ceil(inner + 2 * pad.x)));
  const boxHeight = (c: Content) => 2 * pad.y + line.title + c.lines.length * line.detail;
  const tallest = Math.max(...[...contents.values()].map(boxHeight));

  const placed: PlacedNode[] = [];
  const placedGroups: PlacedGroup[] = [];
  const place = (node: TopologyNode, x: number, y: number, height: number) => {
    const c = contents.get(node.id)!;
    const rows: TextRow[] = [];
    const room = boxWidth - 2 * pad.x;
    const baseline = (top: number, h: number, size: number) => top + (h + size * 0.7) / 2;
    let top = y + pad.y + (height - boxHeight(c)) / 2;
    if (style.detail === 'brief') {
      const mid = x + boxWidth / 2;
      rows.push({
        text: cut(c.title, room, font.title, true, measure),
        x: mid,
        y: baseline(top, line.title, font.title),
        anchor: 'middle',
        kind: 'title',
      });
    } else {
      const aside = c.aside ? cut(c.aside, room * 0.6, font.detail, false, measure) : '';
      const asideWidth = aside ? measure(aside, font.detail, false) + asideGap : 0;
      rows.push({
        text: cut(c.title, room - asideWidth, font.title, true, measure),
        x: x + pad.x,
        y: baseline(top, line.title, font.title),
        anchor: 'start',
        kind: 'title',
      });
      if (aside) {
        rows.push({
          text: aside,
          x: x + boxWidth - pad.x,
          y: baseline(top, line.title, font.title),
          anchor: 'end',
          kind: 'aside',
        });
      }
    }
    top += line.title;
    for (const text of c.lines) {
      rows.push({
        text: cut(text, room, font.detail, false, measure),
        x: style.detail === 'brief' ? x + boxWidth / 2 : x + pad.x,
        y: baseline(top, line.detail, font.detail),
        anchor: style.detail === 'brief' ? 'middle' : 'start',
        kind: 'detail',
      });
      top += line.detail;
    }
    const text = [c.title, c.aside, ...c.lines].filter(Boolean).join(' ');
    placed.push({ node, x, y, width: boxWidth, height, rows, text });
  };
  const groupLabel = (domain: string, x: number, y: number, width: number): TextRow => ({
    text: cut(domain, width - 2 * style.group.pad, font.detail, false, measure),
    x: x + style.group.pad,
    y: y + (style.group.label + font.detail * 0.7) / 2 + 1,
    anchor: 'start',
    kind: 'detail',
  });

  let width: number;
  let height: number;
  const { label, pad: gpad } = style.group;
  if (orientation === 'columns') {
    const groupWidth = boxWidth + 2 * gpad;
    const heights = groups.map(
      (g) =>
        label +
        2 * gpad +
        g.nodes.reduce((sum, n) => sum + boxHeight(contents.get(n.id)!), 0) +
        (g.nodes.length - 1) * style.gap,
    );
    const columns = packColumns(groups, heights, style.gutter);
    width = columns.length * groupWidth + (columns.length - 1) * style.gutter;
    height = Math.max(
      ...columns.map(
        (c) => c.reduce((sum, i) => sum + heights[i]!, 0) + (c.length - 1) * style.gutter,
      ),
    );
    columns.forEach((column, c) => {
      const x = c * (groupWidth + style.gutter);
      let next = 0;
      for (const i of column) {
        const g = groups[i]!;
        const y = g.dnsOnly ? height - heights[i]! : next;
        next = y + heights[i]! + style.gutter;
        placedGroups.push({
          domain: g.domain,
          x,
          y,
          width: groupWidth,
          height: heights[i]!,
          label: groupLabel(g.domain, x, y, groupWidth),
        });
        let top = y + label + gpad;
        for (const n of g.nodes) {
          const h = boxHeight(contents.get(n.id)!);
          place(n, x + gpad, top, h);
          top += h + style.gap;
        }
      }
    });
  } else {
    const rowWidth = (g: Group) =>
      2 * gpad + g.nodes.length * boxWidth + (g.nodes.length - 1) * style.gap;
    const groupHeight = label + 2 * gpad + tallest;
    width = Math.max(...groups.map(rowWidth));
    height = groups.length * groupHeight + (groups.length - 1) * style.gutter;
    groups.forEach((g, i) => {
      const y = i * (groupHeight + style.gutter);
      placedGroups.push({
        domain: g.domain,
        x: 0,
        y,
        width,
        height: groupHeight,
        label: groupLabel(g.domain, 0, y, width),
      });
      const left = g.dnsOnly ? width - rowWidth(g) : (width - rowWidth(g)) / 2;
      g.nodes.forEach((n, j) =>
        place(n, left + gpad + j * (boxWidth + style.gap), y + label + gpad, tallest),
      );
    });
  }

  return {
    orientation,
    width,
    height,
    groups: placedGroups,
    nodes: placed,
    edges: route(model, groups, placed, orientation, style, width, height),
  };
}

/**
 * The groups (indexes) of each column, left to right: one each, except that outsiders
 * stack above the name servers' group in the middle when the two are no taller than the
 * tallest other group, so a small world stays three columns wide.
 */
function packColumns(groups: Group[], heights: number[], gutter: number): number[][] {
  const all = groups.map((_, i) => i);
  const dns = all.filter((i) => groups[i]!.dnsOnly);
  const outsiders = all.filter((i) => groups[i]!.outsider && !groups[i]!.dnsOnly);
  const rest = all.filter((i) => !dns.includes(i) && !outsiders.includes(i));
  const stack = [...outsiders, ...dns];
  const stacked = stack.reduce((sum, i) => sum + heights[i]!, 0) + (stack.length - 1) * gutter;
  if (dns.length !== 1 || !outsiders.length || !rest.length) return all.map((i) => [i]);
  if (stacked > Math.max(...rest.map((i) => heights[i]!))) return all.map((i) => [i]);
  const middle = Math.ceil(rest.length / 2);
  return [...rest.slice(0, middle).map((i) => [i]), stack, ...rest.slice(middle).map((i) => [i])];
}

/** The edges' curves: which side each end leaves from, spread along it, then the curve. */
function route(
  model: TopologyModel,
  groups: Group[],
  placed: PlacedNode[],
  orientation: Orientation,
  style: StageStyle,
  width: number,
  height: number,
): PlacedEdge[] {
  const at = new Map(placed.map((p) => [p.node.id, p]));
  const where = new Map<string, { group: number; index: number }>();
  groups.forEach((g, group) => g.nodes.forEach((n, index) => where.set(n.id, { group, index })));
  const columns = orientation === 'columns';
  const centre = (p: PlacedNode) => [p.x + p.width / 2, p.y + p.height / 2] as const;

  interface End {
    edge: number;
    node: PlacedNode;
    side: Side;
    other: PlacedNode;
    point?: [number, number];
  }
  const ends: [End, End][] = [];
  model.edges.forEach((e, edge) => {
    const a = at.get(e.a);
    const b = at.get(e.b);
    if (!a || !b) return;
    const wa = where.get(e.a)!;
    const wb = where.get(e.b)!;
    let sides: [Side, Side];
    if (wa.group === wb.group) {
      const before = wa.index < wb.index;
      if (Math.abs(wa.index - wb.index) === 1) {
        sides = columns
          ? before
            ? ['bottom', 'top']
            : ['top', 'bottom']
          : before
            ? ['right', 'left']
            : ['left', 'right'];
      } else {
        // Not neighbours: round the boxes between, on the outer side of the drawing.
        const [cx, cy] = centre(a);
        const side: Side = columns
          ? cx < width / 2
            ? 'left'
            : 'right'
          : cy < height / 2
            ? 'top'
            : 'bottom';
        sides = [side, side];
      }
    } else if (columns && Math.abs(a.x - b.x) > 1) {
      sides = a.x < b.x ? ['right', 'left'] : ['left', 'right'];
    } else {
      // Rows, or groups stacked in one column.
      sides = a.y < b.y ? ['bottom', 'top'] : ['top', 'bottom'];
    }
    ends.push([
      { edge, node: a, side: sides[0], other: b },
      { edge, node: b, side: sides[1], other: a },
    ]);
  });

  // Spread the ends on each side of a box in the order of their other ends.
  const bySide = new Map<string, End[]>();
  for (const end of ends.flat()) {
    const key = `${end.node.node.id} ${end.side}`;
    bySide.set(key, [...(bySide.get(key) ?? []), end]);
  }
  for (const list of bySide.values()) {
    const { node, side } = list[0]!;
    const vertical = side === 'left' || side === 'right';
    const along = (p: PlacedNode) => centre(p)[vertical ? 1 : 0];
    list.sort((p, q) => along(p.other) - along(q.other) || p.edge - q.edge);
    const length = vertical ? node.height : node.width;
    const step = Math.min(length / (list.length + 1), 2.5 * style.font.detail);
    list.forEach((end, i) => {
      const offset = (i - (list.length - 1) / 2) * step;
      const [cx, cy] = centre(node);
      end.point =
        side === 'left'
          ? [node.x, cy + offset]
          : side === 'right'
            ? [node.x + node.width, cy + offset]
            : side === 'top'
              ? [cx + offset, node.y]
              : [cx + offset, node.y + node.height];
    });
  }

  const r = (n: number) => Math.round(n * 10) / 10;
  return ends.map(([from, to]) => {
    const e = model.edges[from.edge]!;
    const [px, py] = from.point!;
    const [qx, qy] = to.point!;
    const [nax, nay] = NORMAL[from.side];
    const [nbx, nby] = NORMAL[to.side];
    const distance = Math.hypot(qx - px, qy - py);
    const pull =
      from.side === to.side
        ? style.gutter * 0.8 + distance * 0.2
        : Math.max(style.gap / 2, Math.abs(nax ? qx - px : qy - py) / 2);
    return {
      id: e.id,
      key: `${e.a}-${e.b}`,
      a: e.a,
      b: e.b,
      kind: e.kind,
      d: `M ${r(px)} ${r(py)} C ${r(px + nax * pull)} ${r(py + nay * pull)} ${r(qx + nbx * pull)} ${r(qy + nby * pull)} ${r(qx)} ${r(qy)}`,
    };
  });
}

/**
 * Of the layouts (one per orientation), the one that fits `width` × `height` at the larger
 * scale, and that scale within the style's bounds (below its minimum the stage scrolls).
 */
export function fitLayout(
  layouts: readonly StageLayout[],
  width: number,
  height: number,
  style: StageStyle,
): { layout: StageLayout; scale: number } {
  let best = layouts[0]!;
  let bestScale = -1;
  for (const layout of layouts) {
    const scale = Math.min(width / layout.width, height / layout.height);
    if (scale > bestScale + 1e-6) {
      best = layout;
      bestScale = scale;
    }
  }
  return {
    layout: best,
    scale: Math.min(style.scale.max, Math.max(style.scale.min, bestScale)),
  };
}
