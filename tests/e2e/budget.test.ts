/**
 * The first-load budget (#2): the scripts the built page loads before anything else — its
 * entry and the modules it preloads — stay within 250 kB gzipped. Everything else
 * (diagrams, lessons, presenter, sharing) must come in lazily loaded chunks. Measured on
 * the same build the browser tests use, as the bench's web.initial-js.gzip-kb is.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';

const BUDGET_BYTES = 250_000;

async function fetchBytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.ok, `${url}: HTTP ${res.status}`).toBe(true);
  return Buffer.from(await res.arrayBuffer());
}

describe('first-load budget', () => {
  it('keeps the entry script and its preloaded modules within 250 kB gzipped', async () => {
    const base = inject('baseURL');
    const html = (await fetchBytes(base)).toString('utf8');
    const scripts = [
      ...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g),
      ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
    ].map((m) => new URL(m[1]!, base).href);
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = await Promise.all(
      scripts.map(async (url) => ({
        url,
        gz: gzipSync(await fetchBytes(url), { level: 9 }).length,
      })),
    );
    const total = sizes.reduce((n, s) => n + s.gz, 0);
    const report = sizes.map((s) => `${s.url.split('/').pop()}: ${s.gz}`).join(', ');
    expect(total, `initial JS ${total} bytes gzipped (${report})`).toBeLessThanOrEqual(
      BUDGET_BYTES,
    );
  });
});
