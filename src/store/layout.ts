/**
 * The workspace layout: pane sizes, the view shown beside the topology, the terminal tabs.
 * Remembered in localStorage (read back through a schema); when storage is unavailable or
 * full the layout still works for this visit and `storageError` says why it will not be
 * remembered, so the UI can show a notice.
 */
import { create } from 'zustand';
import * as z from 'zod/mini';

export const VIEWS = ['sequence', 'mx', 'mailboxes', 'queue', 'log', 'lesson'] as const;
export type ViewName = (typeof VIEWS)[number];

export const STORAGE_KEY = 'smtp-lab:layout:v1';

const LayoutSchema = z.object({
  /** Width of the terminal column, as a fraction of the workspace. */
  left: z.number().check(z.minimum(0.2), z.maximum(0.8)),
  /** Height of the topology, as a fraction of the right column. */
  top: z.number().check(z.minimum(0.15), z.maximum(0.85)),
  view: z.enum(VIEWS),
  /** Hosts with a terminal tab, and the one shown. */
  terminals: z.array(z.string().check(z.maxLength(253))).check(z.maxLength(64)),
  active: z.string().check(z.maxLength(253)),
});

export type Layout = z.infer<typeof LayoutSchema>;

export const DEFAULT_LAYOUT: Layout = {
  left: 0.5,
  top: 0.5,
  view: 'sequence',
  terminals: [],
  active: '',
};

export interface LayoutState extends Layout {
  storageError: string | undefined;
  set(patch: Partial<Layout>): void;
  /**
   * Show a terminal tab for `host` (adding it if needed); `shown` are the tabs on screen
   * (the first host's tab is shown before any is stored).
   */
  showTerminal(host: string, shown?: readonly string[]): void;
  closeTerminal(host: string): void;
  reset(): void;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // some browsers throw on access when storage is disabled
  }
}

function load(): { layout: Layout; error: string | undefined } {
  let raw: string | null = null;
  try {
    const s = storage();
    if (!s) return { layout: DEFAULT_LAYOUT, error: 'this browser gives the page no storage' };
    raw = s.getItem(STORAGE_KEY);
  } catch (e) {
    return { layout: DEFAULT_LAYOUT, error: reason(e) };
  }
  if (raw === null) return { layout: DEFAULT_LAYOUT, error: undefined };
  try {
    const parsed = LayoutSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return { layout: parsed.data, error: undefined };
  } catch {
    // fall through: a damaged entry is replaced by the defaults
  }
  return { layout: DEFAULT_LAYOUT, error: undefined };
}

function save(layout: Layout): string | undefined {
  try {
    const s = storage();
    if (!s) return 'this browser gives the page no storage';
    s.setItem(STORAGE_KEY, JSON.stringify(layout));
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

function pick(s: LayoutState): Layout {
  return { left: s.left, top: s.top, view: s.view, terminals: s.terminals, active: s.active };
}

export const useLayout = create<LayoutState>((set, get) => {
  const initial = load();
  const update = (patch: Partial<Layout>) => {
    const next = { ...pick(get()), ...patch };
    const error = save(next);
    set({ ...patch, storageError: error });
  };
  return {
    ...initial.layout,
    storageError: initial.error,
    set: update,
    showTerminal(host, shown) {
      const terminals = get().terminals.length ? get().terminals : [...(shown ?? [])];
      update({
        terminals: terminals.includes(host) ? terminals : [...terminals, host],
        active: host,
      });
    },
    closeTerminal(host) {
      const terminals = get().terminals.filter((h) => h !== host);
      const active = get().active === host ? (terminals[terminals.length - 1] ?? '') : get().active;
      update({ terminals, active });
    },
    reset() {
      update({ ...DEFAULT_LAYOUT, terminals: get().terminals, active: get().active });
    },
  };
});
