/**
 * Exports in Chromium, checked through real downloads: the terminal transcript as the
 * screen showed it, the trace as JSON lines (one event per line, as `lab run --trace`),
 * each diagram on screen as a standalone SVG, a stored message as .eml, and the lab file
 * (Save lab) loading back.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText } from './browser';
import { inLab, MX1, openLab, showView, submission, typeLines, waitForMessages } from './lab';

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openLab(browser));
  await typeLines(page, submission('bob@beta.example', 'exported'));
  await waitForMessages(page, MX1, 'bob', 1, 20_000);
  // Hold the world still so what is exported can be compared with what the page holds.
  await inLab(page, ({ store }) => store.getState().pause());
});

afterAll(async () => {
  await browser?.close();
});

/** Run `action`, which starts a download; its file name and text. */
async function download(action: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), action()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

async function exportItem(testId: string, index = 0): Promise<{ name: string; text: string }> {
  await page.click('[data-testid=export]');
  return download(() => page.locator(`[data-testid=${testId}]`).nth(index).click());
}

describe('exports', () => {
  it('the terminal transcript: the text the screen showed', async () => {
    const { name, text } = await exportItem('export-transcript');
    expect(name).toBe('smtp-lab-laptop.alpha.example-transcript.txt');
    expect(text).not.toMatch(/\x1b/);
    expect(text).toMatch(/^220 mail\.alpha\.example ESMTP/m);
    expect(text).toMatch(/^250 2\.0\.0 Ok: queued as \w+$/m);
    expect(text).toMatch(/^Subject: exported$/m);
    // Its last lines are what the terminal shows (blank lines aside).
    const shown = (await terminalText(page)).split('\n').filter((l) => l.trim());
    const lines = text.split('\n').filter((l) => l.trim());
    expect(lines.slice(-shown.length)).toEqual(shown);
    // The menu closed and gave focus back to its button.
    expect(await page.$('#export-menu')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'export',
    );
  });

  it('the trace: one JSON event per line, the events the lab holds', async () => {
    const { name, text } = await exportItem('export-trace');
    expect(name).toBe('smtp-lab-default-trace.jsonl');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    const events = await inLab(page, (lab) => lab.runtime().events);
    expect(lines.length).toBe(events.length);
    expect(lines.map((l) => JSON.parse(l))).toEqual(events);
    expect(lines.some((l) => l.includes('"type":"mail.delivered"'))).toBe(true);
  });

  it('each diagram on screen as a standalone SVG', async () => {
    await page.waitForSelector('[data-testid=topology-diagram] svg g.node');
    await showView(page, 'sequence');
    await page.waitForSelector('[data-testid=sequence] svg');
    await page.click('[data-testid=export]');
    const titles = await page.$$eval('[data-testid=export-svg]', (b) =>
      b.map((e) => e.textContent),
    );
    expect(titles).toEqual([
      'Topology of the mail world (.svg)',
      expect.stringMatching(
        /^(Journey of a message across hosts|SMTP session sequence diagram) \(\.svg\)$/,
      ),
    ]);
    await page.keyboard.press('Escape');

    for (const [index, host] of [
      [0, '[data-testid=topology-diagram]'],
      [1, '[data-testid=sequence]'],
    ] as const) {
      const { name, text } = await exportItem('export-svg', index);
      expect(name).toMatch(/^smtp-lab-.+\.svg$/);
      expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
      expect(text).toMatch(/^<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/m);
      // It parses as XML on its own, and draws what the page drew.
      const check = await page.evaluate(
        ([svgText, selector]) => {
          const doc = new DOMParser().parseFromString(svgText!, 'image/svg+xml');
          const shown = document.querySelector(`${selector} svg`)!;
          return {
            error: doc.querySelector('parsererror')?.textContent ?? null,
            root: doc.documentElement.namespaceURI,
            texts: doc.documentElement.textContent
              ?.replace(/\s+/g, ' ')
              .includes(shown.querySelector('text')?.textContent?.trim() ?? '(none)'),
            background: doc.documentElement.getAttribute('style'),
          };
        },
        [text, host],
      );
      expect(check.error).toBeNull();
      expect(check.root).toBe('http://www.w3.org/2000/svg');
      expect(check.texts).toBe(true);
      expect(check.background).toMatch(/background-color: rgb/);
    }

    // The sequence diagram draws alone, without the page's CSS: colours and font are in it.
    const { text } = await exportItem('export-svg', 1);
    const alone = await browser.newPage();
    await alone.setContent(text.slice(text.indexOf('<svg')));
    const look = await alone.$eval('svg .messageText', (t) => {
      const style = getComputedStyle(t);
      return { fill: style.fill, font: style.fontFamily, size: style.fontSize };
    });
    await alone.close();
    expect(look.fill).not.toBe('rgb(0, 0, 0)');
    expect(look.font).toMatch(/DejaVu Sans Mono.*monospace/);
    expect(look.size).toBe('12px');
  });

  it('a stored message as .eml from the message inspector', async () => {
    await showView(page, 'mailboxes');
    await page.click(`[data-testid="mailbox-bob@${MX1}"] button.mailbox-name`);
    await page.click(`[data-testid="mailbox-bob@${MX1}"] [data-testid=message]`);
    await page.waitForSelector('[data-testid=inspector]');
    const { name, text } = await download(() => page.click('[data-testid=inspector-eml]'));
    const raw = await inLab(
      page,
      (lab) => lab.runtime().lab.world.mailstore('mx1.beta.example')!.messages('bob')[0]!.raw,
    );
    expect(name).toMatch(/^bob@beta\.example-\w+\.eml$/);
    expect(text).toBe(raw);
    expect(text).toMatch(/^Return-Path: <alice@alpha\.example>\r\n/);
    expect(text).toMatch(/\r\nSubject: exported\r\n/);
  });

  it('the lab as a file (Save lab) that Load lab replays', async () => {
    const { name, text } = await download(() => page.click('button:has-text("Save lab")'));
    expect(name).toBe('smtp-lab-default.json');
    const doc = JSON.parse(text);
    expect(doc.format).toBe('smtp-lab/v2');
    expect(doc.scenario).toBe('default');
    const before = await inLab(page, (lab) => {
      (window as unknown as { before: unknown }).before = lab.runtime();
      return JSON.stringify(lab.runtime().events);
    });
    await page.setInputFiles('[data-testid=load-lab-file]', {
      name: 'lab.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    // A new runtime, replayed from the file into the same trace.
    await expect
      .poll(() =>
        inLab(
          page,
          (lab) =>
            lab.runtime() !== (window as unknown as { before: unknown }).before &&
            JSON.stringify(lab.runtime().events),
        ),
      )
      .toBe(before);
    await page.setInputFiles('[data-testid=load-lab-file]', {
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...doc, format: 'smtp-lab/v9' })),
    });
    await expect
      .poll(() => page.textContent('.notices').catch(() => ''))
      .toMatch(/broken\.json: This is not an SMTP Lab file: format: /);
    expect(errors).toEqual([]);
  });
});
