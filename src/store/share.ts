/**
 * Share links. A lab travels in the URL fragment (`#share=…`, never sent to a server): the
 * lab document as JSON, compressed with deflate-raw (the browser's CompressionStream) and
 * written in base64url. A link is untrusted input: its length and its unpacked size are
 * capped (a small link must not unpack into gigabytes), and what it holds goes through the
 * document schema here and the scenario schema when the lab loads it.
 *
 * A lesson position needs no packing: it is the lesson's own link, `?lesson=ID&step=N`.
 * Opening a link in the page is ./openShare.ts.
 */
import { parseDoc, type LabDoc } from './doc';

export const SHARE_PREFIX = '#share=';

/** Longest encoded lab a link may carry (characters after `#share=`). */
export const MAX_LINK_CHARS = 64 * 1024;

/** Most a link may unpack to (octets of JSON). */
export const MAX_UNPACKED_BYTES = 2 * 1024 * 1024;

export type Decoded = { ok: true; doc: LabDoc } | { ok: false; error: string };

class ShareError extends Error {}

/** The `#share=…` link to `doc` on the page at `base` (its query and fragment dropped). */
export async function shareLink(doc: LabDoc, base: string): Promise<string> {
  const packed = toBase64Url(await deflate(JSON.stringify(doc)));
  if (packed.length > MAX_LINK_CHARS) {
    throw new ShareError(
      `This lab is too big for a link (${kb(packed.length)} packed, at most ${kb(MAX_LINK_CHARS)}); use Save lab to share it as a file.`,
    );
  }
  const url = new URL(base);
  url.search = '';
  url.hash = SHARE_PREFIX.slice(1) + packed;
  return url.toString();
}

/** A link to step `step` (from 1) of lesson `lesson`, in `scenario` when it is a built-in. */
export function lessonLink(
  position: { lesson: string; step: number; scenario?: string },
  base: string,
): string {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  if (position.scenario) url.searchParams.set('scenario', position.scenario);
  url.searchParams.set('lesson', position.lesson);
  url.searchParams.set('step', String(position.step));
  return url.toString();
}

/** Read a link's fragment (`#share=…`, or what follows it) back into a lab document. */
export async function decodeShare(fragment: string): Promise<Decoded> {
  const packed = fragment.startsWith(SHARE_PREFIX) ? fragment.slice(SHARE_PREFIX.length) : fragment;
  try {
    if (packed === '') throw new ShareError('it holds no lab.');
    if (packed.length > MAX_LINK_CHARS)
      throw new ShareError(`it is longer than ${kb(MAX_LINK_CHARS)}.`);
    let unpacked: Uint8Array;
    try {
      unpacked = await inflate(fromBase64Url(packed), MAX_UNPACKED_BYTES);
    } catch (error) {
      if (error instanceof ShareError) throw error;
      throw new ShareError('it is damaged or cut short (its data does not unpack).');
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(unpacked));
    } catch {
      throw new ShareError('what it holds is not a lab (not JSON text).');
    }
    const parsed = parseDoc(json);
    return parsed.ok ? parsed : { ok: false, error: `it is not a valid lab: ${parsed.error}` };
  } catch (error) {
    if (error instanceof ShareError) return { ok: false, error: error.message };
    throw error;
  }
}

function kb(n: number): string {
  return `${Math.ceil(n / 1024)} KB`;
}

async function deflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Unpack, giving up as soon as the output passes `limit` octets (a "zip bomb"). */
async function inflate(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'))
    .getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      void reader.cancel().catch(() => {});
      throw new ShareError(`it unpacks to more than ${kb(limit)}.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) {
    throw new ShareError('it is not a share link (unexpected characters: was it changed?).');
  }
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
