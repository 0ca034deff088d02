/**
 * A lab replays to the trace it recorded live, even when a command's program was still
 * loading when the learner pressed Enter (the programs of swaks, mail, openssl … come in
 * lazily loaded chunks): the keys wait with virtual time held, so the command starts at
 * the instant it was typed, as it does in the replay.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, terminalText, typeLine } from './browser';
import { inLab } from './lab';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('live use and replay', () => {
  it('agree when a command is typed before its program has loaded', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Hold swaks' program back for a while, as a slow network would.
    let held = 0;
    await page.route(/swaks-program[^/]*\.js$/, async (route) => {
      held++;
      await new Promise((r) => setTimeout(r, 6000));
      await route.continue();
    });
    const url = new URL(inject('baseURL'));
    url.searchParams.set('hooks', '');
    await page.goto(url.toString());
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid=terminal] .xterm-rows')
        ?.textContent?.includes('@laptop'),
    );
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'swaks -t bob@beta.example -s mx1.beta.example -q rcpt');
    await expect.poll(() => terminalText(page), { timeout: 20_000 }).toMatch(/<- {2}221 /);
    expect(held).toBeGreaterThan(0);

    const { live, now, replayed } = await inLab(page, ({ store }) => {
      store.getState().pause();
      const live = JSON.stringify(store.getState().runtime.events);
      const now = store.getState().runtime.now;
      const error = store.getState().load(store.getState().exportDoc(), 'start');
      if (error) throw new Error(error);
      store.getState().seek(now);
      return { live, now, replayed: JSON.stringify(store.getState().runtime.events) };
    });
    expect(now).toBeGreaterThan(0);
    expect(replayed).toBe(live);
    expect(errors).toEqual([]);
    await page.close();
  });
});
