/**
 * The first slice a learner sees: a whole SMTP session typed by hand with telnet into the
 * real terminal, the replies on screen, bob's mailbox, and the live sequence diagram.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText, typeLine } from './browser';

const SESSION = [
  'HELO laptop.alpha.example',
  'MAIL FROM:<alice@alpha.example>',
  'RCPT TO:<bob@beta.example>',
  'DATA',
  'Subject: test message',
  'From: alice@alpha.example',
  'To: bob@beta.example',
  '',
  'Hello,',
  'This is a test.',
  'Goodbye.',
  '.',
  'QUIT',
];

let browser: Browser;
let page: Page;
const scriptsRun: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scriptsRun.push(r.url());
  });
  await page.goto(inject('baseURL'));
  await page.waitForSelector('[data-testid=terminal] .xterm-rows');
  await page.waitForFunction(() =>
    document
      .querySelector('[data-testid=terminal] .xterm-rows')
      ?.textContent?.includes('alice@laptop'),
  );
});

afterAll(async () => {
  await browser?.close();
});

describe('a first SMTP session by hand', () => {
  it('shows the prompt on laptop; diagram code is not part of the initial JavaScript', async () => {
    expect(await terminalText(page)).toMatch(/^alice@laptop:~\$/);
    // The page itself names only the entry chunk and its static imports: no Mermaid.
    const html = await (await page.request.get(inject('baseURL'))).text();
    const initial = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(initial.length).toBeGreaterThan(0);
    expect(initial.some((u) => /mermaid|diagram|Sequence|cytoscape|katex/i.test(u))).toBe(false);
    await expect.poll(() => page.textContent('.diagram-pane')).toContain('No SMTP session yet');
  });

  it('connects with telnet like the real one', async () => {
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'telnet mx1.beta.example 25');
    await expect.poll(() => terminalText(page)).toContain('220 mx1.beta.example');
    const screen = await terminalText(page);
    expect(screen).toContain('Trying 203.0.113.25...');
    expect(screen).toContain('Connected to mx1.beta.example.');
    expect(screen).toContain("Escape character is '^]'.");
  });

  it('answers every command of the session with the right code', async () => {
    for (const line of SESSION) await typeLine(page, line);
    await expect.poll(() => terminalText(page)).toContain('Connection closed by foreign host.');
    const screen = await terminalText(page);
    const after = (command: string) => {
      const lines = screen.split('\n');
      const i = lines.findIndex((l) => l === command);
      expect(i, `"${command}" on screen`).toBeGreaterThanOrEqual(0);
      return lines[i + 1];
    };
    expect(after('HELO laptop.alpha.example')).toBe('250 mx1.beta.example');
    expect(after('MAIL FROM:<alice@alpha.example>')).toMatch(/^250 2\.1\.0/);
    expect(after('RCPT TO:<bob@beta.example>')).toMatch(/^250 2\.1\.5/);
    expect(after('DATA')).toMatch(/^354 /);
    expect(after('.')).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-F]{10}$/);
    expect(after('QUIT')).toBe('221 2.0.0 Bye');
    expect(screen.split('\n').at(-1)).toMatch(/^alice@laptop:~\$/);
  });

  it("delivers the message to bob's mailbox", async () => {
    await page.click('[data-testid=view-tab-mailboxes]');
    const bob = page.locator('[data-testid="mailbox-bob@mx1.beta.example"]');
    await expect.poll(() => bob.textContent()).toContain('1 message');
    await bob.getByRole('button', { name: /test message/ }).click();
    await page.click('[data-testid=inspector-tab-raw]');
    const source = await page.textContent('.message-view pre');
    expect(source).toContain('Return-Path: <alice@alpha.example>');
    expect(source).toContain(
      'Received: from laptop.alpha.example (laptop.alpha.example [192.0.2.10])',
    );
    expect(source).toMatch(/Hello,\nThis is a test\.\nGoodbye\./);
  });

  it('draws the session as a sequence diagram, its code fetched after the first paint', async () => {
    // A chunk of its own, not in the page's initial scripts (see the first test).
    expect(scriptsRun.some((u) => /\/SequencePanel-[\w-]+\.js$/.test(u))).toBe(true);
    await page.click('[data-testid=view-tab-sequence]');
    await page.waitForSelector('[data-testid=sequence] svg .messageText');
    const actors = await page.$$eval('[data-testid=sequence] svg text.actor', (els) =>
      els.map((e) => e.textContent),
    );
    expect(actors).toContain('laptop.alpha.example');
    expect(actors).toContain('mx1.beta.example');
    const messages = await page.$$eval('[data-testid=sequence] svg .messageText', (els) =>
      els.map((e) => e.textContent ?? ''),
    );
    const body = SESSION.slice(SESSION.indexOf('DATA') + 1, SESSION.indexOf('.'));
    const bodyBytes = body.reduce((n, line) => n + line.length + 2, 0); // each line + CRLF
    const expected = [
      'TCP connect to port 25',
      '220 mx1.beta.example ESMTP SMTP Lab',
      'HELO laptop.alpha.example',
      '250 mx1.beta.example',
      'MAIL FROM:<alice@alpha.example>',
      '250 2.1.0 Ok',
      'RCPT TO:<bob@beta.example>',
      '250 2.1.5 Ok',
      'DATA',
      '354 End data with <CR><LF>.<CR><LF>',
      `message text, ${body.length} lines, ${bodyBytes} bytes, then "."`,
      expect.stringMatching(/^250 2\.0\.0 Ok: queued as [0-9A-F]{10}$/),
      'QUIT',
      '221 2.0.0 Bye',
    ];
    expect(messages).toEqual(expected);
    expect(pageErrors).toEqual([]);
  });
});

describe('bad input', () => {
  it('answers a wrong sequence and an unknown verb, then goes on', async () => {
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'telnet mx1.beta.example 25');
    await expect.poll(() => terminalText(page)).toMatch(/Escape character[\s\S]*220 mx1[\s\S]*$/);
    await typeLine(page, 'RCPT TO:<bob@beta.example>');
    await typeLine(page, 'FROB');
    await typeLine(page, 'NOOP');
    await expect.poll(() => terminalText(page)).toMatch(/\nNOOP\n250 2\.0\.0 Ok$/);
    const screen = await terminalText(page);
    expect(screen).toContain('500 5.5.2 Error: command not recognized');
    expect(screen).toContain('503 5.5.1 Error: send HELO/EHLO first');
    expect(
      screen.split('\n').filter((l) => l === '250 2.0.0 Ok').length,
      screen,
    ).toBeGreaterThanOrEqual(1);
    // Ctrl-] then quit, as with the real telnet.
    await page.keyboard.press('Control+BracketRight');
    await expect.poll(() => terminalText(page)).toMatch(/\^\]\ntelnet>$/);
    await typeLine(page, 'quit');
    await expect.poll(() => terminalText(page)).toContain('Connection closed.');
  });

  it('prints what telnet prints for a refused port and an unknown host', async () => {
    await typeLine(page, 'telnet mx1.beta.example 2525');
    await typeLine(page, 'telnet nosuch.example 25');
    await expect
      .poll(() => terminalText(page))
      .toContain('telnet: could not resolve nosuch.example/25: Name or service not known');
    expect(await terminalText(page)).toContain(
      'telnet: Unable to connect to remote host: Connection refused',
    );
  });
});
