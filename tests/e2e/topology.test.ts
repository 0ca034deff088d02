/**
 * The workspace's topology (diagram/TopologyStage.tsx) read at 1280×720 as a student sees
 * it: every text at least 11 CSS px on screen, measured in Chromium (a font size through
 * the SVG's scale); each host with its address and ports, no text outside its box or over
 * another's; a refused port marked next to its host; a host down marked with a glyph, a
 * word and a dashed border; clicking a host opens its terminal, a mailbox the Mailboxes
 * view; tokens travel along the edges; the exported SVG draws alone; and the text grows
 * with the pane.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText } from './browser';
import {
  ALPHA,
  LAPTOP,
  MX1,
  MX2,
  NS,
  openLab,
  recordTokens,
  submission,
  tokens,
  typeLines,
  waitForToken,
} from './lab';

const HOSTS = [
  [LAPTOP, 'laptop', '192.0.2.10', 'no listening ports'],
  [ALPHA, 'mail', '192.0.2.25', 'ports 25 587 465'],
  [NS, 'ns', '198.51.100.53', 'port 53'],
  [MX1, 'mx1', '203.0.113.25', 'port 25'],
  [MX2, 'mx2', '203.0.113.26', 'port 25'],
] as const;

const host = (name: string) =>
  `[data-testid=topology-diagram] g.node[data-host="${name}"]:not([data-mailboxes])`;

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openLab(browser));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.waitForSelector('[data-testid=topology-diagram] svg g.node');
});

afterAll(async () => {
  await browser?.close();
});

interface Text {
  text: string;
  /** The font size on screen, in CSS px. */
  size: number;
  box: { x: number; y: number; width: number; height: number };
  /** The drawn node it belongs to, if any. */
  node?: string;
}

/** Every visible text in the topology pane, with its size on screen. */
function texts(): Promise<Text[]> {
  return page.$eval('[data-testid=topology]', (root) => {
    const found: Text[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const element = n.parentElement!;
      const text = (n.textContent ?? '').trim();
      const rect = element.getBoundingClientRect();
      if (!text || rect.width === 0 || element.closest('details:not([open]) > ol')) continue;
      let size = parseFloat(getComputedStyle(element).fontSize);
      if (element instanceof SVGGraphicsElement) {
        const ctm = element.getScreenCTM()!;
        size *= Math.hypot(ctm.a, ctm.b);
      }
      const { x, y, width, height } = rect;
      const node = element.closest('g.node')?.getAttribute('data-node') ?? undefined;
      found.push({ text, size, box: { x, y, width, height }, node });
    }
    return found;
  });
}

const inside = (a: Text['box'], b: Text['box']) =>
  a.x >= b.x - 0.5 &&
  a.y >= b.y - 0.5 &&
  a.x + a.width <= b.x + b.width + 0.5 &&
  a.y + a.height <= b.y + b.height + 0.5;
const overlap = (a: Text['box'], b: Text['box']) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('the topology at 1280×720', () => {
  it('draws every text at least 11 px, without scrolling', async () => {
    const all = await texts();
    expect(all.length).toBeGreaterThan(30);
    const small = all.filter((t) => t.size < 11).map((t) => `${t.text}: ${t.size.toFixed(2)} px`);
    expect(small).toEqual([]);
    // The host names are the big type.
    const title = all.find((t) => t.text === 'mx1')!;
    expect(title.size).toBeGreaterThanOrEqual(13.5);
    const stage = await page.$eval('.topo-stage', (el) => ({
      scroll: [el.scrollWidth, el.scrollHeight],
      client: [el.clientWidth, el.clientHeight],
    }));
    expect(stage.scroll).toEqual(stage.client);
  });

  it('shows each host with its short name, address and ports, and the mailboxes', async () => {
    for (const [name, short, address, ports] of HOSTS) {
      const shown = (await page.textContent(host(name))) ?? '';
      for (const part of [short, address, ports]) expect(shown, name).toContain(part);
    }
    expect(await page.textContent(`[data-host="${MX1}"][data-mailboxes]`)).toContain(
      'bob carol postmaster',
    );
    expect(await page.getAttribute(`[data-host="${MX1}"][data-mailboxes]`, 'data-mailboxes')).toBe(
      'bob carol postmaster',
    );
    // Each node's text lies inside its box, and no two texts overlap.
    const boxes = await page.$$eval('[data-testid=topology-diagram] g.node', (nodes) =>
      Object.fromEntries(
        nodes.map((g) => {
          const { x, y, width, height } = g.querySelector('rect')!.getBoundingClientRect();
          return [g.getAttribute('data-node')!, { x, y, width, height }];
        }),
      ),
    );
    const drawn = (await texts()).filter((t) => t.node);
    for (const t of drawn) expect(inside(t.box, boxes[t.node!]!), t.text).toBe(true);
    for (const [i, a] of drawn.entries()) {
      for (const b of drawn.slice(i + 1))
        expect(overlap(a.box, b.box), `${a.text} / ${b.text}`).toBe(false);
    }
  });

  it('marks a refused port next to its host', async () => {
    await typeLines(page, ['telnet mx1.beta.example 2525']);
    await expect.poll(() => terminalText(page)).toContain('Connection refused');
    await expect.poll(() => page.getAttribute(host(MX1), 'data-closed-ports')).toBe('2525');
    const badge = (await texts()).find((t) => t.text === '✖ closed: port 2525');
    expect(badge?.size).toBeGreaterThanOrEqual(11);
    expect(await page.getAttribute(host(MX1), 'aria-label')).toContain('✖ closed: port 2525');
    // The badge sits at the host's box, clear of the boxes around it.
    const near = await page.$eval(host(MX1), (g) => {
      const box = g.querySelector(':scope > rect')!.getBoundingClientRect();
      const badge = g.querySelector('.closed-ports rect')!.getBoundingClientRect();
      const others = [...document.querySelectorAll('[data-testid=topology-diagram] g.node')]
        .filter((n) => n !== g)
        .map((n) => n.querySelector(':scope > rect')!.getBoundingClientRect());
      return {
        touches: badge.top < box.bottom && badge.bottom > box.bottom,
        clear: others.every(
          (o) =>
            badge.right <= o.left ||
            badge.left >= o.right ||
            badge.bottom <= o.top ||
            badge.top >= o.bottom,
        ),
      };
    });
    expect(near).toEqual({ touches: true, clear: true });
    expect((await texts()).filter((t) => t.size < 11)).toEqual([]);
  });

  it('sends tokens along the edges for a submission, moving over the drawing', async () => {
    await recordTokens(page);
    await typeLines(page, submission('bob@beta.example', 'moving'));
    await waitForToken(page, { kind: 'submission', from: LAPTOP, to: ALPHA });
    const submitted = (await tokens(page)).find((t) => t.kind === 'submission')!;
    expect([submitted.a, submitted.b].sort()).toEqual([LAPTOP, ALPHA].sort());
    // A token on screen moves: two positions a few frames apart differ, both over the drawing.
    const moved = await page.evaluate(async () => {
      const canvas = document.querySelector('.topo-canvas')!.getBoundingClientRect();
      const where = () => {
        const disc = document.querySelector('[data-testid=tokens] .token:not(.pulse) .disc');
        if (!disc) return undefined;
        const r = disc.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2] as const;
      };
      const frame = () => new Promise((done) => requestAnimationFrame(done));
      for (let i = 0; i < 300 && !where(); i++) await frame();
      const first = where();
      for (let i = 0; i < 6; i++) await frame();
      const second = where();
      const over = (p?: readonly [number, number]) =>
        !!p &&
        p[0] >= canvas.left &&
        p[0] <= canvas.right &&
        p[1] >= canvas.top &&
        p[1] <= canvas.bottom;
      return { over: over(first) && over(second), moved: String(first) !== String(second) };
    });
    expect(moved).toEqual({ over: true, moved: true });
    await waitForToken(page, { kind: 'delivery', from: MX1, to: `bob@${MX1}` });
    expect(
      Number(await page.getAttribute('[data-testid=topology]', 'data-tokens-started')),
    ).toBeGreaterThanOrEqual((await tokens(page)).length);
    // The latest activity says what moved, in words.
    await expect
      .poll(() => page.textContent('.activity'))
      .toMatch(/↓ message to bob \(mx1 → bob's mailbox\)/);
  });

  it('opens a terminal on a clicked host, the Mailboxes view on a mailbox', async () => {
    await page.click(host(MX2));
    await expect.poll(() => page.getAttribute('[data-testid=terminal]', 'data-host')).toBe(MX2);
    await expect.poll(() => terminalText(page)).toMatch(/^root@mx2:~#/);
    await page.click(`[data-testid=topology-diagram] g.node[data-host="${MX1}"][data-mailboxes]`);
    await expect
      .poll(() => page.getAttribute('[data-testid=view-tab-mailboxes]', 'aria-selected'))
      .toBe('true');
    await page.click(`[data-testid="terminal-tab-${LAPTOP}"]`);
  });

  it('exports as an SVG file that draws alone, without the page CSS', async () => {
    await page.click('[data-testid=export]');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=export-svg]', { hasText: 'Topology' }).click(),
    ]);
    const text = await readFile(await file.path(), 'utf8');
    expect(file.suggestedFilename()).toBe('smtp-lab-Topology-of-the-mail-world.svg');
    const alone = await browser.newPage();
    await alone.setContent(text.slice(text.indexOf('<svg')));
    const look = await alone.$eval(`g.node[data-host="${MX1}"]:not([data-mailboxes])`, (g) => {
      const box = getComputedStyle(g.querySelector('rect')!);
      const title = getComputedStyle(g.querySelector('text.title')!);
      const edge = getComputedStyle(document.querySelector('path[data-kind=dns]')!);
      return {
        box: [box.fill, box.stroke],
        title: [title.fill, title.fontSize, title.fontWeight],
        edge: [edge.fill, edge.strokeDasharray],
        text: g.textContent,
      };
    });
    await alone.close();
    expect(look).toEqual({
      box: ['rgb(23, 32, 44)', 'rgb(88, 166, 255)'],
      title: ['rgb(230, 237, 243)', '15px', '700'],
      edge: ['none', '4px, 4px'],
      text: expect.stringContaining('203.0.113.25'),
    });
  });

  it('grows its text with the window and the pane', async () => {
    const size = async () => (await texts()).find((t) => t.text === 'mx1')!.size;
    const at1280 = await size();
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(size).toBeGreaterThan(at1280);
    const at1440 = await size();
    expect((await texts()).filter((t) => t.size < 11)).toEqual([]);
    // A bigger pane: drag the divider between the terminal and the diagrams to the left.
    const bar = (await page.$('[data-testid=splitter-vertical]'))!;
    const box = (await bar.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x - 300, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(size).toBeGreaterThan(at1440);
    expect(errors).toEqual([]);
  });
});

describe('a host down', () => {
  it('is marked with a glyph, a word and a dashed red border (mx-fallback)', async () => {
    const down = await openLab(browser, { scenario: 'mx-fallback' });
    await down.page.setViewportSize({ width: 1280, height: 720 });
    const mx1 = `[data-testid=topology-diagram] g.node[data-host="${MX1}"]:not([data-mailboxes])`;
    await down.page.waitForSelector(mx1);
    expect(await down.page.getAttribute(mx1, 'data-down')).toBe('true');
    const shown = (await down.page.textContent(mx1)) ?? '';
    expect(shown).toContain('⊘ mx1');
    expect(shown).toContain('DOWN');
    expect(shown).toContain('203.0.113.25');
    const border = await down.page.$eval(
      `${mx1} > rect`,
      (r) => getComputedStyle(r).strokeDasharray,
    );
    expect(border).not.toBe('none');
    expect(
      await down.page.getAttribute(`[data-host="${MX2}"]:not([data-mailboxes])`, 'data-down'),
    ).toBeNull();
    expect(down.errors).toEqual([]);
    await down.page.close();
  });
});
