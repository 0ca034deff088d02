/**
 * Share links in Chromium: a session typed into the terminal, shared, and opened in a fresh
 * browser context replays into the same trace and the same terminal text; broken,
 * oversized and hostile links are refused with a visible message while the default lab
 * keeps working; a lesson open in the lesson view is shared as its position.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText, typeLine } from './browser';
import { inLab, LAPTOP, openLab, submission } from './lab';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

/** A page in a browser context of its own (no storage, no history shared with others). */
async function freshPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=terminal] .xterm-rows')?.textContent?.includes('@laptop'),
  );
  return { page, errors };
}

/** `link` with the test hook asked for (?hooks), the fragment kept. */
function withHooks(link: string): string {
  const url = new URL(link);
  url.searchParams.set('hooks', '');
  return url.toString();
}

/** A `#share=` link carrying `text` packed as the app packs it. */
async function packedLink(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = Buffer.from(await new Response(stream).arrayBuffer());
  return `${inject('baseURL')}?hooks#share=${bytes.toString('base64url')}`;
}

const labState = (page: Page) =>
  inLab(page, ({ store }) => {
    const s = store.getState();
    return { now: s.runtime.now, inputs: s.runtime.allInputs().length, notice: s.notice };
  });

/** Pause the lab and move it to virtual time `t`; the trace as JSON. */
async function traceAt(page: Page, t: number): Promise<string> {
  return inLab(
    page,
    ({ store }, at) => {
      const s = store.getState();
      s.pause();
      s.seek(at);
      return JSON.stringify(store.getState().runtime.events);
    },
    t,
  );
}

async function expectRefused(url: string, reason: RegExp): Promise<void> {
  const { page, errors } = await freshPage(url);
  await expect
    .poll(() => page.textContent('.notices').catch(() => ''), { timeout: 10_000 })
    .toMatch(/This share link was refused: /);
  expect(await page.textContent('.notices')).toMatch(reason);
  // The address no longer carries the link, and the default lab works.
  expect(new URL(page.url()).hash).toBe('');
  expect((await labState(page)).inputs).toBe(1);
  await page.click('[data-testid=terminal]');
  await typeLine(page, 'echo still here');
  await expect.poll(() => terminalText(page)).toMatch(/^still here$/m);
  expect(errors).toEqual([]);
  await page.close();
}

describe('share links', () => {
  it('open in a fresh browser with the same trace and terminal text', async () => {
    const { page, errors } = await openLab(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.click('[data-testid=terminal]');
    for (const line of submission('bob@beta.example', 'shared session')) await typeLine(page, line);
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/221 2\.0\.0 Bye/);

    await page.click('[data-testid=share]');
    await expect
      .poll(() => page.inputValue('[data-testid=share-link]'), { timeout: 10_000 })
      .toMatch(/#share=[A-Za-z0-9_-]+$/);
    const link = await page.inputValue('[data-testid=share-link]');
    expect(await page.textContent('[data-testid=share-status]')).toMatch(/copied to the clipboard/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    const url = new URL(link);
    expect(url.search).toBe('');
    expect(url.pathname).toBe(new URL(inject('baseURL')).pathname);
    await page.keyboard.press('Escape');
    expect(await page.$('[data-testid=share-link]')).toBeNull();
    // The focus is back on the button that opened the panel.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'share',
    );

    const sent = await labState(page);
    const other = await freshPage(withHooks(link));
    await expect
      .poll(async () => (await labState(other.page)).inputs, { timeout: 10_000 })
      .toBe(sent.inputs);
    expect(new URL(other.page.url()).hash).toBe('');

    const t = Math.max((await labState(page)).now, (await labState(other.page)).now) + 1000;
    const [mine, theirs] = [await traceAt(page, t), await traceAt(other.page, t)];
    expect(JSON.parse(theirs).length).toBeGreaterThan(20);
    expect(theirs).toBe(mine);
    expect(mine).toContain('"type":"mail.delivered"');

    await expect.poll(() => terminalText(other.page)).toBe(await terminalText(page));
    expect(await terminalText(other.page)).toContain('Subject: shared session');
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
    await page.close();
  });

  it('refuses a garbled link and keeps the default lab', async () => {
    await expectRefused(
      `${inject('baseURL')}?hooks#share=%3Cscript%3Ealert(1)%3C/script%3E`,
      /unexpected characters/,
    );
  });

  it('refuses a truncated link', async () => {
    const doc = {
      format: 'smtp-lab/v2',
      scenario: 'default',
      inputs: [{ t: 0, host: LAPTOP, data: '' }],
    };
    const link = await packedLink(JSON.stringify(doc));
    await expectRefused(
      link.slice(0, link.length - 12),
      /damaged or cut short|unexpected characters/,
    );
  });

  it('refuses an oversized link without unpacking it', async () => {
    await expectRefused(
      `${inject('baseURL')}?hooks#share=${'A'.repeat(70_000)}`,
      /longer than 64 KB/,
    );
  });

  it('refuses a link that unpacks to far more than it says', async () => {
    const bomb = await packedLink(' '.repeat(8 * 1024 * 1024));
    await expectRefused(bomb, /unpacks to more than 2048 KB/);
  });

  it('refuses a link whose replay would not end in reasonable time', async () => {
    const doc = {
      format: 'smtp-lab/v2',
      scenario: 'default',
      inputs: [{ t: 0, host: LAPTOP, data: 'ping -c 100000000 mx1.beta.example\r' }],
    };
    await expectRefused(await packedLink(JSON.stringify(doc)), /takes more than 5 s to replay/);
  });

  it('refuses a scenario with markup where a host name goes, naming the field', async () => {
    const world = {
      name: 'hostile',
      hosts: [
        { name: 'laptop.alpha.example', address: '192.0.2.10', role: 'workstation' },
        { name: '<img src=x onerror=alert(1)>', address: '192.0.2.11', role: 'mx' },
      ],
    };
    const link = await packedLink(
      JSON.stringify({ format: 'smtp-lab/v2', scenario: world, inputs: [] }),
    );
    await expectRefused(link, /hosts\.1\.name: must be a host name/);
  });

  it('keeps script-like text in a shared scenario as text', async () => {
    const world = {
      extends: 'default',
      name: 'script-ish',
      description: '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>',
      hosts: [
        {
          name: 'mx1.beta.example',
          smtp: [{ port: 25, banner: '<script>window.pwned=1</script>' }],
        },
      ],
    };
    const link = await packedLink(
      JSON.stringify({
        format: 'smtp-lab/v2',
        scenario: world,
        inputs: [{ t: 0, host: LAPTOP, data: '' }],
      }),
    );
    const { page, errors } = await freshPage(link);
    await expect
      .poll(() => inLab(page, ({ store }) => store.getState().scenario))
      .toBe('script-ish');
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'telnet mx1.beta.example 25');
    await expect
      .poll(() => terminalText(page))
      .toContain('220 mx1.beta.example <script>window.pwned=1</script>');
    expect(
      await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
    ).toBeUndefined();
    expect(await page.$('img[src=x]')).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a link pasted into a tab that is already open', async () => {
    const { page, errors } = await freshPage(`${inject('baseURL')}?hooks`);
    const link = await packedLink(
      JSON.stringify({
        format: 'smtp-lab/v1',
        scenario: 'greylisting',
        inputs: [{ t: 0, host: LAPTOP, data: '' }],
      }),
    );
    await page.evaluate((hash) => (location.hash = hash), new URL(link).hash);
    await expect
      .poll(() => inLab(page, ({ store }) => store.getState().scenario))
      .toBe('greylisting');
    expect(new URL(page.url()).hash).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shares the lesson open in the lesson view as its position', async () => {
    const { page, errors } = await openLab(browser, { lesson: 'hello-smtp' });
    await page.waitForSelector('[data-testid=lesson][data-lesson=hello-smtp]');
    await page.click('[data-testid=share]');
    await expect
      .poll(() => page.inputValue('[data-testid=share-link]'), { timeout: 10_000 })
      .toMatch(/\?scenario=default&lesson=hello-smtp&step=1$/);
    // The lab itself can be shared instead.
    await page.check('[data-testid=share-what-lab]');
    await expect.poll(() => page.inputValue('[data-testid=share-link]')).toMatch(/#share=/);

    const other = await freshPage(
      withHooks(`${inject('baseURL')}?scenario=default&lesson=hello-smtp&step=1`),
    );
    await other.page.waitForSelector('[data-testid=lesson][data-lesson=hello-smtp]');
    // A position further in opens the lesson at that step.
    const third = await freshPage(
      withHooks(`${inject('baseURL')}?scenario=default&lesson=hello-smtp&step=3`),
    );
    await third.page.waitForSelector('[data-testid=lesson-step-2] [aria-current=step]');
    expect(await third.page.$$('[aria-current=step]')).toHaveLength(1);
    expect(third.errors).toEqual([]);
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
    await page.close();
  });
});
