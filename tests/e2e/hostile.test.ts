/**
 * A hostile corpus sent through the world (telnet sessions typed into the laptop's
 * terminal): addresses, EHLO names, subjects and bodies carrying HTML, <script>, Mermaid
 * syntax and %%{init}%% directives, terminal escapes and very long lines. No script may
 * run, no dialog open, no remote load happen; every diagram still renders; everything
 * shows as text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser';
import {
  AUTH_PLAIN,
  MX1,
  openLab,
  sequenceTexts,
  showView,
  typeLines,
  waitForMessages,
  type Opened,
} from './lab';

const PWN = 'window.__pwned=1';
const SCRIPT = `<script>${PWN}</script>`;
const IMG = `<img src=x onerror="${PWN}">`;
const MERMAID =
  '%%{init: {"securityLevel":"loose","theme":"forest"}}%% participant X as Y; Note over C,S: pwn; click h0 call alert(1); end';
const ESCAPES = '\x1b]0;pwned\x07\x1b[2J\x1b]52;c;cHduZWQ=\x07\x9b31m\u202eevil';
const LONG = 'A'.repeat(3000);
const TRACKER = 'http://127.0.0.1:9/track.png';

const HTML_BODY = [
  'Content-Type: multipart/alternative; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  `plain ${SCRIPT} ${MERMAID}`,
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  '',
  `<p>html</p>${SCRIPT}${IMG}<a href="javascript:${PWN}">click</a><img src="${TRACKER}"><iframe src="javascript:${PWN}"></iframe><svg onload="${PWN}"></svg><style>@import url(http://127.0.0.1:9/x.css)</style>`,
  '--b1--',
];

/** Sessions whose every field is hostile; the last one is delivered to bob. */
const SESSIONS: string[][] = [
  [
    'telnet mx1.beta.example 25',
    `EHLO ${IMG}${MERMAID}`,
    `MAIL FROM:<"${SCRIPT}"@alpha.example>`,
    `RCPT TO:<${IMG}@beta.example>`,
    `NOOP ${MERMAID} ${ESCAPES}`,
    `HELP ${LONG}`,
    'QUIT',
  ],
  [
    'telnet mail.alpha.example 587',
    `EHLO evil.example`,
    AUTH_PLAIN,
    'MAIL FROM:<alice@alpha.example>',
    'RCPT TO:<bob@beta.example>',
    'DATA',
    `Subject: ${IMG} ${SCRIPT} ${MERMAID} ${ESCAPES} ${LONG}`,
    `From: "${SCRIPT}" <alice@alpha.example>`,
    'To: bob@beta.example',
    'MIME-Version: 1.0',
    ...HTML_BODY,
    `${'B'.repeat(10_000)}`,
    '.',
    'QUIT',
  ],
];

let browser: Browser;
let lab: Opened;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  browser = await launch();
  lab = await openLab(browser);
  page = lab.page;
  page.on('request', (r) => requests.push(r.url()));
  for (const session of SESSIONS) await typeLines(page, session);
  await waitForMessages(page, MX1, 'bob', 1);
});

afterAll(async () => {
  await browser?.close();
});

/** Elements that must never appear inside a view built from the trace. */
const ACTIVE =
  'script, iframe:not([sandbox=""]), object, embed, img, image, a, form, link, meta, base';

async function assertInert(page: Page, selector: string): Promise<void> {
  const found = await page.$eval(
    selector,
    (root, active) => {
      const bad: string[] = [];
      for (const el of root.querySelectorAll(active)) bad.push(el.outerHTML.slice(0, 120));
      for (const el of root.querySelectorAll('*')) {
        for (const attr of el.attributes) {
          if (/^on/i.test(attr.name) || /javascript:/i.test(attr.value))
            bad.push(`${el.tagName} ${attr.name}=${attr.value.slice(0, 60)}`);
        }
      }
      return bad;
    },
    ACTIVE,
  );
  expect(found, selector).toEqual([]);
}

async function assertNothingRan(): Promise<void> {
  expect(
    await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
  ).toBeUndefined();
  expect(lab.dialogs).toEqual([]);
  expect(await page.title()).toBe('SMTP Lab');
  expect(requests.filter((u) => u.includes('127.0.0.1:9'))).toEqual([]);
}

describe('a hostile corpus', () => {
  it('draws the hostile session as text', async () => {
    await showView(page, 'sequence');
    await page.selectOption('[data-testid=session-picker]', 'c1');
    await expect.poll(async () => (await sequenceTexts(page)).messages.length).toBeGreaterThan(8);
    const { messages } = await sequenceTexts(page);
    expect(messages.some((m) => m.startsWith('EHLO <img src=x onerror='))).toBe(true);
    expect(messages.some((m) => m.includes('%%{init: {"securityLevel":"loose"'))).toBe(true);
    expect(
      messages.some((m) => m.startsWith('MAIL FROM:<"<script>window.__pwned=1</script>"')),
    ).toBe(true);
    // Controls and direction overrides are dropped from labels; long lines are capped.
    expect(messages.every((m) => !/[\x00-\x1f\x7f-\x9f\u202e]/.test(m))).toBe(true);
    expect(Math.max(...messages.map((m) => m.length))).toBeLessThanOrEqual(120);
    await assertInert(page, '[data-testid=sequence]');
    await assertNothingRan();
  });

  it('draws the journey of the hostile message', async () => {
    await page.check('[data-testid=journey-mode]');
    await expect.poll(async () => (await sequenceTexts(page)).actors).toContain('mailbox bob@mx1');
    await assertInert(page, '[data-testid=sequence]');
    await assertInert(page, '[data-testid=topology]');
    expect(
      await page.$$eval('[data-testid=topology-diagram] svg g.node', (n) => n.length),
    ).toBeGreaterThan(4);
    await assertNothingRan();
  });

  it('lists and inspects the message as text; HTML only sanitised in a sandbox', async () => {
    await showView(page, 'mailboxes');
    const row = page.locator('[data-testid="mailbox-bob@mx1.beta.example"] [data-testid=message]');
    await expect.poll(() => row.textContent()).toContain('<img src=x onerror=');
    await assertInert(page, '[data-testid=mailboxes]');
    await row.click();
    await page.waitForSelector('[data-testid=received-hop]');
    await assertInert(page, '[data-testid=inspector]');
    expect(await page.textContent('[data-testid=inspector] .headers')).toContain(SCRIPT);

    await page.click('[data-testid=inspector-tab-body]');
    expect(await page.textContent('[data-testid=text-body]')).toContain(`plain ${SCRIPT}`);
    await page.check('[data-testid=show-html]');
    const frame = await page.waitForSelector('[data-testid=html-frame]');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
    expect(srcdoc).toContain("default-src 'none'");
    expect(srcdoc).not.toMatch(/<script|onerror|onload|javascript:|<iframe|@import|127\.0\.0\.1/i);
    expect(await page.textContent('[data-testid=blocked-note]')).toMatch(
      /^\d+ references? to remote content/,
    );
    expect(srcdoc).toContain('<p>html</p>');
    // Give the frame time to try anything it could.
    await page.waitForTimeout(500);
    await page.click('[data-testid=inspector-tab-raw]');
    expect(await page.textContent('[data-testid=inspector] pre.raw')).toContain(SCRIPT);
    await assertInert(page, '[data-testid=inspector]');
    await assertNothingRan();
  });

  it('shows the hostile text in the log, queue and MX views as text', async () => {
    for (const view of ['log', 'queue', 'mx'] as const) {
      await showView(page, view);
      await page.waitForSelector('.view-body > *:not(.loading)');
      await assertInert(page, '.view-body');
    }
    await showView(page, 'log');
    expect(await page.textContent('[data-testid=log-list]')).toContain(
      'from=<alice@alpha.example>',
    );
    await assertNothingRan();
    expect(lab.errors).toEqual([]);
  });
});
