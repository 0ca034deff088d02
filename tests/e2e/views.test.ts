/**
 * Seeing the mail move (issue 6), default world: a message typed into the terminal
 * animates through laptop → mail.alpha → ns → mx1 → bob's mailbox, the sequence diagram
 * shows the exchanged commands in order (one session, then the whole journey), the
 * timeline steps back to an earlier state and forward again, clicking a host opens a
 * terminal on it, and the layout is remembered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText, typeLine } from './browser';
import {
  LAPTOP,
  NS,
  MX1,
  ALPHA,
  clickAndSettle,
  mailboxCount,
  openLab,
  recordTokens,
  sequenceTexts,
  showView,
  submission,
  tokens,
  waitForToken,
  type Opened,
} from './lab';

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

describe('a message typed into the terminal', () => {
  it('animates along the right edges: submission, DNS, relay, delivery', async () => {
    await recordTokens(page);
    await page.click('[data-testid=terminal]');
    for (const line of submission('bob@beta.example', 'seen moving')) await typeLine(page, line);
    await expect
      .poll(() => terminalText(page), { timeout: 15_000 })
      .toContain('Connection closed by foreign host.');
    await waitForToken(page, { kind: 'delivery', from: MX1, to: `bob@${MX1}` });

    const seen = await tokens(page);
    const find = (kind: string, from: string, to: string, label?: RegExp) =>
      seen.findIndex(
        (t) => t.kind === kind && t.from === from && t.to === to && (!label || label.test(t.label)),
      );
    const submitted = find('submission', LAPTOP, ALPHA, /^message /);
    const asked = find('dns', ALPHA, NS, /^MX\? beta\.example/);
    const answered = find('dns', NS, ALPHA, /^MX 10 mx1\.beta\.example/);
    const relayed = find('relay', ALPHA, MX1, /^message /);
    const delivered = find('delivery', MX1, `bob@${MX1}`);
    expect(
      [submitted, asked, answered, relayed, delivered].every((i) => i >= 0),
      JSON.stringify(seen, null, 1),
    ).toBe(true);
    // In the order the mail moved.
    expect(submitted).toBeLessThan(asked);
    expect(asked).toBeLessThan(answered);
    expect(answered).toBeLessThan(relayed);
    expect(relayed).toBeLessThan(delivered);
    // Each token travelled on the edge between its two ends.
    for (const i of [submitted, asked, answered, relayed]) {
      const t = seen[i]!;
      expect([t.a, t.b].sort()).toEqual([t.from, t.to].sort());
    }
    expect(seen[delivered]!.b).toBe(`mailboxes@${MX1}`);
    // Colour is not the only signal: each token has a label, and kinds differ in colour.
    expect(seen[relayed]!.fill).not.toBe(seen[submitted]!.fill);
    expect(seen.every((t) => t.label.length > 0)).toBe(true);
  });

  it('draws the submission session with the commands in order, AUTH and TLS as notes', async () => {
    await showView(page, 'sequence');
    await page.selectOption('[data-testid=session-picker]', 'c1');
    await expect.poll(async () => (await sequenceTexts(page)).actors).toEqual([LAPTOP, ALPHA]);
    const { messages, notes } = await sequenceTexts(page);
    const order = [
      'TCP connect to port 587',
      '220 mail.alpha.example ESMTP SMTP Lab',
      'EHLO laptop.alpha.example',
      'MAIL FROM:<alice@alpha.example>',
      '250 2.1.0 Ok',
      'RCPT TO:<bob@beta.example>',
      '250 2.1.5 Ok',
      'DATA',
      '354 End data with <CR><LF>.<CR><LF>',
      'QUIT',
      '221 2.0.0 Bye',
    ];
    const positions = order.map((m) => messages.indexOf(m));
    expect(
      positions.every((p) => p >= 0),
      messages.join('\n'),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(messages.some((m) => /^250 2\.0\.0 Ok: queued as [0-9A-F]{10}$/.test(m))).toBe(true);
    expect(notes).toContain('AUTH: AUTH PLAIN ****');
    expect(messages.join('\n')).not.toContain('AGFsaWNl'); // credentials never drawn
  });

  it("draws the message's whole journey across hops", async () => {
    await page.check('[data-testid=journey-mode]');
    await expect
      .poll(async () => (await sequenceTexts(page)).actors)
      .toEqual([LAPTOP, ALPHA, MX1, 'mailbox bob@mx1']);
    const { messages, notes } = await sequenceTexts(page);
    const submitted = messages.indexOf('MAIL FROM:<alice@alpha.example>');
    const relayed = messages.findIndex((m) => /^MAIL FROM:<alice@alpha\.example> SIZE=\d+/.test(m));
    const stored = messages.indexOf('delivered to /var/mail/bob');
    expect(submitted).toBeGreaterThanOrEqual(0);
    expect(relayed).toBeGreaterThan(submitted);
    expect(stored).toBeGreaterThan(relayed);
    expect(notes).toContain('DNS: MX beta.example → 10 mx1.beta.example, 20 mx2.beta.example');
    expect(notes.some((n) => n.startsWith('STARTTLS: TLSv1.3'))).toBe(true);
  });
});

describe('the timeline', () => {
  it('steps back to before the delivery and forward again', async () => {
    await showView(page, 'mailboxes');
    await expect.poll(() => mailboxCount(page, `bob@${MX1}`)).toBe(1);
    await page.click('[data-testid=play]'); // pause
    const horizon = Number(await page.getAttribute('[data-testid=timeline]', 'data-now'));

    let steps = 0;
    while ((await mailboxCount(page, `bob@${MX1}`)) === 1 && steps++ < 200) {
      await clickAndSettle(page, '[data-testid=step-back]');
    }
    expect(await mailboxCount(page, `bob@${MX1}`)).toBe(0);
    const back = Number(await page.getAttribute('[data-testid=timeline]', 'data-now'));
    expect(back).toBeLessThan(horizon);
    await expect
      .poll(() => page.textContent('[data-testid=timeline]'))
      .toContain('Viewing the past');

    // Further back, before the message was accepted: the terminal shows that earlier screen.
    expect(await terminalText(page)).not.toContain('Connection closed by foreign host.');
    while (/queued as/.test(await terminalText(page)) && steps++ < 400) {
      await clickAndSettle(page, '[data-testid=step-back]');
    }
    const earlier = await terminalText(page);
    expect(earlier).not.toMatch(/queued as/);
    expect(earlier).toContain('RCPT TO:<bob@beta.example>');

    // Forward again through the recorded inputs: the same end state.
    while ((await mailboxCount(page, `bob@${MX1}`)) === 0 && steps++ < 600) {
      await clickAndSettle(page, '[data-testid=step-forward]');
    }
    expect(await mailboxCount(page, `bob@${MX1}`)).toBe(1);
    await page.click('[data-testid=play]'); // play the rest of the recording (QUIT)
    await expect.poll(() => terminalText(page)).toContain('Connection closed by foreign host.');
    expect(lab.errors).toEqual([]);
  });
});

describe('the workspace', () => {
  it('opens a terminal on a host clicked in the topology, with its own tab', async () => {
    await page.click(
      `[data-testid=topology-diagram] g.node[data-host="${MX1}"]:not([data-mailboxes])`,
    );
    await expect.poll(() => page.getAttribute('[data-testid=terminal]', 'data-host')).toBe(MX1);
    await expect.poll(() => terminalText(page)).toMatch(/^root@mx1:~#/);
    await page.click(`[data-testid="terminal-tab-${LAPTOP}"]`);
    await expect.poll(() => terminalText(page)).toContain('Connection closed by foreign host.');
  });

  it('remembers the layout, and says so when it cannot', async () => {
    const before = await page.$eval('.workspace', (el) => getComputedStyle(el).gridTemplateColumns);
    const bar = (await page.$('[data-testid=splitter-vertical]'))!;
    const box = (await bar.boundingBox())!;
    await page.mouse.move(box.x + 3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x - 200, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await showView(page, 'log');
    const after = await page.$eval('.workspace', (el) => getComputedStyle(el).gridTemplateColumns);
    expect(after).not.toBe(before);
    await page.reload();
    await page.waitForSelector('[data-testid=terminal] .xterm-rows');
    expect(await page.$eval('.workspace', (el) => getComputedStyle(el).gridTemplateColumns)).toBe(
      after,
    );
    expect(await page.getAttribute('[data-testid=view-tab-log]', 'aria-selected')).toBe('true');
    expect(await page.$('[data-testid=storage-notice]')).toBeNull();

    const blocked = await openLab(browser, {}, () => {
      Storage.prototype.setItem = () => {
        throw new DOMException('full', 'QuotaExceededError');
      };
    });
    await blocked.page.click('[data-testid=view-tab-queue]');
    await expect
      .poll(() => blocked.page.textContent('[data-testid=storage-notice]'))
      .toContain('browser storage is full');
    await blocked.page.close();
  });
});
