/**
 * Regenerate docs/screenshot.png for the README: build first (`npm run build`), then
 * `npx tsx scripts/screenshot.ts`. Types the README's session into the real terminal.
 */
import { resolve } from 'node:path';
import { launch } from '../tests/e2e/browser';
import { serveStatic } from '../tests/e2e/static-server';

const root = resolve(import.meta.dirname, '..');
const { url, server } = await serveStatic(resolve(root, 'dist'), '/');
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
await page.goto(url);
await page.click('[data-testid=terminal]');
const session = [
  'telnet mx1.beta.example 25',
  'HELO laptop.alpha.example',
  'MAIL FROM:<alice@alpha.example>',
  'RCPT TO:<bob@beta.example>',
  'DATA',
  'Subject: test message',
  '',
  'Hello,',
  'This is a test.',
  '.',
  'QUIT',
];
for (const line of session) {
  await page.keyboard.type(line, { delay: 5 });
  await page.keyboard.press('Enter');
}
await page.waitForSelector('[data-testid=sequence] svg .messageText');
await page.waitForTimeout(500);
await page.screenshot({ path: resolve(root, 'docs/screenshot.png') });
await browser.close();
server.close();
