/**
 * Share links: a lab packed into `#share=…` comes back as the same document and replays
 * into the same trace; broken, truncated, oversized, bomb-like and hostile links are
 * refused with a reason, and what a link carries stays data.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../../src/engine/scenario';
import { DOC_FORMAT, type LabDoc } from '../../../src/store/doc';
import { useLab } from '../../../src/store/labStore';
import { LabRuntime } from '../../../src/store/runtime';
import { scenarioFor } from '../../../src/store/scenarios';
import {
  decodeShare,
  lessonLink,
  MAX_LINK_CHARS,
  MAX_UNPACKED_BYTES,
  shareLink,
  SHARE_PREFIX,
} from '../../../src/store/share';
import { LAPTOP, submission } from './support';

const BASE = 'https://lab.example/some/path/?scenario=greylisting&hooks#old';

async function pack(text: string | Uint8Array): Promise<string> {
  const input = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const stream = new Blob([input as BlobPart])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return SHARE_PREFIX + Buffer.from(bytes).toString('base64url');
}

async function refused(fragment: string): Promise<string> {
  const decoded = await decodeShare(fragment);
  expect(decoded.ok).toBe(false);
  return decoded.ok ? '' : decoded.error;
}

describe('share links', () => {
  it('round-trips a lab and replays it into the same trace and screen', async () => {
    const live = new LabRuntime(builtInScenario('default'), {
      format: DOC_FORMAT,
      scenario: 'default',
      inputs: [],
    });
    live.open(LAPTOP);
    for (const line of submission('bob@beta.example')) {
      live.input(LAPTOP, `${line}\r`);
      live.advanceTo(live.now + 700);
    }
    const doc = live.doc();
    const link = await shareLink(doc, BASE);
    const url = new URL(link);
    expect(url.origin + url.pathname).toBe('https://lab.example/some/path/');
    expect(url.search).toBe('');
    expect(url.hash.startsWith(SHARE_PREFIX)).toBe(true);
    expect(url.hash).toMatch(/^#share=[A-Za-z0-9_-]+$/);

    const decoded = await decodeShare(url.hash);
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.doc).toEqual(doc);
    const replay = new LabRuntime(scenarioFor(decoded.doc.scenario), decoded.doc);
    replay.advanceTo(live.now);
    expect(JSON.stringify(replay.events)).toBe(JSON.stringify(live.events));
    expect(replay.screen(LAPTOP)).toBe(live.screen(LAPTOP));
    expect(live.events.some((e) => e.type === 'mail.delivered')).toBe(true);
  });

  it('carries a scenario of its own', async () => {
    const world = { ...builtInScenario('default'), name: 'mine', description: 'my world' };
    const doc: LabDoc = { format: DOC_FORMAT, scenario: world, inputs: [] };
    const decoded = await decodeShare(new URL(await shareLink(doc, BASE)).hash);
    if (!decoded.ok) throw new Error(decoded.error);
    expect(scenarioFor(decoded.doc.scenario)).toEqual(world);
  });

  it('links to a lesson step with the lesson’s own parameters', () => {
    const link = new URL(lessonLink({ lesson: 'first-mail', step: 3, scenario: 'default' }, BASE));
    expect(link.hash).toBe('');
    expect([...link.searchParams]).toEqual([
      ['scenario', 'default'],
      ['lesson', 'first-mail'],
      ['step', '3'],
    ]);
    expect(new URL(lessonLink({ lesson: 'x', step: 1 }, BASE)).search).toBe('?lesson=x&step=1');
  });

  it('refuses empty, garbled and truncated links', async () => {
    expect(await refused('#share=')).toMatch(/holds no lab/);
    expect(await refused('#share=<script>alert(1)</script>')).toMatch(/unexpected characters/);
    expect(await refused('#share=a')).toMatch(/unexpected characters/);
    expect(await refused('#share=' + 'A'.repeat(40))).toMatch(/damaged or cut short/);
    const good = new URL(
      await shareLink(
        { format: DOC_FORMAT, scenario: builtInScenario('default'), inputs: [] },
        BASE,
      ),
    ).hash;
    expect(await refused(good.slice(0, Math.floor(good.length / 2)))).toMatch(
      /damaged or cut short|unexpected characters/,
    );
    expect(await refused(await pack('not json {'))).toMatch(/not JSON/);
    expect(await refused(await pack(new Uint8Array([0xff, 0xfe, 0x00])))).toMatch(/not JSON/);
    expect(await refused(await pack('{"format":"smtp-lab/v2","scenario":"default"}'))).toMatch(
      /not a valid lab: inputs: /,
    );
  });

  it('refuses a link longer than the cap without unpacking it', async () => {
    expect(await refused(SHARE_PREFIX + 'A'.repeat(MAX_LINK_CHARS + 1))).toMatch(
      /longer than 64 KB/,
    );
  });

  it('stops unpacking a small link that would unpack to a huge document', async () => {
    // 64 MB of spaces packs into about 64 KB of deflate; well within the link cap here.
    const bomb = await pack(new Uint8Array(32 * 1024 * 1024).fill(0x20));
    expect(bomb.length).toBeLessThan(MAX_LINK_CHARS);
    expect(await refused(bomb)).toMatch(/unpacks to more than 2048 KB/);
    expect(MAX_UNPACKED_BYTES).toBe(2 * 1024 * 1024);
  });

  it('will not make a link for a lab too big for one', async () => {
    // Typing that does not compress (random text), past the link cap.
    const noise = randomBytes(100_000).toString('base64');
    const doc: LabDoc = {
      format: DOC_FORMAT,
      scenario: 'default',
      inputs: [{ t: 0, host: LAPTOP, data: noise }],
    };
    await expect(shareLink(doc, BASE)).rejects.toThrow(/too big for a link .*Save lab/);
  });

  it('keeps what a hostile link carries as data, or refuses it', async () => {
    const world = builtInScenario('default');
    const hostile = {
      ...world,
      name: '<img src=x onerror=alert(1)>',
      description: '<script>window.pwned = 1</script>\u001b]0;title\u0007',
      hosts: world.hosts.map((h) =>
        h.name === 'mx1.beta.example'
          ? { ...h, smtp: [{ port: 25, banner: '<script>alert(1)</script> \u001b[2J' }] }
          : h,
      ),
    };
    const doc = { format: DOC_FORMAT, scenario: hostile, inputs: [] };
    const decoded = await decodeShare(new URL(await shareLink(doc as LabDoc, BASE)).hash);
    if (!decoded.ok) throw new Error(decoded.error);
    const loaded = scenarioFor(decoded.doc.scenario);
    expect(loaded.description).toBe(hostile.description);
    expect(loaded.name).toBe(hostile.name);

    // A name that is markup where a host name must be: refused, naming the field.
    const badHost = {
      ...world,
      hosts: [
        ...world.hosts,
        { name: '<img src=x onerror=alert(1)>', address: '192.0.2.99', role: 'mx' },
      ],
    };
    const link = await pack(JSON.stringify({ format: DOC_FORMAT, scenario: badHost, inputs: [] }));
    const badDoc = await decodeShare(link);
    if (!badDoc.ok) throw new Error(badDoc.error);
    expect(useLab.getState().load(badDoc.doc)).toMatch(/hosts\.5\.name: must be a host name/);
  });

  it('does not let a link reach Object.prototype', async () => {
    const world = builtInScenario('default');
    const text = JSON.stringify({ format: DOC_FORMAT, scenario: world, inputs: [] }).replace(
      '"hosts":[{',
      '"__proto__":{"polluted":true},"hosts":[{"__proto__":{"up":false},',
    );
    const decoded = await decodeShare(await pack(text));
    if (!decoded.ok) throw new Error(decoded.error);
    expect(useLab.getState().load(decoded.doc)).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).up).toBeUndefined();
    const custom = useLab.getState().custom!;
    expect(custom.hosts.every((h) => h.up)).toBe(true);
    expect(Object.keys(custom)).not.toContain('__proto__');
  });
});
