/**
 * The "SMTP states" view in Chromium at 1280×720, in the default bottom pane: a learner
 * types `telnet mx1.beta.example 25`, EHLO, DATA too early (503: a red mark, the state stays
 * ready) and MAIL (mail is where they are, the edge taken highlighted with 250). The chart
 * fits the pane, every text is at least 12 CSS px and no two labels overlap; "In sequence
 * now" lists RCPT; the text description says the same in words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText, typeLine } from './browser';
import { openLab, type Opened } from './lab';

let browser: Browser;
let lab: Opened;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  lab = await openLab(browser);
  page = lab.page;
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.click('[data-testid=view-tab-states]');
  await page.waitForSelector('[data-testid=states-panel]');
});

afterAll(async () => {
  await browser?.close();
});

const current = () =>
  page.$$eval('[data-testid=states-chart] [data-current]', (els) =>
    els.map((e) => e.getAttribute('data-state')),
  );

/** Type a line into the laptop's terminal and wait for the server's reply to it. */
async function say(line: string, reply: RegExp): Promise<void> {
  await page.click('[data-testid=terminal]');
  await typeLine(page, line);
  await expect.poll(async () => (await terminalText(page)).split('\n').at(-1) ?? '').toMatch(reply);
}

describe('the SMTP states view', () => {
  it('says where to start before any session', async () => {
    expect(await page.textContent('[data-testid=states-panel]')).toContain(
      'telnet mx1.beta.example 25',
    );
  });

  it('follows a telnet session: greeted, then ready after EHLO', async () => {
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'telnet mx1.beta.example 25');
    await expect.poll(() => terminalText(page)).toContain('220 mx1.beta.example');
    await expect.poll(current).toEqual(['greeted']);
    await say('EHLO x', /^250 /);
    await expect.poll(current).toEqual(['ready']);
    expect(await page.getAttribute('[data-edge=greeted-ready]', 'data-taken')).toBe('true');
  });

  it('marks DATA out of sequence in red with its 503; the state stays ready', async () => {
    await say('DATA', /^503 /);
    const mark = page.locator('[data-testid=refused-mark]');
    await expect.poll(() => mark.textContent()).toBe('✗ DATA 503');
    expect(await mark.getAttribute('fill')).toBe('#ff7b72');
    expect(await current()).toEqual(['ready']);
    expect(await page.textContent('[data-testid=you-are-here]')).toContain('you are here');
    const step = page.locator('[data-testid=states-step]').first();
    expect(await step.getAttribute('data-kind')).toBe('sequence');
    expect(await step.textContent()).toContain('refused: out of sequence (503), state stays ready');
  });

  it('moves to mail on MAIL FROM, the edge taken highlighted with 250', async () => {
    await say('MAIL FROM:<a@alpha.example>', /^250 /);
    await expect.poll(current).toEqual(['mail']);
    expect(await page.getAttribute('[data-edge=ready-mail]', 'data-taken')).toBe('true');
    expect(await page.textContent('[data-testid=last-code]')).toBe('250');
    expect(await page.$('[data-testid=refused-mark]')).toBeNull();
  });

  it('lists RCPT in sequence now, and the extensions EHLO did not offer as such', async () => {
    const allowed = page.locator('[data-testid=states-allowed]');
    expect(await allowed.locator('[data-verb=RCPT]').getAttribute('data-offered')).toBe('true');
    expect(await allowed.locator('[data-verb=DATA]').count()).toBe(0);
    expect(await page.textContent('[data-testid=states-side]')).toMatch(/In sequence now:\s*RCPT/);
    // Back in ready, AUTH (not in mx1's EHLO reply) is in sequence but not offered.
    await say('RSET', /^250 /);
    await expect.poll(current).toEqual(['ready']);
    const auth = allowed.locator('[data-verb=AUTH]');
    expect(await auth.getAttribute('data-offered')).toBe('false');
    expect(await auth.textContent()).toBe('AUTH (not offered)');
    expect(await allowed.locator('[data-verb=MAIL]').getAttribute('data-offered')).toBe('true');
    await say('MAIL FROM:<a@alpha.example>', /^250 /);
    await expect.poll(current).toEqual(['mail']);
  });

  it('fits the default bottom pane, every text at least 12 px, no two labels overlapping', async () => {
    const fit = await page.$eval('.states-chart-scroll', (el) => ({
      width: el.clientWidth,
      height: el.clientHeight,
      overflowX: el.scrollWidth - el.clientWidth,
      overflowY: el.scrollHeight - el.clientHeight,
    }));
    expect(fit.overflowX).toBeLessThanOrEqual(1);
    expect(fit.overflowY).toBeLessThanOrEqual(1);
    const sizes = await page.$eval('[data-testid=states-panel]', (panel) => {
      const out: { text: string; px: number }[] = [];
      const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement!;
        if (!n.textContent?.trim() || el.getClientRects().length === 0) continue;
        let px = parseFloat(getComputedStyle(el).fontSize);
        // SVG text is scaled with its drawing.
        if (el instanceof SVGElement) px *= el.ownerSVGElement?.getScreenCTM()?.a ?? NaN;
        out.push({ text: n.textContent.trim(), px: Math.round(px * 100) / 100 });
      }
      return out;
    });
    expect(sizes.length).toBeGreaterThan(30);
    expect(sizes.filter((s) => !(s.px >= 12))).toEqual([]);
    const overlaps = await page.$eval('[data-testid=states-chart]', (svg) => {
      const boxes = [...svg.querySelectorAll('text')].map((t) => ({
        text: t.textContent ?? '',
        r: t.getBoundingClientRect(),
      }));
      const hits: string[] = [];
      boxes.forEach((a, i) =>
        boxes.slice(i + 1).forEach((b) => {
          const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
          const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
          if (x > 1 && y > 1) hits.push(`${a.text} × ${b.text}`);
        }),
      );
      return hits;
    });
    expect(overlaps).toEqual([]);
  });

  it('describes the state and what may come next in text', async () => {
    const text = (await page.textContent('[data-testid=states-text]')) ?? '';
    expect(text).toContain("the server's state: mail.");
    expect(text).toContain('In sequence now: RCPT,');
    expect(text).toContain('DATA: refused: out of sequence (503), state stays ready.');
  });

  it('follows the latest session, or the one picked', async () => {
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'QUIT');
    await expect.poll(() => terminalText(page)).toContain('221 2.0.0 Bye');
    await expect.poll(current).toEqual(['closed']);
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'telnet mx1.beta.example 25');
    await expect.poll(current).toEqual(['greeted']);
    expect(await page.textContent('[data-testid=states-session-picker] option')).toBe(
      'latest session (c2)',
    );
    await page.selectOption('[data-testid=states-session-picker]', 'c1');
    await expect.poll(current).toEqual(['closed']);
    await page.selectOption('[data-testid=states-session-picker]', '');
    await expect.poll(current).toEqual(['greeted']);
  });

  it('ran without page errors', () => {
    expect(lab.errors).toEqual([]);
  });
});
