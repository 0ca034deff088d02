/**
 * What the presenter shows: the text size (zoom) and which panels are on. Both are remembered
 * between visits, as the workspace layout is; when storage is unavailable or full they still
 * change for this visit and `storageError` says why they will not be remembered.
 */
import { create } from 'zustand';
import * as z from 'zod/mini';
import { readStored, writeStored } from '../../store/stored';

export const ZOOMS = [0.6, 0.7, 0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2] as const;
const NORMAL = ZOOMS.indexOf(1);

/** Terminal text at zoom 1: readable from the back of a room at 1280×720. */
export const TERMINAL_FONT_PX = 22;

export type Panel = 'terminal' | 'topology' | 'caption';

const STORAGE_KEY = 'smtp-lab:presenter:v1';

const SavedSchema = z.object({
  /** The text size as a factor, so that the entry survives a change to the list of ZOOMS. */
  zoom: z.literal(ZOOMS),
  panels: z.object({ terminal: z.boolean(), topology: z.boolean(), caption: z.boolean() }),
});

type Saved = z.infer<typeof SavedSchema>;

const DEFAULT: Saved = { zoom: 1, panels: { terminal: true, topology: true, caption: true } };

export interface ViewState {
  /** Index in ZOOMS. */
  zoom: number;
  panels: Record<Panel, boolean>;
  help: boolean;
  storageError: string | undefined;
  zoomBy(steps: number): void;
  zoomReset(): void;
  toggle(panel: Panel): void;
  setHelp(open: boolean): void;
}

export const useView = create<ViewState>((set, get) => {
  const initial = readStored(STORAGE_KEY, SavedSchema, DEFAULT);
  const update = (patch: Partial<Pick<ViewState, 'zoom' | 'panels'>>) => {
    const next = { ...get(), ...patch };
    const error = writeStored(STORAGE_KEY, { zoom: zoomFactor(next.zoom), panels: next.panels });
    set({ ...patch, storageError: error });
  };
  return {
    zoom: ZOOMS.indexOf(initial.value.zoom),
    panels: initial.value.panels,
    help: false,
    storageError: initial.error,
    zoomBy: (steps) =>
      update({ zoom: Math.min(ZOOMS.length - 1, Math.max(0, get().zoom + steps)) }),
    zoomReset: () => update({ zoom: NORMAL }),
    toggle: (panel) => update({ panels: { ...get().panels, [panel]: !get().panels[panel] } }),
    setHelp: (help) => set({ help }),
  };
});

export function zoomFactor(zoom: number): number {
  return ZOOMS[zoom] ?? 1;
}

export function terminalFontSize(zoom: number): number {
  return Math.round(TERMINAL_FONT_PX * zoomFactor(zoom));
}
