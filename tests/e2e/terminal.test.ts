/**
 * The terminal in Chromium (issue 5): dig, an AUTH PLAIN string built with echo and base64,
 * a telnet session to the submission port that logs in with it, Tab completion of host
 * and command names, ssh to the mail server and mailq there — checked on the screen and in
 * xterm's accessibility tree, where a screen reader finds the transcript as text.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText, typeLine } from './browser';

let browser: Browser;
let page: Page;

/** The screen's last line (where the prompt and the line being typed are). */
async function lastLine(): Promise<string> {
  return (await terminalText(page)).split('\n').at(-1) ?? '';
}

/** The text xterm keeps for screen readers (one element per row). */
async function accessibleText(): Promise<string> {
  return page.$eval('[data-testid=terminal] .xterm-accessibility-tree', (tree) =>
    [...tree.children].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n'),
  );
}

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(inject('baseURL'));
  await page.waitForSelector('[data-testid=terminal] .xterm-rows');
  await page.waitForFunction(() =>
    document
      .querySelector('[data-testid=terminal] .xterm-rows')
      ?.textContent?.includes('alice@laptop'),
  );
  await page.click('[data-testid=terminal]');
});

afterAll(async () => {
  await browser?.close();
});

describe('the terminal', () => {
  it('looks up the MX records of beta.example with dig', async () => {
    await typeLine(page, 'dig MX beta.example');
    await expect.poll(() => terminalText(page)).toContain(';; ANSWER SECTION:');
    const screen = await terminalText(page);
    expect(screen).toMatch(/;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \d+/);
    expect(screen).toMatch(/beta\.example\.\s+300\s+IN\s+MX\s+10 mx1\.beta\.example\./);
    expect(screen).toMatch(/beta\.example\.\s+300\s+IN\s+MX\s+20 mx2\.beta\.example\./);
    expect(screen).toContain(';; SERVER: 198.51.100.53#53(198.51.100.53) (UDP)');
  });

  it('logs in on the submission port with an AUTH PLAIN string made by echo | base64', async () => {
    await typeLine(page, "echo -ne '\\0alice\\0wonderland' | base64");
    await expect.poll(lastLine).toMatch(/^alice@laptop:~\$ ?$/);
    const lines = (await terminalText(page)).split('\n');
    const plain = lines[lines.findIndex((l) => l.endsWith('| base64')) + 1]!;
    expect(plain).toBe('AGFsaWNlAHdvbmRlcmxhbmQ=');

    await typeLine(page, 'telnet mail.alpha.example 587');
    await expect.poll(() => terminalText(page)).toContain('220 mail.alpha.example ESMTP');
    await typeLine(page, 'EHLO laptop.alpha.example');
    await expect.poll(() => terminalText(page)).toContain('250-AUTH PLAIN LOGIN');
    await typeLine(page, `AUTH PLAIN ${plain}`);
    await expect.poll(() => terminalText(page)).toContain('235 2.7.0 Authentication successful');
    await typeLine(page, 'QUIT');
    await expect.poll(() => terminalText(page)).toContain('Connection closed by foreign host.');
    expect(await terminalText(page)).toContain("Escape character is '^]'.");
  });

  it('completes host names with Tab and ssh opens a shell on the mail server', async () => {
    await page.keyboard.type('ssh mai', { delay: 5 });
    await page.keyboard.press('Tab');
    await expect.poll(lastLine).toBe('alice@laptop:~$ ssh mail.alpha.example');
    await page.keyboard.press('Enter');
    await expect.poll(lastLine).toMatch(/^root@mail:~# ?$/);
    // (The line is longer than the terminal is wide: check the part on its first row.)
    expect(await terminalText(page)).toContain(
      "Warning: Permanently added 'mail.alpha.example' (ED25519)",
    );
  });

  it('completes command names there (Tab twice lists them) and runs mailq', async () => {
    await page.keyboard.type('mai', { delay: 5 });
    await page.keyboard.press('Tab');
    await expect.poll(lastLine).toBe('root@mail:~# mail');
    // A second Tab lists what "mail" could become, as bash does.
    await page.keyboard.press('Tab');
    await expect.poll(() => terminalText(page)).toMatch(/\nmail\s+mailq\s*\nroot@mail:~# mail$/);
    await page.keyboard.type('q', { delay: 5 });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => terminalText(page))
      .toMatch(/\nroot@mail:~# mailq\nMail queue is empty\n/);

    await typeLine(page, 'tail -n 2 /var/log/mail.log');
    // The telnet session above, in Postfix's log. The long line wraps on the screen, where
    // depends on the terminal's width: read the rows joined.
    const unwrapped = async () => (await terminalText(page)).replace(/\n/g, '');
    await expect.poll(unwrapped).toContain('ehlo=1 auth=1 quit=1 commands=3');
    expect(await unwrapped()).toMatch(/mail postfix\/smtpd\[\d+\]: disconnect from/);
  });

  it('comes back to the laptop with exit', async () => {
    await typeLine(page, 'exit');
    await expect.poll(lastLine).toMatch(/^alice@laptop:~\$ ?$/);
    expect(await terminalText(page)).toContain('logout\nConnection to mail.alpha.example closed.');
  });

  it('keeps the transcript as text for screen readers', async () => {
    await expect.poll(accessibleText).toContain('Connection to mail.alpha.example closed.');
    const text = await accessibleText();
    expect(text).toContain('root@mail:~# mailq');
    expect(text).toContain('Mail queue is empty');
    expect(text).toMatch(/alice@laptop:~\$ ?$/m);
  });

  it('runs a tool whose program loads on first use (swaks)', async () => {
    // Long enough to wrap on a narrow terminal, so typed without waiting for one-row echo.
    await page.keyboard.type(
      'swaks --to bob@beta.example --server mx1.beta.example --quit-after RCPT',
      {
        delay: 5,
      },
    );
    await page.keyboard.press('Enter');
    const unwrapped = async () => (await terminalText(page)).replace(/\n/g, '');
    await expect.poll(unwrapped).toContain('<-  250 2.1.5 Ok');
    await expect.poll(lastLine).toMatch(/^alice@laptop:~\$ ?$/);
  });
});
