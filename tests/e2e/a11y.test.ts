/**
 * Accessibility in Chromium: axe-core (injected into the built page, under its CSP) finds no
 * serious or critical violation on the main screens, the lesson's quiz, the Share panel,
 * the Export menu, the sandbox dialog, and presenter mode (a demo, its `?` overlay, the
 * list of demos). The lab works from the keyboard alone with a visible focus; the sandbox
 * dialog keeps the focus until Escape gives it back; the terminal runs in xterm's
 * screen-reader mode and can be left with Escape then Tab, or Shift+Tab; a polite live
 * region reads out the SMTP conversation, bounded; every diagram has a text description;
 * bounce and deferral carry a glyph or a word, not only a colour.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText, typeLine } from './browser';
import { ALPHA, MX2, openLab, setSpeed, showView, submission, typeLines, type Opened } from './lab';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** An HTML mail to alice, delivered on mail.alpha.example. */
const HTML_MAIL = [
  ...submission('alice@alpha.example', 'html newsletter', [
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Plain version.',
    '--b1',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<h1>Newsletter</h1><p>Hello <b>alice</b>.</p>',
    '--b1--',
  ]),
];
// The headers a multipart message needs, before the blank line that ends them.
HTML_MAIL.splice(
  HTML_MAIL.indexOf(''),
  0,
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b1"',
);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe-core over the whole page; the serious and critical findings, readable. */
async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: unknown): Promise<unknown> } }).axe;
    const result = (await axe.run(document)) as { violations: unknown[] };
    return result.violations;
  })) as Violation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id} (${v.help}): ${v.nodes
          .slice(0, 5)
          .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
          .join(' | ')}`,
    );
}

let browser: Browser;
let lab: Opened;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  // mx1 is down here: mail for beta.example waits in mx2's queue (deferrals to show).
  lab = await openLab(browser, { scenario: 'mx-fallback' });
  page = lab.page;
  await page.waitForSelector('[data-testid=topology-diagram] svg g.node');
});

afterAll(async () => {
  await browser?.close();
});

describe('axe-core on the main screens', () => {
  it('the workspace as it opens', async () => {
    expect(await axeProblems(page)).toEqual([]);
  });

  it('the sequence diagram, after mail was sent', async () => {
    await typeLines(page, submission('bob@beta.example', 'for bob'));
    await typeLines(page, HTML_MAIL);
    await showView(page, 'sequence');
    await page.waitForSelector('[data-testid=sequence] svg');
    expect(await axeProblems(page)).toEqual([]);
  });

  it('the SMTP states view, its text description open', async () => {
    await page.click('[data-testid=view-tab-states]');
    await page.waitForSelector('[data-testid=states-chart] [data-current]');
    await page.click('[data-testid=states-text] summary');
    expect(await axeProblems(page)).toEqual([]);
  });

  it('the MX lookup', async () => {
    await showView(page, 'mx');
    await page.waitForSelector(`[data-testid=mx-resolution][data-host="${ALPHA}"]`);
    // Fast through mx2's attempt on mx1 (which times out): its deferral shows too.
    await setSpeed(page, 16);
    await page.waitForSelector(`[data-testid=mx-resolution][data-host="${MX2}"] .badge.deferred`);
    await setSpeed(page, 1);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('the mailboxes with a message open, its HTML part shown', async () => {
    await showView(page, 'mailboxes');
    await page.click(`[data-testid="mailbox-alice@${ALPHA}"] .mailbox-name`);
    await page.click(`[data-testid="mailbox-alice@${ALPHA}"] [data-testid=message]`);
    await page.waitForSelector('[data-testid=received-hop]');
    expect(await axeProblems(page)).toEqual([]);
    await page.click('[data-testid=inspector-tab-body]');
    await page.check('[data-testid=show-html]');
    await page.waitForSelector('[data-testid=html-frame]');
    expect(await axeProblems(page)).toEqual([]);
  });

  it('the queue', async () => {
    await showView(page, 'queue');
    await page.waitForSelector(`[data-testid=queue-entry][data-host="${MX2}"]`);
    expect(await axeProblems(page)).toEqual([]);
  });

  it('the mail log', async () => {
    await showView(page, 'log');
    await page.waitForSelector('[data-testid=log-line]');
    expect(await axeProblems(page)).toEqual([]);
  });

  it('the lesson', async () => {
    await page.click('[data-testid=view-tab-lesson]');
    await page.waitForSelector('[data-testid=lesson]');
    expect(await axeProblems(page)).toEqual([]);
  });

  it('the lesson with its quiz shown, one question answered', async () => {
    await page.click('[data-testid=lesson-step-recap] button');
    await page.waitForSelector('[data-testid=lesson-quiz]');
    expect(await axeProblems(page)).toEqual([]);
    await page.check('[data-testid=quiz-0-choice-0]');
    await page.click('[data-testid=quiz-check-0]');
    await page.waitForSelector('[data-testid=quiz-feedback-0]');
    expect(await axeProblems(page)).toEqual([]);
  });

  it('the Share panel open, its link made', async () => {
    await page.click('[data-testid=share]');
    await expect
      .poll(() => page.inputValue('[data-testid=share-link]'), { timeout: 10_000 })
      .toMatch(/^http/);
    const problems = await axeProblems(page);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#share-panel', { state: 'detached' });
    expect(problems).toEqual([]);
  });

  it('the Export menu open', async () => {
    await page.click('[data-testid=export]');
    await page.waitForSelector('#export-menu');
    const problems = await axeProblems(page);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#export-menu', { state: 'detached' });
    expect(problems).toEqual([]);
  });

  it('the scenario sandbox', async () => {
    await page.click('[data-testid=sandbox-open]');
    await page.waitForSelector('[data-testid=sandbox][open] [data-testid=sb-start]');
    const problems = await axeProblems(page);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=sandbox]', { state: 'detached' });
    expect(problems).toEqual([]);
  });
});

describe('axe-core on presenter mode', () => {
  let presenter: Opened;

  beforeAll(async () => {
    presenter = await openLab(browser, { present: 'mx-fallback' });
    await presenter.page.waitForSelector(
      '[data-testid=presenter][data-demo=mx-fallback] [data-testid=presenter-topology] g[data-host]',
    );
  });

  afterAll(async () => {
    await presenter?.page.close();
  });

  it('a demo, after its first caption', async () => {
    const p = presenter.page;
    await p.keyboard.press('n');
    await expect.poll(() => p.getAttribute('[data-testid=presenter]', 'data-caption')).toBe('0');
    expect(await axeProblems(p)).toEqual([]);
  });

  it('with the ? shortcuts overlay open', async () => {
    const p = presenter.page;
    await p.keyboard.press('?');
    await p.waitForSelector('[data-testid=presenter-help-dialog][open]');
    const problems = await axeProblems(p);
    await p.keyboard.press('Escape');
    await p.waitForSelector('[data-testid=presenter-help-dialog]', { state: 'hidden' });
    expect(problems).toEqual([]);
  });

  it('the list of demos', async () => {
    const p = presenter.page;
    await p.click('[data-testid=presenter-exit]');
    await expect.poll(() => p.$('[data-testid=presenter]')).toBeNull();
    await p.click('[data-testid=present]');
    await p.waitForSelector('.presenter-list');
    expect(await axeProblems(p)).toEqual([]);
    expect(presenter.errors).toEqual([]);
  });
});

describe('screen readers', () => {
  it('runs the terminal in xterm screen-reader mode, labelled', async () => {
    await page.waitForSelector('[data-testid=terminal] .xterm-accessibility-tree');
    expect(await page.getAttribute('[data-testid=terminal] textarea', 'aria-label')).toBe(
      'Terminal on laptop.alpha.example',
    );
  });

  it('reads the SMTP conversation out in a polite live region, bounded', async () => {
    const region = page.locator('[data-testid=transcript]');
    expect(await region.getAttribute('aria-live')).toBe('polite');
    expect(await region.getAttribute('role')).toBe('log');
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'telnet mx2.beta.example 25');
    await expect.poll(() => region.textContent()).toContain('mx2 to laptop: 220 mx2.beta.example');
    await typeLine(page, 'EHLO laptop.alpha.example');
    await expect
      .poll(() => region.textContent())
      .toContain('laptop to mx2: EHLO laptop.alpha.example');
    for (let i = 0; i < 10; i++) await typeLine(page, `NOOP ${i}`);
    await expect.poll(() => region.textContent()).toContain('mx2 to laptop: 250 2.0.0 Ok');
    await expect.poll(() => region.textContent()).toContain('laptop to mx2: NOOP 9');
    expect(await region.locator('p').count()).toBeLessThanOrEqual(12);
    expect(await region.textContent()).not.toContain('NOOP 0');
    await typeLine(page, 'QUIT');
  });

  it('describes every diagram in text', async () => {
    const topology = (await page.textContent('[data-testid=topology-diagram-text]')) ?? '';
    expect(topology).toContain('mx1.beta.example: MX server, 203.0.113.25, DOWN.');
    expect(topology).toContain('Mailboxes on mail.alpha.example: alice');
    expect(topology).toContain('Every other host asks ns.example for DNS.');
    await showView(page, 'sequence');
    await page.waitForSelector('[data-testid=sequence] svg');
    const sequence = (await page.textContent('[data-testid=sequence-text]')) ?? '';
    expect(sequence).toContain('laptop.alpha.example to mx2.beta.example: QUIT');
    expect(sequence).toContain('mx2.beta.example to laptop.alpha.example: 221 2.0.0 Bye');
  });

  it('marks deferrals and bounces with a glyph and a word, not only a colour', async () => {
    await showView(page, 'mx');
    const badge = page.locator(`[data-testid=mx-resolution][data-host="${MX2}"] .badge`).first();
    await expect.poll(() => badge.textContent()).toBe('↻ deferred');
    await showView(page, 'log');
    const deferred = page.locator('[data-testid=log-line].deferred').first();
    expect(await deferred.textContent()).toMatch(/^⏳.*status=deferred/);
    const legend = (await page.textContent('.legend')) ?? '';
    expect(legend).toContain('✖bounce');
    expect(legend).toContain('↻deferral');
  });
});

describe('the keyboard alone', () => {
  /** Where the focus is, and whether it shows (an outline, or the terminal's own ring). */
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { name: '', visible: false, terminal: false };
      const terminal = !!el.closest('.xterm-host');
      const shown = getComputedStyle(terminal ? el.closest('.xterm-host')! : el);
      return {
        name: el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '',
        testid: el.dataset.testid ?? '',
        visible: shown.outlineStyle !== 'none' && parseFloat(shown.outlineWidth) > 0,
        terminal,
      };
    });

  it('completes with Tab inside the terminal, leaves it with Escape then Tab or Shift+Tab', async () => {
    await page.click('[data-testid=terminal]');
    await page.keyboard.type('tel');
    await page.keyboard.press('Tab');
    await expect
      .poll(async () => (await terminalText(page)).split('\n').at(-1))
      .toMatch(/\$ telnet$/);
    expect((await focused()).terminal).toBe(true);
    expect((await focused()).visible).toBe(true);
    await page.keyboard.press('Shift+Tab');
    const before = await focused();
    expect(before.terminal).toBe(false);
    expect(before.visible).toBe(true);
    await page.keyboard.press('Tab');
    expect((await focused()).terminal).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    const after = await focused();
    expect(after.terminal).toBe(false);
    expect(after.visible).toBe(true);
    expect(after.name).not.toBe(before.name);
    // Nothing was typed by leaving: the line still reads "telnet".
    expect((await terminalText(page)).split('\n').at(-1)).toMatch(/\$ telnet$/);
    await page.click('[data-testid=terminal]');
    await page.keyboard.press('Control+U');
  });

  it('reaches and works the views, the topology and the timeline with Tab and Enter', async () => {
    await page.click('[data-testid=terminal]');
    await page.keyboard.press('Escape');
    const seen: { name: string; visible: boolean }[] = [];
    // Forward through the whole page: every stop shows its focus.
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      if (f.terminal) continue;
      seen.push(f);
      if (f.testid === 'view-tab-queue') break;
    }
    expect(seen.filter((f) => !f.visible)).toEqual([]);
    expect(seen.some((f) => f.name.startsWith('Open a terminal on mx2.beta.example:'))).toBe(true);
    expect(seen.at(-1)?.name).toBe('Queues');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=queue-panel]');
    // A host in the topology opens its terminal from the keyboard.
    await page.focus(
      `[data-testid=topology-diagram] g.node[data-host="${MX2}"]:not([data-mailboxes])`,
    );
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="terminal-tab-${MX2}"][aria-current=true]`);
    // The timeline: pause and play with the keyboard.
    const playing = () => page.getAttribute('[data-testid=play]', 'aria-pressed');
    const was = await playing();
    await page.focus('[data-testid=play]');
    await page.keyboard.press('Enter');
    await expect.poll(playing).not.toBe(was);
    await page.keyboard.press('Space');
    await expect.poll(playing).toBe(was);
  });

  it('keeps the focus inside the sandbox dialog; Escape gives it back to its button', async () => {
    await page.focus('[data-testid=sandbox-open]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=sandbox][open] [data-testid=sb-start]');
    const where = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return {
          inside: !!el?.closest('[data-testid=sandbox]'),
          key: el ? `${el.tagName} ${el.id} ${el.textContent?.slice(0, 30) ?? ''}` : '',
          visible: !!el && getComputedStyle(el).outlineStyle !== 'none',
        };
      });
    const first = await where();
    expect(first.inside).toBe(true);
    // Forward all the way round (the form is long) and back: never outside the dialog.
    const stops = await page.$$eval(
      '[data-testid=sandbox] :is(a, button, input, select, textarea, [tabindex="0"])',
      (els) => els.length,
    );
    const seen = new Set<string>();
    for (let i = 0; i < stops + 3; i++) {
      await page.keyboard.press('Tab');
      const f = await where();
      expect(f.inside, `Tab ${i + 1} left the dialog`).toBe(true);
      expect(f.visible, `no focus ring on ${f.key}`).toBe(true);
      seen.add(f.key);
    }
    expect(seen.has(first.key)).toBe(true);
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift+Tab');
      expect((await where()).inside).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=sandbox]', { state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'sandbox-open',
    );
  });

  it('ran without page errors', () => {
    expect(lab.errors).toEqual([]);
  });
});
