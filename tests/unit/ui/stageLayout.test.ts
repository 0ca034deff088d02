import { describe, expect, it } from 'vitest';
import { parseScenario, scenarioNames, type Scenario } from '../../../src/engine/scenario';
import { defaultScenario } from '../../../src/engine/scenario/default';
import { loadScenario } from '../../../src/store/scenarios';
import {
  estimateWidth,
  fitLayout,
  PRESENTER_STYLE,
  stageLayout,
  WORKSPACE_STYLE,
  type PlacedNode,
  type StageLayout,
  type StageStyle,
} from '../../../src/ui/diagram/stageLayout';
import { buildTopology } from '../../../src/ui/diagram/topology';

const texts = (p: PlacedNode) => p.rows.map((r) => r.text);
const byHost = (layout: StageLayout, host: string, mailbox = false) =>
  layout.nodes.find((p) => p.node.host === host && !!p.node.users === mailbox)!;

function layoutOf(scenario: Scenario, style: StageStyle, orientation: 'columns' | 'rows') {
  const model = buildTopology(scenario, [['laptop.alpha.example', 'mx1.beta.example']]);
  return stageLayout(model, scenario, style, orientation);
}

/** The start and end points of an SVG path "M x y C … x y". */
function ends(d: string): [[number, number], [number, number]] {
  const n = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
  return [
    [n[0]!, n[1]!],
    [n.at(-2)!, n.at(-1)!],
  ];
}

function onBorder([x, y]: [number, number], p: PlacedNode): boolean {
  const within = (v: number, lo: number, hi: number) => v >= lo - 0.1 && v <= hi + 0.1;
  const near = (v: number, w: number) => Math.abs(v - w) <= 0.1;
  return (
    ((near(x, p.x) || near(x, p.x + p.width)) && within(y, p.y, p.y + p.height)) ||
    ((near(y, p.y) || near(y, p.y + p.height)) && within(x, p.x, p.x + p.width))
  );
}

const overlap = (
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('the topology layout', () => {
  const scenario = loadScenario('default');
  const columns = layoutOf(scenario, WORKSPACE_STYLE, 'columns');

  it('says, for each host, its short name, address, role and MX, and ports', () => {
    expect(texts(byHost(columns, 'mx1.beta.example'))).toEqual([
      'mx1',
      '203.0.113.25',
      'mail server · MX 10',
      'port 25',
    ]);
    expect(texts(byHost(columns, 'mail.alpha.example'))).toEqual([
      'mail',
      '192.0.2.25',
      'submission + MTA · MX 10',
      'ports 25 587 465',
    ]);
    expect(texts(byHost(columns, 'laptop.alpha.example'))).toEqual([
      'laptop',
      '192.0.2.10',
      "alice's mail client",
      'no listening ports',
    ]);
    expect(texts(byHost(columns, 'ns.example'))).toEqual([
      'ns',
      '198.51.100.53',
      'DNS server',
      'port 53',
    ]);
    expect(texts(byHost(columns, 'mx1.beta.example', true))).toEqual([
      'mailboxes',
      'bob carol postmaster',
    ]);
    // The presenter's boxes say less, in larger type.
    const brief = layoutOf(scenario, PRESENTER_STYLE, 'rows');
    expect(texts(byHost(brief, 'mx2.beta.example'))).toEqual(['mx2', 'mail server · MX 20']);
  });

  it('marks a host down with a glyph and a word', () => {
    const down = loadScenario('mx-fallback');
    const full = byHost(layoutOf(down, WORKSPACE_STYLE, 'columns'), 'mx1.beta.example');
    expect(texts(full)).toEqual(['⊘ mx1', '203.0.113.25', 'mail server · MX 10', 'DOWN · port 25']);
    expect(full.text).toBe('⊘ mx1 203.0.113.25 mail server · MX 10 DOWN · port 25');
    const brief = byHost(layoutOf(down, PRESENTER_STYLE, 'rows'), 'mx1.beta.example');
    expect(texts(brief)[0]).toBe('⊘ mx1 DOWN');
  });

  it('groups by domain: mail domains either side of the name servers, mail running along', () => {
    expect(columns.groups.map((g) => g.domain)).toEqual([
      'alpha.example',
      'example',
      'beta.example',
    ]);
    const order = (domain: string) =>
      columns.nodes
        .filter((p) => p.node.host.endsWith(domain) && p.node.host !== 'ns.example')
        .sort((a, b) => a.y - b.y)
        .map((p) => (p.node.users ? `mailboxes@${p.node.host}` : p.node.host));
    expect(order('alpha.example')).toEqual([
      'laptop.alpha.example',
      'mail.alpha.example',
      'mailboxes@mail.alpha.example',
    ]);
    expect(order('beta.example')).toEqual([
      'mx2.beta.example',
      'mx1.beta.example',
      'mailboxes@mx1.beta.example',
    ]);
    // The name server sits low in its column, below the line from mail to mx1.
    const ns = columns.groups[1]!;
    expect(ns.y + ns.height).toBe(columns.height);
    const mail = byHost(columns, 'mail.alpha.example');
    expect(ns.y).toBeGreaterThan(mail.y + mail.height / 2);
  });

  const scenarios = scenarioNames().map((name) => [name, loadScenario(name)] as const);
  it.each(scenarios)('%s: boxes apart, inside their groups, text inside its box', (_, s) => {
    for (const style of [WORKSPACE_STYLE, PRESENTER_STYLE]) {
      for (const orientation of ['columns', 'rows'] as const) {
        const layout = layoutOf(s, style, orientation);
        expect(layout.nodes.length).toBe(buildTopology(s).nodes.length);
        for (const [i, a] of layout.nodes.entries()) {
          for (const b of layout.nodes.slice(i + 1)) expect(overlap(a, b)).toBe(false);
          const group = layout.groups.find((g) => overlap(g, a))!;
          expect(a.x).toBeGreaterThanOrEqual(group.x);
          expect(a.y).toBeGreaterThanOrEqual(group.y + style.group.label);
          expect(a.x + a.width).toBeLessThanOrEqual(group.x + group.width);
          expect(a.y + a.height).toBeLessThanOrEqual(group.y + group.height);
          for (const row of a.rows) {
            const size = row.kind === 'title' ? style.font.title : style.font.detail;
            const w = estimateWidth(row.text, size, row.kind === 'title');
            const left =
              row.anchor === 'start' ? row.x : row.anchor === 'end' ? row.x - w : row.x - w / 2;
            expect(left).toBeGreaterThanOrEqual(a.x + style.pad.x - 0.01);
            expect(left + w).toBeLessThanOrEqual(a.x + a.width - style.pad.x + 0.01);
            expect(row.y).toBeGreaterThan(a.y);
            expect(row.y).toBeLessThan(a.y + a.height);
          }
        }
        for (const [i, g] of layout.groups.entries()) {
          for (const h of layout.groups.slice(i + 1)) expect(overlap(g, h)).toBe(false);
        }
      }
    }
  });

  it.each(['columns', 'rows'] as const)('%s: every edge runs from border to border', (o) => {
    const layout = layoutOf(scenario, WORKSPACE_STYLE, o);
    const model = buildTopology(scenario, [['laptop.alpha.example', 'mx1.beta.example']]);
    expect(layout.edges.map((e) => e.id)).toEqual(model.edges.map((e) => e.id));
    for (const e of layout.edges) {
      const [from, to] = ends(e.d);
      expect(
        onBorder(
          from,
          layout.nodes.find((p) => p.node.id === e.a)!,
        ),
        e.key,
      ).toBe(true);
      expect(
        onBorder(
          to,
          layout.nodes.find((p) => p.node.id === e.b)!,
        ),
        e.key,
      ).toBe(true);
    }
    // Two edges never share an end point.
    const points = layout.edges.flatMap((e) => ends(e.d).map((p) => p.join(' ')));
    expect(new Set(points).size).toBe(points.length);
  });

  it('takes the orientation that fits at the larger scale, within bounds', () => {
    const layouts = (['columns', 'rows'] as const).map((o) =>
      layoutOf(scenario, WORKSPACE_STYLE, o),
    );
    // The workspace's pane at 1280×720: wide and low; it fits without scrolling (with text
    // widths guessed generously here; tests/e2e/topology.test.ts measures the real thing).
    const wide = fitLayout(layouts, 626, 206, WORKSPACE_STYLE);
    expect(wide.layout.orientation).toBe('columns');
    expect(wide.scale).toBeGreaterThan(WORKSPACE_STYLE.scale.min);
    expect(fitLayout(layouts, 400, 900, WORKSPACE_STYLE).layout.orientation).toBe('rows');
    // Never smaller than the minimum (the stage scrolls), nor larger than the maximum.
    expect(fitLayout(layouts, 100, 100, WORKSPACE_STYLE).scale).toBe(11 / 12);
    expect(fitLayout(layouts, 5000, 5000, WORKSPACE_STYLE).scale).toBe(1.6);
  });

  it('cuts long untrusted names to their box, with an ellipsis, controls dropped', () => {
    const evil = parseScenario(
      {
        ...defaultScenario,
        users: [
          ...defaultScenario.users!,
          { address: `\u202e${'<b>x'.repeat(40)}@alpha.example`, mailHost: 'mail.alpha.example' },
        ],
      },
      'evil',
    );
    const layout = layoutOf(evil, WORKSPACE_STYLE, 'columns');
    const box = byHost(layout, 'mail.alpha.example', true);
    const users = box.rows[1]!;
    expect(users.text).toMatch(/^alice postmaster <b>x(<b>x)*.*…$/);
    expect(estimateWidth(users.text, 12, false)).toBeLessThanOrEqual(box.width - 16);
    // Whole in its accessible name, without the direction override.
    expect(box.text).toContain(`postmaster ${'<b>x'.repeat(20)}`);
    expect(box.text).not.toContain('\u202e');
    expect(box.width).toBe(WORKSPACE_STYLE.box.max);
  });
});
