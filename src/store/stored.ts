/**
 * Settings remembered in localStorage between visits, read back through a schema. A damaged
 * entry gives the defaults. When storage is unavailable or full, the reason comes back so
 * the UI can say the setting holds for this visit only.
 */
import type * as z from 'zod/mini';

const NO_STORAGE = 'this browser gives the page no storage';

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // some browsers throw on access when storage is disabled
  }
}

/** The setting kept under `key`, or `fallback`; `error` says why it cannot be remembered. */
export function readStored<T>(
  key: string,
  schema: z.ZodMiniType<T>,
  fallback: T,
): { value: T; error: string | undefined } {
  let raw: string | null = null;
  try {
    const s = storage();
    if (!s) return { value: fallback, error: NO_STORAGE };
    raw = s.getItem(key);
  } catch (e) {
    return { value: fallback, error: reason(e) };
  }
  if (raw === null) return { value: fallback, error: undefined };
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    if (parsed.success) return { value: parsed.data, error: undefined };
  } catch {
    // fall through: a damaged entry is replaced by the defaults
  }
  return { value: fallback, error: undefined };
}

/** Keep `value` under `key`; the reason it could not be kept, if not. */
export function writeStored(key: string, value: unknown): string | undefined {
  try {
    const s = storage();
    if (!s) return NO_STORAGE;
    s.setItem(key, JSON.stringify(value));
    return undefined;
  } catch (e) {
    return reason(e);
  }
}

function reason(e: unknown): string {
  if (e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22))
    return 'browser storage is full';
  if (e instanceof DOMException && e.name === 'SecurityError')
    return 'browser storage is blocked for this page';
  return e instanceof Error ? e.message : String(e);
}
