/**
 * An unknown recipient: mx1 rejects it (550 5.1.1), mail.alpha.example bounces the message
 * and a red bounce token carries the DSN into alice's mailbox; the inspector explains the
 * report's fields, including `Status: 5.1.1`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser';
import {
  MX1,
  ALPHA,
  mailboxCount,
  openLab,
  recordTokens,
  showView,
  submission,
  tokens,
  typeLines,
  waitForToken,
  type Opened,
} from './lab';

const RED = 'rgb(248, 81, 73)';

let browser: Browser;
let lab: Opened;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  lab = await openLab(browser);
  page = lab.page;
});

afterAll(async () => {
  await browser?.close();
});

describe('a bounce', () => {
  it("animates red back to alice's mailbox", async () => {
    await recordTokens(page);
    await typeLines(page, submission('nobody@beta.example', 'to nobody'));
    await waitForToken(page, { kind: 'bounce', from: ALPHA, to: `alice@${ALPHA}` });
    const seen = await tokens(page);
    const rejected = seen.find((t) => t.kind === 'bounce' && t.from === MX1 && t.to === ALPHA)!;
    expect(rejected.label).toMatch(/^550 5\.1\.1/);
    const home = seen.find((t) => t.kind === 'bounce' && t.to === `alice@${ALPHA}`)!;
    expect(home.fill).toBe(RED);
    expect(home.label).toBe('bounce to alice');
    expect(home.b).toBe(`mailboxes@${ALPHA}`);
    expect(seen.indexOf(rejected)).toBeLessThan(seen.indexOf(home));
  });

  it('lands in the mailbox marked as a bounce, and the inspector explains Status: 5.1.1', async () => {
    await showView(page, 'mailboxes');
    await expect.poll(() => mailboxCount(page, `alice@${ALPHA}`)).toBe(1);
    await page.click(`[data-testid="mailbox-alice@${ALPHA}"] .mailbox-name`);
    const message = page.locator(`[data-testid="mailbox-alice@${ALPHA}"] [data-testid=message]`);
    expect(await message.getAttribute('data-bounce')).toBe('true');
    expect(await message.textContent()).toContain('Undelivered Mail Returned to Sender');
    await message.click();
    await page.waitForSelector('[data-testid=dsn]');
    const fields = await page.$$eval('[data-testid=dsn] .dsn-field', (els) =>
      els.map((e) => ({
        field: e.querySelector('dt')?.textContent ?? '',
        meaning: e.querySelector('dd')?.textContent ?? '',
      })),
    );
    const status = fields.find((f) => f.field === 'Status: 5.1.1');
    expect(status, JSON.stringify(fields, null, 1)).toBeDefined();
    expect(status!.meaning).toMatch(
      /^permanent failure.*addressing status.*bad destination mailbox address/,
    );
    expect(fields.find((f) => f.field === 'Action: failed')!.meaning).toContain(
      'will not be retried',
    );
    expect(
      fields.find((f) => f.field.startsWith('Diagnostic-Code: smtp; 550 5.1.1'))!.meaning,
    ).toContain("the remote server's SMTP reply");
    expect(fields.some((f) => f.field === `Remote-MTA: dns; ${MX1}`)).toBe(true);

    await page.click('[data-testid=inspector-tab-overview]');
    const overview = (await page.textContent('[data-testid=inspector]')) ?? '';
    expect(overview).toContain('null reverse path');
    await page.click('[data-testid=inspector-tab-body]');
    expect(await page.textContent('[data-testid=text-body]')).toContain('could not');
    expect(lab.errors).toEqual([]);
  });

  it('shows the bounce in the MX view and the mail log', async () => {
    await showView(page, 'mx');
    const result = page.locator(
      `[data-testid=mx-resolution][data-host="${ALPHA}"] li[data-kind=result]`,
    );
    await expect.poll(() => result.getAttribute('data-outcome')).toBe('bounced');
    expect(await result.textContent()).toContain('status 5.1.1');
    await showView(page, 'log');
    await expect
      .poll(() => page.textContent('[data-testid=log-list]'))
      .toMatch(
        /Jan {2}5 09:00:\d\d mail postfix\/smtp\[\d+\]: [0-9A-F]{10}: to=<nobody@beta\.example>, relay=mx1\.beta\.example\[203\.0\.113\.25\]:25, .*status=bounced/,
      );
  });
});
