/**
 * Offline use. At build time this plugin writes `sw.js` next to index.html: the service
 * worker in ./sw-runtime.js, preceded by this build's VERSION and FILES. FILES is every file
 * the build wrote (the page, the entry, each lazily loaded chunk: Mermaid's diagram types,
 * postal-mime, DOMPurify, the lessons; the lesson worker, CSS, fonts) and everything in
 * public/, by their real hashed names, as URLs relative to the worker. VERSION is a hash of
 * all their contents, so any change to the build gives a new cache that replaces the old.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';

export const SW_FILE = 'sw.js';

const RUNTIME = join(import.meta.dirname, 'sw-runtime.js');

/** The service worker for a build whose files (name relative to the output → content) are given. */
export function serviceWorker(files: ReadonlyMap<string, string | Uint8Array>): string {
  const names = [...files.keys()].filter((n) => n !== SW_FILE && !n.endsWith('.map')).sort();
  const hash = createHash('sha256');
  for (const name of names) hash.update(`${name}\0`).update(files.get(name)!).update('\0');
  const version = hash.digest('hex').slice(0, 16);
  // The page is cached as the directory's URL, the one people open (and the only one a host
  // that redirects /index.html to / answers without a redirect).
  const urls = names.map((n) => (n === 'index.html' ? './' : `./${n}`));
  return (
    `const VERSION = ${JSON.stringify(version)};\n` +
    `const FILES = ${JSON.stringify(urls)};\n` +
    readFileSync(RUNTIME, 'utf8')
  );
}

function publicFiles(dir: string): [string, Uint8Array][] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return []; // no public/ directory
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return [relative(dir, path).split(sep).join('/'), readFileSync(path)];
    });
}

export function offline(): Plugin {
  let publicDir = '';
  return {
    name: 'smtp-lab:offline',
    apply: 'build',
    // After Vite's own plugins, so the bundle holds index.html and the worker's chunk.
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle(_options, bundle) {
      const files = new Map<string, string | Uint8Array>(publicDir ? publicFiles(publicDir) : []);
      for (const [name, output] of Object.entries(bundle))
        files.set(name, output.type === 'chunk' ? output.code : output.source);
      this.emitFile({ type: 'asset', fileName: SW_FILE, source: serviceWorker(files) });
    },
  };
}
