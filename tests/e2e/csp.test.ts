/**
 * The built page's Content-Security-Policy (scripts/csp.ts): it is the first thing in the
 * page's head, and nothing breaks under it. Every violation is collected (the page's
 * securitypolicyviolation events and the browser's console) while the main views are used:
 * the terminal, the topology, the sequence diagram, the MX lookup, the queue and the log,
 * a mailbox with an HTML mail shown in its sandboxed frame, and the lesson tab (a Web
 * Worker). None may happen. A control at the end shows the policy is enforced and seen.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CSP } from '../../scripts/csp';
import { launch, terminalText, typeLine } from './browser';
import { ALPHA, LAPTOP, showView, submission, typeLines } from './lab';

const HTML_MAIL = submission('alice@alpha.example', 'html mail', [
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<h1 style="color: #036">Styled</h1><p>Inline <b>styles</b> stay inside the frame.</p>',
  '--b1--',
]);
HTML_MAIL.splice(
  HTML_MAIL.indexOf(''),
  0,
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b1"',
);

let browser: Browser;
let page: Page;
const logged: string[] = [];
const errors: string[] = [];

/** Violations the page saw (securitypolicyviolation events, recorded from the start). */
const violations = () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
/** Console messages about the policy (these also cover frames and workers). */
const consoleViolations = () => logged.filter((m) => /Content.Security.Policy|Refused to/i.test(m));

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('console', (m) => logged.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(
        `${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
  const url = new URL(inject('baseURL'));
  url.searchParams.set('hooks', '');
  await page.goto(url.toString());
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=terminal] .xterm-rows')?.textContent?.includes('@laptop'),
  );
});

afterAll(async () => {
  await browser?.close();
});

describe('the Content-Security-Policy', () => {
  it('is set by the page, before any script or style', async () => {
    const html = await (await page.request.get(inject('baseURL'))).text();
    const head = html.slice(html.indexOf('<head>'), html.indexOf('</head>'));
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(head);
    expect(meta?.[1]?.replace(/&#39;/g, "'")).toBe(CSP);
    expect(head.indexOf(meta![0])).toBeLessThan(
      head.search(/<script|<link rel="(stylesheet|modulepreload)"/),
    );
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(CSP).not.toMatch(/https?:/);
  });

  it('lets the terminal and the topology work', async () => {
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'telnet mx1.beta.example 25');
    await expect.poll(() => terminalText(page)).toContain('220 mx1.beta.example');
    await typeLine(page, 'QUIT');
    await page.waitForSelector('[data-testid=topology-diagram] svg g.node');
    await expect
      .poll(() => page.getAttribute('[data-testid=topology]', 'data-tokens-started'))
      .toMatch(/^[1-9]/);
    expect(await violations()).toEqual([]);
  });

  it('lets the sequence diagram, the MX lookup, the queue and the log draw', async () => {
    await typeLines(page, submission('bob@beta.example', 'csp check'), LAPTOP);
    await showView(page, 'sequence');
    await page.waitForSelector('[data-testid=sequence] svg .messageText');
    await page.click('[data-testid=view-tab-states]');
    await page.waitForSelector('[data-testid=states-chart] [data-current]');
    await showView(page, 'mx');
    await page.waitForSelector('[data-testid=mx-resolution]');
    await showView(page, 'queue');
    await page.waitForSelector('[data-testid=queue-panel]');
    await showView(page, 'log');
    await page.waitForSelector('[data-testid=log-line]');
    expect(await violations()).toEqual([]);
  });

  it('lets a mailbox show an HTML mail in its sandboxed frame', async () => {
    await typeLines(page, HTML_MAIL, LAPTOP);
    await showView(page, 'mailboxes');
    const box = `[data-testid="mailbox-alice@${ALPHA}"]`;
    await page.click(`${box} .mailbox-name`);
    await page.click(`${box} [data-testid=message]`);
    await page.click('[data-testid=inspector-tab-body]');
    await page.check('[data-testid=show-html]');
    const frame = await (await page.waitForSelector('[data-testid=html-frame]')).contentFrame();
    await expect.poll(() => frame?.textContent('h1')).toBe('Styled');
    // The frame's own inline style applied: the policy let it through.
    expect(await frame?.$eval('h1', (h) => getComputedStyle(h).color)).toBe('rgb(0, 51, 102)');
    expect(await violations()).toEqual([]);
  });

  it('lets the lesson tab run its Web Worker', async () => {
    await page.click('[data-testid=view-tab-lesson]');
    // The course is parsed in the worker: its map shows only if the worker ran.
    await page.waitForSelector('[data-testid=lesson]');
    expect(await page.textContent('.course-map')).toContain('Hello, SMTP');
    expect(await violations()).toEqual([]);
  });

  it('saw no violation at all, in the page, its frame or its worker', async () => {
    // A reload reads the remembered layout back (through its schema) under the policy too.
    await page.reload();
    await page.waitForSelector('[data-testid=lesson]');
    expect(await violations()).toEqual([]);
    expect(consoleViolations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('is enforced: an injected inline script is refused and reported', async () => {
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.head.append(s);
    });
    await expect
      .poll(violations)
      .toEqual([expect.stringMatching(/^script-src-elem blocked inline/)]);
    expect(await page.evaluate(() => 'inline' in window || '__inline' in window)).toBe(false);
    await expect.poll(consoleViolations).toHaveLength(1);
  });
});
