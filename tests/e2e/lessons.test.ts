/**
 * The lesson view: lesson 1 done by typing into the real terminal (each step ticks off as
 * its check holds on the trace), progress intact after a reload, and "show me" typing a
 * step's reference solution until the step completes.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText, typeLine } from './browser';

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const stepState = (i: number) =>
  page.getAttribute(`[data-testid=lesson-step-${i}]`, 'data-step-state');

async function waitForLab() {
  await page.waitForSelector('[data-testid=terminal] .xterm-rows');
  await page.waitForFunction(() =>
    document
      .querySelector('[data-testid=terminal] .xterm-rows')
      ?.textContent?.includes('alice@laptop'),
  );
}

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  await page.goto(inject('baseURL'));
  await waitForLab();
});

afterAll(async () => {
  await browser?.close();
});

describe('the lesson view', () => {
  it('opens the course on lesson 1', async () => {
    await page.click('[data-testid=view-tab-lesson]');
    await page.waitForSelector('[data-testid=lesson][data-lesson=hello-smtp]');
    const map = await page.textContent('.course-map');
    expect(map).toContain('Hello, SMTP');
    expect(map).toContain('10 min');
    expect(await stepState(0)).toBe('current');
    // Instructions are Markdown, rendered.
    await expect
      .poll(() => page.textContent('[data-testid=lesson-current-step] pre'))
      .toContain('telnet mx1.beta.example 25');
  });

  it('reveals hints one at a time', async () => {
    await page.click('[data-testid=lesson-hint]');
    await page.waitForSelector('[data-testid=lesson-hint-0]');
    expect(await page.$('[data-testid=lesson-hint-1]')).toBeNull();
  });

  it('ticks off steps typed into the real terminal', async () => {
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'telnet mx1.beta.example 25');
    await expect.poll(() => terminalText(page)).toContain('220 mx1.beta.example');
    await page.waitForSelector('[data-testid=lesson-step-0][data-step-state=done]');
    await page.waitForSelector('[data-testid=lesson-explain]');
    await page.click('[data-testid=lesson-next]');
    await page.waitForSelector('[data-testid=lesson-current-step][data-step="1"]');

    await page.click('[data-testid=terminal]');
    await typeLine(page, 'HELO laptop.alpha.example');
    await page.waitForSelector('[data-testid=lesson-step-1][data-step-state=done]');
    await page.click('[data-testid=lesson-next]');
    await page.waitForSelector('[data-testid=lesson-current-step][data-step="2"]');
  });

  it('keeps the progress over a reload', async () => {
    await page.reload();
    await waitForLab();
    await page.waitForSelector('[data-testid=lesson][data-lesson=hello-smtp]');
    await page.waitForSelector('[data-testid=lesson-current-step][data-step="2"]');
    expect(await stepState(0)).toBe('done');
    expect(await stepState(1)).toBe('done');
    expect(await stepState(2)).toBe('current');
    // The hint revealed on step 1 is remembered too.
    await page.click('[data-testid=lesson-step-0] button');
    await page.waitForSelector('[data-testid=lesson-hint-0]');
    await page.click('[data-testid=lesson-step-2] button');
    expect(await page.$('[data-testid=lesson-notice]')).toBeNull();
  });

  it('"show me" types the reference solution and the step completes', async () => {
    // A fresh world: the lesson starts over, then "show me" plays step 1 and step 2.
    await page.click('[data-testid=lesson-reset]');
    await page.waitForSelector('[data-testid=lesson-step-0][data-step-state=current]');
    expect(await stepState(1)).toBe('todo');
    await page.click('[data-testid=lesson-show-me]');
    await page.waitForSelector('[data-testid=lesson-step-0][data-step-state=done]');
    await expect.poll(() => terminalText(page)).toContain('220 mx1.beta.example');
    await page.click('[data-testid=lesson-next]');
    await page.waitForSelector('[data-testid=lesson-current-step][data-step="1"]');
    await page.click('[data-testid=lesson-show-me]');
    await page.waitForSelector('[data-testid=lesson-step-1][data-step-state=done]');
    await expect.poll(() => terminalText(page)).toContain('250 mx1.beta.example');
    expect(pageErrors).toEqual([]);
  });

  it('says so when progress cannot be saved', async () => {
    const other = await browser.newPage();
    await other.addInitScript(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('full', 'QuotaExceededError');
      };
    });
    await other.goto(inject('baseURL'));
    await other.click('[data-testid=view-tab-lesson]');
    await other.click('[data-testid=lesson-hint]');
    await expect
      .poll(() => other.textContent('[data-testid=lesson-notice]'))
      .toContain('Progress could not be saved');
    await other.close();
  });
});
