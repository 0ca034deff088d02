/**
 * The build's offline and CSP plugins (scripts/offline.ts, scripts/csp.ts), on a small
 * project built by Vite with both: the service worker lists every file the build wrote
 * (lazily loaded chunks, CSS, assets) and everything in public/, as URLs relative to the
 * worker; its VERSION changes when any file's content does; the worker caches those URLs
 * under whatever path the site is served from. The CSP is the first thing in <head> and
 * allows no inline script and no other origin.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP, contentSecurityPolicy } from '../../scripts/csp';
import { SW_FILE, offline, serviceWorker } from '../../scripts/offline';

function fileList(sw: string): string[] {
  return JSON.parse(/^const FILES = (\[.*\]);$/m.exec(sw)![1]!) as string[];
}
function version(sw: string): string {
  return JSON.parse(/^const VERSION = (".*");$/m.exec(sw)![1]!) as string;
}

/** Every file under `dir`, as a '/'-separated path relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

const PROJECT: Record<string, string> = {
  'index.html':
    '<!doctype html>\n<html><head><meta charset="utf-8"><title>t</title></head>' +
    '<body><div id="root"></div><script type="module" src="./main.js"></script></body></html>',
  'main.js':
    "import './main.css';\n" +
    "document.getElementById('root').textContent = 'main';\n" +
    "document.body.onclick = () => import('./later.js').then((m) => m.later());\n",
  'later.js': "import logo from './logo.svg';\nexport const later = () => logo;\n",
  'main.css': 'body { background: url(./back.png); }\n',
  // Large enough not to be inlined as a data: URL.
  'logo.svg': `<svg xmlns="http://www.w3.org/2000/svg"><!--${'x'.repeat(8000)}--></svg>`,
  'back.png': 'p'.repeat(8000),
  'public/favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'public/fonts/sub/face.woff2': 'font',
};

let root: string;
let out: string;

async function buildProject(): Promise<void> {
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    base: './',
    plugins: [contentSecurityPolicy(), offline()],
    build: { outDir: out, emptyOutDir: true },
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'smtp-lab-offline-'));
  out = join(root, 'dist');
  for (const [name, text] of Object.entries(PROJECT)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  await buildProject();
}, 60_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the service worker of a build', () => {
  it('lists every file the build wrote and every public file, relative to itself', () => {
    const written = filesUnder(out).filter((f) => f !== SW_FILE);
    // The build did split: a lazily loaded chunk, CSS and assets, the public files.
    expect(written.filter((f) => f.endsWith('.js')).length).toBeGreaterThanOrEqual(2);
    expect(written.some((f) => f.endsWith('.css'))).toBe(true);
    expect(written.some((f) => f.endsWith('.svg') && f.startsWith('assets/'))).toBe(true);
    expect(written.some((f) => f.endsWith('.png'))).toBe(true);
    expect(written).toContain('favicon.svg');
    expect(written).toContain('fonts/sub/face.woff2');
    const listed = fileList(readFileSync(join(out, SW_FILE), 'utf8'));
    expect([...listed].sort()).toEqual(
      written.map((f) => (f === 'index.html' ? './' : `./${f}`)).sort(),
    );
  });

  it('caches those files under the path the site is served from', async () => {
    const sw = readFileSync(join(out, SW_FILE), 'utf8');
    const base = 'https://school.example/labs/smtp/';
    const cached: string[] = [];
    const listeners = new Map<string, (event: unknown) => void>();
    const self = {
      registration: { scope: base },
      location: { href: `${base}${SW_FILE}` },
      addEventListener: (type: string, f: (event: unknown) => void) => listeners.set(type, f),
      skipWaiting: () => Promise.resolve(),
    };
    const caches = {
      open: () =>
        Promise.resolve({
          addAll: (requests: { url: string }[]) => {
            cached.push(...requests.map((r) => r.url));
            return Promise.resolve();
          },
        }),
    };
    class Request {
      constructor(
        readonly url: URL | string,
        readonly init: unknown,
      ) {
        this.url = String(url);
      }
    }
    runInNewContext(sw, { self, caches, Request, URL });
    let done: Promise<unknown> | undefined;
    listeners.get('install')!({ waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
    expect(cached).toContain(base);
    expect(cached).toContain(`${base}favicon.svg`);
    expect(cached.every((u) => u.startsWith(base))).toBe(true);
    expect(cached).toHaveLength(fileList(sw).length);
  });

  it('gets a new VERSION when the content of any file changes, and only then', () => {
    const files = new Map<string, string>([
      ['index.html', '<html>'],
      ['assets/index-abc.js', 'main()'],
      ['assets/later-def.js', 'later()'],
      ['favicon.svg', '<svg/>'],
    ]);
    const v = version(serviceWorker(files));
    expect(v).toMatch(/^[0-9a-f]{16}$/);
    expect(version(serviceWorker(new Map(files)))).toBe(v);
    for (const name of files.keys()) {
      const changed = new Map(files).set(name, `${files.get(name)} `);
      expect(version(serviceWorker(changed)), name).not.toBe(v);
    }
    const renamed = new Map([...files].map(([n, c]) => [n.replace('later', 'Later'), c]));
    expect(version(serviceWorker(renamed))).not.toBe(v);
  });

  it('lists neither itself nor source maps; bytes count as well as text', () => {
    const files = new Map<string, string | Uint8Array>([
      ['index.html', '<html>'],
      [SW_FILE, 'old worker'],
      ['assets/index-abc.js', 'main()'],
      ['assets/index-abc.js.map', '{}'],
      ['fonts/face.woff2', new Uint8Array([0, 1, 2])],
    ]);
    const sw = serviceWorker(files);
    expect(fileList(sw)).toEqual(['./assets/index-abc.js', './fonts/face.woff2', './']);
    files.set('fonts/face.woff2', new Uint8Array([0, 1, 3]));
    expect(version(serviceWorker(files))).not.toBe(version(sw));
    files.set('assets/index-abc.js.map', '{"changed":1}');
    expect(version(serviceWorker(files))).toBe(version(serviceWorker(new Map(files))));
  });

  it('names no absolute path and no other origin', () => {
    const listed = fileList(readFileSync(join(out, SW_FILE), 'utf8'));
    expect(listed.every((u) => u.startsWith('./') && !u.includes('//'))).toBe(true);
    expect(listed.some((u) => u.includes(root))).toBe(false);
  });
});

describe('the Content-Security-Policy', () => {
  const directives = new Map(
    CSP.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources];
    }),
  );

  it('is the first element of the built page’s head', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const head = /<head>\s*(<[^>]*>)/.exec(html)?.[1] ?? '';
    const content = /^<meta http-equiv="Content-Security-Policy" content="([^"]*)">$/.exec(head);
    expect(content?.[1]?.replaceAll('&#39;', "'")).toBe(CSP);
    // What it forbids, the page does not need: no inline script.
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((s) => /\bsrc="\.\//.test(s))).toBe(true);
  });

  it('runs only this site’s own script files', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(CSP).not.toMatch(/unsafe-eval|strict-dynamic|nonce-|sha256-/);
    // 'unsafe-inline' for styles only (Mermaid and xterm need it).
    for (const [name, sources] of directives)
      if (name !== 'style-src') expect(sources, name).not.toContain("'unsafe-inline'");
  });

  it('names no remote origin', () => {
    const allowed = new Set(["'self'", "'none'", "'unsafe-inline'", 'data:', 'blob:']);
    for (const [name, sources] of directives)
      for (const source of sources) expect(allowed.has(source), `${name} ${source}`).toBe(true);
  });
});
