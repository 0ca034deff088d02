/** Launch Debian's Chromium headless, with the flags this machine needs, for one test file. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** The text the terminal shows, one line per row, trailing blanks trimmed. */
export async function terminalText(page: Page): Promise<string> {
  return page.$$eval('[data-testid=terminal] .xterm-rows > div', (rows) =>
    rows
      .map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
      .join('\n')
      .trimEnd(),
  );
}

/**
 * Type a line into the focused terminal, wait until its echo is on screen (as a person
 * would see it before pressing Enter), then press Enter.
 */
export async function typeLine(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line, { delay: 5 });
  if (line !== '') {
    await expect
      .poll(async () => (await terminalText(page)).split('\n').at(-1) ?? '', { timeout: 5000 })
      .toMatch(new RegExp(`${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  }
  await page.keyboard.press('Enter');
}
