/** What the presenter shows: the text size (zoom) and which panels are on. */
import { create } from 'zustand';

export const ZOOMS = [0.6, 0.7, 0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2] as const;
const NORMAL = ZOOMS.indexOf(1);

/** Terminal text at zoom 1: readable from the back of a room at 1280×720. */
export const TERMINAL_FONT_PX = 22;

export type Panel = 'terminal' | 'topology' | 'caption';

export interface ViewState {
  zoom: number;
  panels: Record<Panel, boolean>;
  help: boolean;
  zoomBy(steps: number): void;
  zoomReset(): void;
  toggle(panel: Panel): void;
  setHelp(open: boolean): void;
}

export const useView = create<ViewState>((set, get) => ({
  zoom: NORMAL,
  panels: { terminal: true, topology: true, caption: true },
  help: false,
  zoomBy: (steps) => set({ zoom: Math.min(ZOOMS.length - 1, Math.max(0, get().zoom + steps)) }),
  zoomReset: () => set({ zoom: NORMAL }),
  toggle: (panel) => set({ panels: { ...get().panels, [panel]: !get().panels[panel] } }),
  setHelp: (help) => set({ help }),
}));

export function zoomFactor(zoom: number): number {
  return ZOOMS[zoom] ?? 1;
}

export function terminalFontSize(zoom: number): number {
  return Math.round(TERMINAL_FONT_PX * zoomFactor(zoom));
}
