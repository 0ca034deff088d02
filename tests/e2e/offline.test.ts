/**
 * Offline use (scripts/offline.ts, scripts/sw-runtime.js). A copy of the build, fetched
 * through its service worker's own file list, is served under a sub-path by a server this
 * test controls. The worker installs, takes control and caches every file; everything the
 * page loads, the lazily loaded views included, is on that list. A new build replaces the
 * old cache. Then the browser goes offline and the server stops for good (a service
 * worker's own fetches ignore the browser's offline switch): a reload still gives a
 * working lab, whose terminal answers and whose lazily loaded views open.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SW_FILE, serviceWorker } from '../../scripts/offline';
import { launch, terminalText, typeLine } from './browser';
import { MX1, showView, submission, typeLines } from './lab';
import { serveStatic } from './static-server';

const SUB_PATH = '/deeper/than/the/other/tests/';

let browser: Browser;
let context: BrowserContext;
let page: Page;
let dir: string;
let url: string;
let server: Server;
let files: string[];
const fetched = new Map<string, number>();
const requested = new Set<string>();
const errors: string[] = [];

/** The list a service worker script carries. */
function fileList(sw: string): string[] {
  return JSON.parse(/^const FILES = (\[.*\]);$/m.exec(sw)![1]!) as string[];
}
function version(sw: string): string {
  return JSON.parse(/^const VERSION = (".*");$/m.exec(sw)![1]!) as string;
}

/** This scope's caches, with how many entries each holds. */
const caches = () =>
  page.evaluate(async (scope) => {
    const names = (await globalThis.caches.keys()).filter((k) => k.includes(scope));
    return Promise.all(
      names.map(async (name) => ({
        name,
        entries: (await (await globalThis.caches.open(name)).keys()).length,
      })),
    );
  }, url);

async function openPage(): Promise<void> {
  await page.reload();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=terminal] .xterm-rows')?.textContent?.includes('@laptop'),
  );
}

beforeAll(async () => {
  browser = await launch();
  const base = inject('baseURL');
  const sw = await (await fetch(new URL(SW_FILE, base))).text();
  files = fileList(sw);
  dir = mkdtempSync(join(tmpdir(), 'smtp-lab-offline-'));
  for (const f of [...files, `./${SW_FILE}`]) {
    const response = await fetch(new URL(f, base));
    fetched.set(f, response.status);
    const path = join(dir, f === './' ? 'index.html' : f);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.from(await response.arrayBuffer()));
  }
  ({ url, server } = await serveStatic(dir, SUB_PATH));
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.on('request', (r) => {
    if (r.url().startsWith(url))
      requested.add(`./${new URL(r.url()).pathname.slice(SUB_PATH.length)}`);
  });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}?hooks`);
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('offline use', () => {
  it('lists every file of the build, the lazily loaded parts included', () => {
    expect([...fetched.values()].every((status) => status === 200)).toBe(true);
    for (const part of [
      /^\.\/$/, // the page
      /^\.\/favicon\.svg$/, // public/
      /^\.\/assets\/index-[\w-]+\.js$/, // the entry
      /^\.\/assets\/index-[\w-]+\.css$/,
      /^\.\/assets\/core\.worker-[\w-]+\.js$/, // the lesson worker
      /^\.\/assets\/mermaid\.core-[\w-]+\.js$/,
      /^\.\/assets\/sequenceDiagram-[\w-]+\.js$/,
      /^\.\/assets\/flowDiagram-[\w-]+\.js$/,
      /^\.\/assets\/postal-mime-[\w-]+\.js$/,
      /^\.\/assets\/LessonPanel-[\w-]+\.js$/,
      /^\.\/assets\/01-hello-smtp-[\w-]+\.js$/,
    ])
      expect(
        files.some((f) => part.test(f)),
        String(part),
      ).toBe(true);
    expect(files).not.toContain(`./${SW_FILE}`);
  });

  it('installs, takes control, and caches every file under this scope and version', async () => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 30_000,
    });
    const sw = readFileSync(join(dir, SW_FILE), 'utf8');
    expect(await caches()).toEqual([
      { name: `smtp-lab ${url} ${version(sw)}`, entries: files.length },
    ]);
  });

  it('had every file the page loaded on the list', async () => {
    await openPage();
    await typeLines(page, submission('bob@beta.example', 'online'));
    for (const view of ['sequence', 'mx', 'queue', 'log'] as const) {
      await showView(page, view);
      await page.waitForSelector('.view-body > .boundary > *:not(.loading)');
    }
    await showView(page, 'mailboxes');
    await page.click(`[data-testid="mailbox-bob@${MX1}"] .mailbox-name`);
    await page.click(`[data-testid="mailbox-bob@${MX1}"] [data-testid=message]`);
    await page.waitForSelector('[data-testid=received-hop]');
    await page.click('[data-testid=view-tab-lesson]');
    await page.waitForSelector('[data-testid=lesson]');
    const listed = new Set(files);
    const missing = [...requested].filter((r) => !listed.has(r) && r !== `./${SW_FILE}`);
    expect(requested.size).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('replaces the old cache when a new build is deployed', async () => {
    const before = (await caches()).map((c) => c.name);
    // The next build: a changed page, and the service worker the plugin makes for it.
    const index = join(dir, 'index.html');
    writeFileSync(
      index,
      readFileSync(index, 'utf8').replace('<head>', '<head><meta name="test-build" content="2">'),
    );
    const build = new Map<string, Uint8Array>();
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue;
      const path = join(e.parentPath, e.name);
      const name = relative(dir, path);
      if (name !== SW_FILE) build.set(name, readFileSync(path));
    }
    const next = serviceWorker(build);
    expect(version(next)).not.toBe(version(readFileSync(join(dir, SW_FILE), 'utf8')));
    writeFileSync(join(dir, SW_FILE), next);

    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const name = `smtp-lab ${url} ${version(next)}`;
    await expect.poll(caches, { timeout: 30_000 }).toEqual([{ name, entries: files.length }]);
    expect(before).not.toContain(name);
    await openPage();
    expect(await page.getAttribute('meta[name=test-build]', 'content')).toBe('2');
  });

  it('works offline: the page, the terminal and the lazily loaded views', async () => {
    await context.setOffline(true);
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
    expect((await fetch(url).catch((e: Error) => e)) instanceof Error).toBe(true);

    await openPage();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await page.getAttribute('meta[name=test-build]', 'content')).toBe('2');

    await page.click('[data-testid=terminal]');
    await typeLine(page, 'telnet mx1.beta.example 25');
    await expect.poll(() => terminalText(page)).toContain('220 mx1.beta.example');
    await typeLine(page, 'EHLO laptop.alpha.example');
    await expect.poll(() => terminalText(page)).toContain('250 ');
    await typeLine(page, 'QUIT');

    await page.waitForSelector('[data-testid=topology-diagram] svg g.node');
    await showView(page, 'sequence');
    await page.waitForSelector('[data-testid=sequence] svg .messageText');
    await typeLines(page, submission('bob@beta.example', 'offline'));
    await showView(page, 'mailboxes');
    await page.click(`[data-testid="mailbox-bob@${MX1}"] .mailbox-name`);
    await page.click(`[data-testid="mailbox-bob@${MX1}"] [data-testid=message]`);
    await page.waitForSelector('[data-testid=received-hop]');
    await page.click('[data-testid=view-tab-lesson]');
    await page.waitForSelector('[data-testid=lesson]');
    expect(await page.textContent('.course-map')).toContain('Hello, SMTP');
    expect(await page.$$('.view-error')).toEqual([]);
    expect(errors).toEqual([]);
  });
});
