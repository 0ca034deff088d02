/**
 * Where the presenter's topology draws each node and edge. The workspace's Mermaid chart
 * holds too much small text to read from the back of a room in half a 1280×720 screen, so
 * the presenter draws the same model (diagram/topology.ts: nodes, edges, ids) itself: one
 * band per domain, a few big boxes with short names, edges as curves between them.
 */
import type { Scenario } from '../../engine/scenario';
import { hostDomain, type TopologyModel, type TopologyNode } from '../diagram/topology';

export const NODE = { width: 212, height: 72 };
const GAP = 30;
const BAND = { height: 118, label: 26, pad: 14 };

export interface PlacedNode {
  node: TopologyNode;
  x: number;
  y: number;
  /** Big first line and a smaller second line. */
  title: string;
  detail: string;
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
  width: number;
  height: number;
  bands: { domain: string; y: number }[];
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

function describe(node: TopologyNode, scenario: Scenario): { title: string; detail: string } {
  if (node.users) return { title: 'mailboxes', detail: node.users.join(' ') };
  const host = scenario.hosts.find((h) => h.name === node.host)!;
  const domain = hostDomain(host.name);
  const title = host.name === domain ? host.name : host.name.slice(0, -domain.length - 1);
  const mx = scenario.domains.flatMap((d) =>
    d.mx.filter((m) => m.host === host.name).map((m) => `MX ${m.preference}`),
  );
  const role =
    host.role === 'workstation'
      ? `${host.user === 'root' ? '' : `${host.user}'s `}mail client`
      : host.role === 'msa'
        ? 'submission + MTA'
        : host.role === 'dns'
          ? 'DNS server'
          : 'mail server';
  return { title: node.down ? `⊘ ${title}` : title, detail: [role, ...mx].join(' · ') };
}

/**
 * Bands top to bottom: domains with only workstations (outsiders), then the mail domains,
 * then the name server's, so that mail goes between neighbouring bands.
 */
function bandOrder(scenario: Scenario): string[] {
  const rank = (domain: string) => {
    const roles = scenario.hosts.filter((h) => hostDomain(h.name) === domain).map((h) => h.role);
    return roles.every((r) => r === 'dns') ? 2 : roles.every((r) => r === 'workstation') ? 0 : 1;
  };
  const domains = [...new Set(scenario.hosts.map((h) => hostDomain(h.name)))];
  return domains.sort((a, b) => rank(a) - rank(b));
}

export function stageLayout(model: TopologyModel, scenario: Scenario): StageLayout {
  const domains = bandOrder(scenario);
  const rows = domains.map((domain) =>
    model.nodes.filter((n) => hostDomain(n.host) === domain && !n.users),
  );
  // A host's mailboxes sit at the end of its row.
  rows.forEach((row, i) =>
    rows[i]!.push(...model.nodes.filter((n) => n.users && hostDomain(n.host) === domains[i])),
  );
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const width = widest * NODE.width + (widest + 1) * GAP;
  const nodes: PlacedNode[] = [];
  rows.forEach((row, r) => {
    const y = r * BAND.height + BAND.label + BAND.pad;
    // Rows with fewer boxes are centred.
    const left = (width - (row.length * NODE.width + (row.length - 1) * GAP)) / 2;
    row.forEach((node, i) => {
      nodes.push({ node, x: left + i * (NODE.width + GAP), y, ...describe(node, scenario) });
    });
  });
  const at = new Map(nodes.map((p) => [p.node.id, p]));
  const edges: PlacedEdge[] = [];
  for (const e of model.edges) {
    const a = at.get(e.a);
    const b = at.get(e.b);
    if (!a || !b) continue;
    edges.push({
      id: e.id,
      key: `${e.a}-${e.b}`,
      a: e.a,
      b: e.b,
      kind: e.kind,
      d: curve(a, b, width),
    });
  }
  return {
    width,
    height: domains.length * BAND.height,
    bands: domains.map((domain, i) => ({ domain, y: i * BAND.height })),
    nodes,
    edges,
  };
}

/**
 * A curve between two boxes' centres: in one row, an arc over the boxes between them;
 * across bands, a slight bend, or a wide one around the bands in between.
 */
function curve(a: PlacedNode, b: PlacedNode, width: number): string {
  const ax = a.x + NODE.width / 2;
  const ay = a.y + NODE.height / 2;
  const bx = b.x + NODE.width / 2;
  const by = b.y + NODE.height / 2;
  const mx = (ax + bx) / 2;
  const my = (ay + by) / 2;
  let cx = mx;
  let cy = my;
  if (ay === by) {
    if (Math.abs(bx - ax) > 1.5 * (NODE.width + GAP)) cy -= NODE.height;
  } else if (Math.abs(by - ay) > 1.5 * BAND.height) {
    cx += (mx < width / 2 ? -1 : 1) * width * 0.45;
  } else {
    cx += 18;
  }
  return `M ${ax} ${ay} Q ${cx} ${cy} ${bx} ${by}`;
}
