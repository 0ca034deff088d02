/**
 * The workspace layout: pane sizes, the view shown beside the topology, the terminal tabs.
 * Remembered in localStorage (read back through a schema); when storage is unavailable or
 * full the layout still works for this visit and `storageError` says why it will not be
 * remembered, so the UI can show a notice.
 */
import { create } from 'zustand';
import * as z from 'zod/mini';
import { readStored, writeStored } from './stored';

export const VIEWS = ['sequence', 'states', 'mx', 'mailboxes', 'queue', 'log', 'lesson'] as const;
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

function pick(s: LayoutState): Layout {
  return { left: s.left, top: s.top, view: s.view, terminals: s.terminals, active: s.active };
}

export const useLayout = create<LayoutState>((set, get) => {
  const initial = readStored(STORAGE_KEY, LayoutSchema, DEFAULT_LAYOUT);
  const update = (patch: Partial<Layout>) => {
    const error = writeStored(STORAGE_KEY, { ...pick(get()), ...patch });
    set({ ...patch, storageError: error });
  };
  return {
    ...initial.value,
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
