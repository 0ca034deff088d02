/**
 * The primary MX is down (scenario mx-fallback, a host-down fault on mx1.beta.example):
 * the MX lookup view shows mx1 tried first and timing out, then mx2 accepting; mx2 queues
 * the message and its retry shows as a future mark on the timeline; playing on makes the
 * retry happen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser';
import {
  MX2,
  MX1,
  ALPHA,
  clickAndSettle,
  openLab,
  recordTokens,
  setSpeed,
  showView,
  submission,
  tokens,
  typeLines,
  waitForToken,
  type Opened,
} from './lab';

let browser: Browser;
let lab: Opened;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  lab = await openLab(browser, { scenario: 'mx-fallback' });
  page = lab.page;
});

afterAll(async () => {
  await browser?.close();
});

const resolution = (host: string) => `[data-testid=mx-resolution][data-host="${host}"]`;

async function steps(page: Page, host: string) {
  return page.$$eval(`${resolution(host)} li.step`, (els) =>
    els.map((e) => ({
      kind: e.getAttribute('data-kind'),
      outcome: e.getAttribute('data-outcome'),
      host: e.getAttribute('data-host'),
      text: e.textContent ?? '',
    })),
  );
}

describe('MX fallback', () => {
  it('marks the down host on the topology', async () => {
    await recordTokens(page);
    const mx1 = `[data-testid=topology-diagram] g.node[data-host="${MX1}"]:not([data-mailboxes])`;
    expect(await page.getAttribute(mx1, 'data-down')).toBe('true');
    expect(await page.textContent(mx1)).toContain('DOWN');
    expect(await page.getAttribute(mx1, 'aria-label')).toContain('(down)');
  });

  it('shows mx1 tried first and timing out, then mx2 accepting', async () => {
    await typeLines(page, submission('bob@beta.example', 'falling back'));
    await setSpeed(page, 16);
    await showView(page, 'mx');
    await expect
      .poll(async () => (await steps(page, ALPHA)).some((s) => s.kind === 'result'), {
        timeout: 20_000,
      })
      .toBe(true);
    const list = await steps(page, ALPHA);
    const tries = list.filter((s) => s.kind === 'try');
    expect(tries.map((t) => [t.host, t.outcome])).toEqual([
      [MX1, 'timed-out'],
      [MX2, 'accepted'],
    ]);
    expect(tries[0]!.text).toMatch(
      /Tried first mx1\.beta\.example \(preference 10\).*no answer within 30 s/,
    );
    expect(tries[1]!.text).toMatch(
      /second, after mx1\.beta\.example failed, mx2\.beta\.example \(preference 20\).*accepted: 250 2\.0\.0 Ok: queued as/,
    );
    expect(list.find((s) => s.kind === 'lookup')!.text).toContain(
      '10 mx1.beta.example, 20 mx2.beta.example',
    );
    expect(list.at(-1)).toMatchObject({ kind: 'result', outcome: 'sent' });
    const rows = await page.$$eval(`${resolution(ALPHA)} tr[data-mx]`, (els) =>
      els.map((e) => e.textContent),
    );
    expect(rows).toEqual([`10${MX1}#1`, `20${MX2}#2`]);

    await waitForToken(page, { kind: 'deferral', from: ALPHA, to: MX1 });
    await waitForToken(page, { kind: 'relay', from: ALPHA, to: MX2 });
    const timedOut = (await tokens(page)).find((t) => t.kind === 'deferral' && t.to === MX1)!;
    expect(timedOut.label).toContain('timed out');
  });

  it('queues the message on mx2, which explains it cannot skip to itself and retries later', async () => {
    await expect
      .poll(async () => (await steps(page, MX2)).some((s) => s.kind === 'retry'), {
        timeout: 20_000,
      })
      .toBe(true);
    const list = await steps(page, MX2);
    expect(list.find((s) => s.kind === 'self')!.text).toContain('mx2.beta.example is itself MX 20');
    expect(list.filter((s) => s.kind === 'try').map((t) => [t.host, t.outcome])).toEqual([
      [MX1, 'timed-out'],
    ]);
    expect(list.find((s) => s.kind === 'result')).toMatchObject({ outcome: 'deferred' });

    await page.click('[data-testid=play]'); // pause
    await showView(page, 'queue');
    const entry = `[data-testid=queue-entry][data-host="${MX2}"]`;
    await page.waitForSelector(entry);
    expect(await page.textContent(entry)).toContain('Connection timed out');
    const next = Number(await page.getAttribute(entry, 'data-next'));
    const now = Number(await page.getAttribute('[data-testid=timeline]', 'data-now'));
    expect(next).toBeGreaterThan(now);
    const marks = await page.$$eval('[data-testid=retry-mark]', (els) =>
      els.map((e) => Number(e.getAttribute('data-t'))),
    );
    expect(marks).toContain(next);
  });

  it('runs the retry when virtual time reaches it', async () => {
    const entry = `[data-testid=queue-entry][data-host="${MX2}"]`;
    const next = Number(await page.getAttribute(entry, 'data-next'));
    for (let i = 0; i < 50; i++) {
      if (Number(await page.getAttribute('[data-testid=timeline]', 'data-now')) > next) break;
      await clickAndSettle(page, '[data-testid=step-forward]');
    }
    expect(
      Number(await page.getAttribute('[data-testid=timeline]', 'data-now')),
    ).toBeGreaterThanOrEqual(next);
    await page.click('[data-testid=play]');
    await expect.poll(() => page.textContent(entry), { timeout: 20_000 }).toContain('2 attempts');
    expect(lab.errors).toEqual([]);
  });
});
