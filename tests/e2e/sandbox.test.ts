/**
 * The scenario sandbox in Chromium, driven from the keyboard: add a user and a domain with
 * an MX record, see the engine's complaint about a bad field beside it, start the world,
 * and the new user receives mail sent with telnet through the new MX.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText, typeLine } from './browser';
import { inLab, openLab, submission } from './lab';

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ({ page, errors } = await openLab(browser));
});

afterAll(async () => {
  await browser?.close();
});

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is. */
async function axeFindings(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: unknown): Promise<unknown> } }).axe;
    const { violations } = (await axe.run(document)) as {
      violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[];
    };
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target).slice(0, 3))}`);
  });
}

const field = (path: string) => `[id="sb-${path}"]`;
const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');

/** Focus a control and press Enter, as a keyboard user would after tabbing to it. */
async function press(selector: string): Promise<void> {
  await page.focus(selector);
  await page.keyboard.press('Enter');
}

/** Select the text of the focused field and type over it. */
async function typeOver(text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

describe('the scenario sandbox', () => {
  it('opens as a dialog whose controls all have labels, and Escape closes it', async () => {
    await press('[data-testid=sandbox-open]');
    await page.waitForSelector('[data-testid=sandbox][open]');
    const unlabelled = await page.$$eval(
      '[data-testid=sandbox] input, [data-testid=sandbox] select',
      (controls) =>
        controls
          .filter(
            (c) => (c as HTMLInputElement).labels?.length === 0 && !c.getAttribute('aria-label'),
          )
          .map((c) => c.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);
    expect(
      await page.$$eval('[data-testid=sandbox] button', (b) =>
        b.every((e) => e.textContent?.trim() || e.getAttribute('aria-label')),
      ),
    ).toBe(true);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=sandbox]', { state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'sandbox-open',
    );
  });

  it('adds a user, shows the problem with a bad address beside the field', async () => {
    await press('[data-testid=sandbox-open]');
    await page.waitForSelector('[data-testid=sandbox][open]');
    expect(await page.textContent('[data-testid=sb-summary]')).toContain('The scenario is valid.');
    await press('[data-testid=sb-add-user]');
    expect(await focusedId()).toBe('sb-users.5.address');
    await page.keyboard.type('dave');
    const error = '[data-testid="sb-users.5.address-error"]';
    await page.waitForSelector(error);
    expect(await page.textContent(error)).toBe('users.5.address: must be local@domain');
    expect(await page.getAttribute(field('users.5.address'), 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(field('users.5.address'), 'aria-describedby')).toBe(
      'sb-users.5.address-error',
    );
    expect(await axeFindings()).toEqual([]);
    // Start world refuses, and takes focus to the list of problems.
    await press('[data-testid=sb-start]');
    expect(await focusedId()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'sb-summary',
    );
    expect(await page.textContent('[data-testid=sb-summary]')).toMatch(
      /1 problem to fix.*users\.5\.address: must be local@domain/,
    );
    expect(await page.$('[data-testid=sandbox][open]')).not.toBeNull();

    await page.focus(field('users.5.address'));
    await typeOver('dave@delta.example');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('sb-users.5.mailHost');
    await typeOver('mx1.beta.example');
    expect(await page.$(error)).toBeNull();
  });

  it('adds a domain with an MX record, and mx1 delivers its mail', async () => {
    await press('[data-testid=sb-add-domain]');
    expect(await focusedId()).toBe('sb-domains.2.name');
    await typeOver('delta.example');
    await press('button[aria-label="Add an MX record to delta.example"]');
    expect(await focusedId()).toBe('sb-domains.2.mx.0.preference');
    await typeOver('10');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('sb-domains.2.mx.0.host');
    await page.keyboard.type('mx1.beta.example');
    await page.focus(field('hosts.3.localDomains'));
    await page.keyboard.press('End');
    await page.keyboard.type(', delta.example');
    expect(await page.inputValue(field('hosts.3.localDomains'))).toBe(
      'beta.example, delta.example',
    );
    await expect
      .poll(() => page.textContent('[data-testid=sb-summary]'))
      .toContain('The scenario is valid.');
  });

  it('starts the world, where the new user receives mail sent with telnet', async () => {
    await press('[data-testid=sb-start]');
    await page.waitForSelector('[data-testid=sandbox]', { state: 'detached' });
    const scenario = () => inLab(page, ({ store }) => store.getState().scenario);
    expect(await scenario()).toBe('default-sandbox');
    expect(await page.inputValue('[data-testid=scenario-picker]')).toBe('default-sandbox');

    await page.click('[data-testid=terminal]');
    for (const line of submission('dave@delta.example', 'welcome dave')) await typeLine(page, line);
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/221 2\.0\.0 Bye/);
    const delivered = () =>
      inLab(page, (lab) =>
        lab
          .runtime()
          .events.flatMap((e) => (e.type === 'mail.delivered' ? [`${e.user}@${e.host}`] : [])),
      );
    await expect.poll(delivered, { timeout: 20_000 }).toContain('dave@mx1.beta.example');
    expect(errors).toEqual([]);
  });
});
