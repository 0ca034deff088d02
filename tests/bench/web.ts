/**
 * The browser figures (issue 6), in Debian's Chromium:
 *
 * - web.initial-js.gzip-kb   the entry chunk and its static imports, gzipped (level 9), from
 *                            the build's manifest: what the page must load before it runs;
 * - web.startup-js.gzip-kb   every script the page fetched before any user action, once the
 *                            first views are drawn (the views' own SVG; no Mermaid);
 * - web.interactive.ms       navigation start to the terminal's first prompt (median of 5);
 * - web.storm.*              a 1,000-message lab played at 16×: main-thread long tasks
 *                            (over 50 ms), the longest one, and frames per second.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStatic } from '../e2e/static-server';
import type { Benchmark, Figure } from './harness';
import { STORM_MESSAGES, stormDoc } from './storm';

const ROOT = resolve(import.meta.dirname, '../..');

interface ManifestChunk {
  file: string;
  imports?: string[];
  isEntry?: boolean;
}

function build(outDir: string): Record<string, ManifestChunk> {
  execFileSync(
    process.execPath,
    [
      resolve(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--logLevel',
      'warn',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--manifest',
    ],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  return JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
}

const gzipKb = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length / 1000;

/** The entry chunk and everything it imports statically, transitively. */
function initialFiles(manifest: Record<string, ManifestChunk>): string[] {
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry)?.[0];
  if (!entry) throw new Error('no entry in the build manifest');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  visit(entry);
  return [...seen].map((key) => manifest[key]!.file);
}

async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await page.waitForFunction(
    () => performance.getEntriesByName('smtp-lab:interactive').length > 0,
    undefined,
    {
      timeout: 30_000,
    },
  );
  return page;
}

interface StormResult {
  seconds: number;
  frames: number;
  longTasks: number[];
  delivered: number;
  virtualSeconds: number;
}

/**
 * Runs in the page (as source text: the bundler's helpers must not leak into it): set 16×,
 * play, count frames and long tasks until bob has every message.
 */
const STORM_IN_PAGE = `async function storm(expected) {
  const lab = window.smtpLab;
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  let frames = 0;
  let counting = true;
  function count() {
    frames++;
    if (counting) requestAnimationFrame(count);
  }
  function delivered() {
    return lab.runtime().lab.world.mailstore('mx1.beta.example').messages('bob').length;
  }
  const store = lab.store.getState();
  store.setSpeed(16);
  const start = performance.now();
  const virtualStart = lab.store.getState().now;
  requestAnimationFrame(count);
  store.play();
  await new Promise((done) => {
    function check() {
      if (delivered() >= expected || performance.now() - start > 180000) done();
      else setTimeout(check, 250);
    }
    check();
  });
  const seconds = (performance.now() - start) / 1000;
  counting = false;
  lab.store.getState().pause();
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  return {
    seconds,
    frames,
    longTasks,
    delivered: delivered(),
    virtualSeconds: (lab.store.getState().now - virtualStart) / 1000,
  };
}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const web: Benchmark = {
  name: 'web',
  description: 'browser: initial JS, time to an interactive terminal, a 1,000-message storm at 16×',
  async run() {
    const outDir = mkdtempSync(join(tmpdir(), 'smtp-lab-bench-'));
    const figures: Figure[] = [];
    let browser: Browser | undefined;
    let server: { close(cb: () => void): void } | undefined;
    try {
      const manifest = build(outDir);
      const initial = initialFiles(manifest);
      const initialKb = initial.reduce((n, f) => n + gzipKb(join(outDir, f)), 0);
      figures.push({
        name: 'web.initial-js.gzip-kb',
        value: initialKb,
        unit: 'kB',
        note: `${initial.length} files (entry + static imports); goal ≤ 250 kB: ${initialKb <= 250 ? 'met' : 'NOT MET'}`,
      });

      const served = await serveStatic(outDir, '/bench/');
      server = served.server;
      browser = await launch();

      // Load to interactive, five fresh pages; the first one also lists what it fetched.
      const times: number[] = [];
      let fetched: string[] = [];
      for (let i = 0; i < 5; i++) {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        const scripts: string[] = [];
        page.on('request', (r) => {
          if (r.resourceType() === 'script')
            scripts.push(new URL(r.url()).pathname.replace('/bench/', ''));
        });
        await page.goto(served.url);
        await page.waitForFunction(
          () => performance.getEntriesByName('smtp-lab:interactive').length > 0,
        );
        times.push(
          await page.evaluate(
            () => performance.getEntriesByName('smtp-lab:interactive')[0]!.startTime,
          ),
        );
        if (i === 0) {
          await page.waitForSelector('[data-testid=topology-diagram] svg g.node', {
            timeout: 30_000,
          });
          await page.waitForTimeout(1000);
          fetched = [...new Set(scripts)];
        }
        await page.close();
      }
      const startupKb = fetched.reduce((n, f) => n + gzipKb(join(outDir, f)), 0);
      figures.push({
        name: 'web.startup-js.gzip-kb',
        value: startupKb,
        unit: 'kB',
        note: `${fetched.length} scripts fetched before any input, with the topology drawn`,
      });
      figures.push({
        name: 'web.interactive.ms',
        value: median(times),
        unit: 'ms',
        note: `median of ${times.length} loads, range ${Math.round(Math.min(...times))}–${Math.round(Math.max(...times))}`,
      });

      // The storm: load the recording at its start, play at 16× until bob has every message.
      const page = await openPage(browser, `${served.url}?hooks`);
      await page.waitForSelector('[data-testid=topology-diagram] svg g.node', { timeout: 30_000 });
      const error = (await page.evaluate(
        `window.smtpLab.load(${JSON.stringify(stormDoc())}, 'start')`,
      )) as string | undefined;
      if (error) throw new Error(`storm document refused: ${error}`);
      const result = (await page.evaluate(`(${STORM_IN_PAGE})(${STORM_MESSAGES})`)) as StormResult;
      if (result.delivered < STORM_MESSAGES) {
        throw new Error(
          `storm: only ${result.delivered} of ${STORM_MESSAGES} messages delivered in ${result.seconds.toFixed(0)} s`,
        );
      }
      const maxTask = result.longTasks.length ? Math.max(...result.longTasks) : 0;
      const fps = result.frames / result.seconds;
      const pace = `${result.virtualSeconds.toFixed(0)} s of virtual time in ${result.seconds.toFixed(1)} s (${(result.virtualSeconds / result.seconds).toFixed(1)}×)`;
      figures.push({
        name: 'web.storm.longtasks',
        value: result.longTasks.length,
        unit: 'tasks',
        note: `main-thread tasks over 50 ms while ${STORM_MESSAGES} messages were delivered; ${pace}`,
      });
      figures.push({
        name: 'web.storm.max-longtask.ms',
        value: maxTask,
        unit: 'ms',
        note: `goal ≤ 200 ms: ${maxTask <= 200 ? 'met' : 'NOT MET'}`,
      });
      figures.push({
        name: 'web.storm.fps',
        value: fps,
        unit: 'frames/s',
        note: `${result.frames} frames in ${result.seconds.toFixed(1)} s`,
        goal: { min: 30, text: '≥ 30 fps' },
      });
      return figures;
    } finally {
      await browser?.close();
      if (server) await new Promise<void>((done) => server!.close(() => done()));
      rmSync(outDir, { recursive: true, force: true });
    }
  },
};
