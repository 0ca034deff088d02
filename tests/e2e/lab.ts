/**
 * Helpers for the views' browser tests: open the lab (optionally with a scenario and the
 * ?hooks test hook), type into a terminal through the hook, record the topology's tokens,
 * read diagram texts.
 */
import type { Browser, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import type { LabState, useLab } from '../../src/store/labStore';

/** The default world's hosts, as the tests name them. */
export const LAPTOP = 'laptop.alpha.example';
export const ALPHA = 'mail.alpha.example';
export const NS = 'ns.example';
export const MX1 = 'mx1.beta.example';
export const MX2 = 'mx2.beta.example';
/** "\0alice\0wonderland" in base64 (AUTH PLAIN). */
export const AUTH_PLAIN = 'AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=';

/** A whole submission to mail.alpha.example (port 587), as lines. */
export function submission(rcpt: string, subject = 'hello', body = ['Hi there.']): string[] {
  return [
    'telnet mail.alpha.example 587',
    'EHLO laptop.alpha.example',
    AUTH_PLAIN,
    'MAIL FROM:<alice@alpha.example>',
    `RCPT TO:<${rcpt}>`,
    'DATA',
    `Subject: ${subject}`,
    'From: alice@alpha.example',
    `To: ${rcpt}`,
    '',
    ...body,
    '.',
    'QUIT',
  ];
}

export interface Opened {
  page: Page;
  errors: string[];
  dialogs: string[];
}

export async function openLab(
  browser: Browser,
  params: Record<string, string> = {},
  init?: () => void,
): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  if (init) await page.addInitScript(init);
  const url = new URL(inject('baseURL'));
  url.searchParams.set('hooks', '');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  await page.goto(url.toString());
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=terminal] .xterm-rows')?.textContent?.includes('@laptop'),
  );
  return { page, errors, dialogs };
}

/** The page's test hook, window.smtpLab: src/ui/main.tsx sets it when the URL has ?hooks. */
export interface LabHook {
  store: typeof useLab;
  input(host: string, data: string): void;
  load(doc: unknown, at?: 'start' | 'end'): string | undefined;
  runtime(): LabState['runtime'];
}

/**
 * Run `fn` in the page on its test hook, with `arg`; what it returns comes back (as
 * page.evaluate: `fn` is sent as source, so it uses nothing from outside but its arguments).
 */
export async function inLab<R, A = undefined>(
  page: Page,
  fn: (lab: LabHook, arg: A) => R,
  arg?: A,
): Promise<Awaited<R>> {
  const hook = await page.evaluateHandle(() => (window as unknown as { smtpLab: LabHook }).smtpLab);
  try {
    return await hook.evaluate(fn as (lab: LabHook, arg: unknown) => R, arg);
  } finally {
    await hook.dispose();
  }
}

/** Wait until the mailbox of `user` on `host` holds `count` messages (read through the hook). */
export async function waitForMessages(
  page: Page,
  host: string,
  user: string,
  count: number,
  timeout?: number,
): Promise<void> {
  await page.waitForFunction(
    ([h, u, n]) =>
      (window as unknown as { smtpLab: LabHook }).smtpLab
        .runtime()
        .lab.world.mailstore(h)
        ?.messages(u).length === n,
    [host, user, count] as const,
    { timeout },
  );
}

/** Type lines into the terminal on `host` through the test hook (each line then Enter). */
export async function typeLines(
  page: Page,
  lines: readonly string[],
  host = LAPTOP,
): Promise<void> {
  for (const line of lines) {
    await inLab(page, (lab, [h, l]) => lab.input(h, `${l}\r`), [host, line] as const);
  }
}

export interface Token {
  kind: string;
  from: string;
  to: string;
  edge?: string;
  label: string;
  /** Colour of the token's disc, as computed. */
  fill: string;
  /** The edge's two ends (data-a, data-b), if it travels on an edge. */
  a?: string;
  b?: string;
}

/** Record every token the topology starts from now on (window.__tokens). */
export async function recordTokens(page: Page): Promise<void> {
  try {
    await page.waitForSelector('[data-testid=topology-diagram] svg g.node');
  } catch (e) {
    const pane = await page.textContent('.topology-pane').catch(() => '(no pane)');
    throw new Error(`the topology was not drawn; its pane says: ${pane?.slice(0, 500)}`, {
      cause: e,
    });
  }
  await page.evaluate(() => {
    const w = window as unknown as { __tokens: unknown[] };
    w.__tokens = [];
    const root = document.querySelector('[data-testid=topology]')!;
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (!(n instanceof HTMLElement) || !n.classList.contains('token')) continue;
          const d = n.dataset;
          const path = d.edge
            ? root.querySelector<SVGPathElement>(`path[data-edge="${d.edge}"]`)
            : null;
          w.__tokens.push({
            kind: d.kind,
            from: d.from,
            to: d.to,
            edge: d.edge,
            label: d.label,
            fill: getComputedStyle(n.querySelector('.disc')!).backgroundColor,
            a: path?.dataset.a,
            b: path?.dataset.b,
          });
        }
      }
    }).observe(root, { childList: true, subtree: true });
  });
}

export async function tokens(page: Page): Promise<Token[]> {
  return page.evaluate(() => (window as unknown as { __tokens: Token[] }).__tokens);
}

export async function waitForToken(
  page: Page,
  match: Partial<Token>,
  timeout = 20_000,
): Promise<void> {
  await expect
    .poll(
      async () =>
        (await tokens(page)).some((t) =>
          Object.entries(match).every(([k, v]) => t[k as keyof Token] === v),
        ),
      { timeout },
    )
    .toBe(true);
}

export async function showView(
  page: Page,
  view: 'sequence' | 'mx' | 'mailboxes' | 'queue' | 'log',
): Promise<void> {
  await page.click(`[data-testid=view-tab-${view}]`);
}

/** Texts of the sequence diagram's messages and notes, in document order. */
export async function sequenceTexts(
  page: Page,
): Promise<{ messages: string[]; notes: string[]; actors: string[] }> {
  return page.$eval('[data-testid=sequence]', (el) => {
    // Actors left to right (the DOM order is not the drawing order).
    const actors = [...el.querySelectorAll<SVGTextElement>('svg text.actor')]
      .map((e) => ({ x: e.getBBox().x, text: e.textContent ?? '' }))
      .sort((a, b) => a.x - b.x)
      .map((a) => a.text);
    return {
      messages: [...el.querySelectorAll('svg .messageText')].map((e) => e.textContent ?? ''),
      notes: [...el.querySelectorAll('svg .noteText')].map((e) => e.textContent ?? ''),
      actors: [...new Set(actors)],
    };
  });
}

export async function mailboxCount(page: Page, box: string): Promise<number> {
  const text = (await page.textContent(`[data-testid="mailbox-${box}"] .count`)) ?? '';
  return Number(/(\d+) message/.exec(text)?.[1] ?? NaN);
}

export async function setSpeed(page: Page, speed: number): Promise<void> {
  await page.selectOption('[data-testid=speed]', String(speed));
}

/** Click a timeline button, then let the terminal and the views redraw (two frames). */
export async function clickAndSettle(page: Page, selector: string): Promise<void> {
  await page.click(selector);
  await page.evaluate(
    () =>
      new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}
