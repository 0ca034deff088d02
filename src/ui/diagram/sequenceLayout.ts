/**
 * Where everything of a sequence diagram goes (pure: model and font metrics in, positions
 * out, in CSS pixels). Labels are set in a monospace font, so a text's width is its
 * character count times the font's advance (wide East Asian characters and emoji count
 * twice): the layout is exact without a DOM. Lifelines are placed left to right as close as
 * their headers and the labels of the messages between them allow; notes are centred over
 * what they span and kept inside the drawing; a band (a bounce going back) runs the whole
 * width behind its steps, with its name at its top.
 */
import { MAX_LABEL } from './escape';
import type { Band, MessageStep, NoteStep, SequenceModel } from './sequence';

/** Font sizes (px) and the monospace font's advance per pixel of size (an em fraction). */
export const FONT = {
  family: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace",
  size: 12,
  actor: 13,
  /** DejaVu Sans Mono (and Menlo, drawn from it): 1233/2048 em. */
  advance: 0.602,
};

/** A participant's name is cut shorter than a message. */
const ACTOR_MAX = 40;
const MARGIN = 8;
const ACTOR_PAD = 10;
const ACTOR_MIN = 90;
const ACTOR_GAP = 24;
const ACTOR_TOP = 6;
const ACTOR_HEIGHT = 28;
export const HEADER = ACTOR_TOP + ACTOR_HEIGHT + 6;
/** One line of text. */
const LINE = 16;
/** Space between a message's label and the lifelines at its ends. */
const LABEL_PAD = 14;
const NOTE_PAD = 8;
const NOTE_HEIGHT = LINE + 8;
/** How far a note over several lifelines reaches past the outer ones. */
const NOTE_OVERHANG = 24;
const GAP = 10;
/** A message to its own sender: a loop this wide, right of the lifeline. */
const SELF_WIDTH = 26;
export const SELF_DROP = 12;

export const BAND_LABEL: Record<Band, string> = {
  bounce: '↩ bounce (DSN) back to the sender',
  delay: '↻ delay notice (DSN) to the sender',
};

/** A text as drawn: cut to `max` characters, with the whole of it when cut (a tooltip). */
export interface Fitted {
  text: string;
  full?: string;
}

export interface PlacedActor {
  name: Fitted;
  /** The lifeline. */
  x: number;
  left: number;
  width: number;
}

export interface PlacedMessage {
  type: 'message';
  step: MessageStep;
  x1: number;
  x2: number;
  /** The arrow's height; a message to its sender loops down to y + SELF_DROP. */
  y: number;
  self: boolean;
  /** Label lines: baseline, and x with its anchor. */
  lines: { text: Fitted; x: number; y: number }[];
  anchor: 'middle' | 'start';
}

export interface PlacedNote {
  type: 'note';
  step: NoteStep;
  x: number;
  y: number;
  width: number;
  height: number;
  text: Fitted;
  /** Baseline of the text, centred at x + width / 2. */
  baseline: number;
}

export interface PlacedBand {
  band: Band;
  y: number;
  height: number;
  label: { text: string; x: number; y: number };
}

export interface SequenceLayout {
  width: number;
  height: number;
  actors: PlacedActor[];
  /** Lifelines run from the header down to here. */
  bottom: number;
  rows: (PlacedMessage | PlacedNote)[];
  bands: PlacedBand[];
}

/** Width units of a text: 2 for a wide East Asian character or an emoji, 0 for a combining mark. */
export function textUnits(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || c === 0xfe0f) continue;
    n +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      (c >= 0x20000 && c <= 0x3fffd)
        ? 2
        : 1;
  }
  return n;
}

/** A text cut to `max` characters, the last an ellipsis. */
function fit(text: string, max = MAX_LABEL): Fitted {
  const chars = [...text];
  if (chars.length <= max) return { text };
  return { text: chars.slice(0, max - 1).join('') + '…', full: text };
}

/**
 * Lay out `model`. `advance` is the monospace font's advance as a fraction of its size
 * (measured once in the page; FONT.advance by default).
 */
export function layoutSequence(model: SequenceModel, advance = FONT.advance): SequenceLayout {
  const width = (text: string, size = FONT.size) => textUnits(text) * size * advance;
  const n = model.participants.length;

  const names = model.participants.map((p) => fit(p, ACTOR_MAX));
  const boxes = names.map((f) => Math.max(ACTOR_MIN, width(f.text, FONT.actor) + 2 * ACTOR_PAD));

  // Each row's texts, cut once.
  const texts = model.steps.map((s) =>
    s.type === 'message' ? s.lines.map((l) => fit(l)) : [fit(s.text)],
  );
  const widest = (fitted: Fitted[]) => Math.max(0, ...fitted.map((f) => width(f.text)));

  // The least distance between lifelines i < j: x[j] - x[i] ≥ need[j].get(i).
  const need: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  const require = (i: number, j: number, d: number) => {
    if (i === j) return;
    const [a, b] = i < j ? [i, j] : [j, i];
    need[b]!.set(a, Math.max(need[b]!.get(a) ?? 0, d));
  };
  for (let i = 0; i + 1 < n; i++) require(i, i + 1, (boxes[i]! + boxes[i + 1]!) / 2 + ACTOR_GAP);
  let selfRight = 0;
  model.steps.forEach((s, k) => {
    if (s.type !== 'message') return;
    const w = widest(texts[k]!);
    if (s.from !== s.to) require(s.from, s.to, w + 2 * LABEL_PAD);
    else if (s.from + 1 < n) require(s.from, s.from + 1, Math.max(w, SELF_WIDTH) + LABEL_PAD);
    else selfRight = Math.max(selfRight, Math.max(w, SELF_WIDTH) + LABEL_PAD);
  });

  // Left to right, each lifeline as far left as every constraint from the left allows.
  const xs: number[] = [];
  for (let j = 0; j < n; j++) {
    let x = MARGIN + boxes[j]! / 2;
    for (const [i, d] of need[j]!) x = Math.max(x, xs[i]! + d);
    xs.push(x);
  }
  const actors: PlacedActor[] = names.map((name, i) => ({
    name,
    x: xs[i]!,
    left: xs[i]! - boxes[i]! / 2,
    width: boxes[i]!,
  }));

  // Notes and band names: the drawing's width takes the widest in.
  const noteWidth = (s: NoteStep, f: Fitted) => {
    const [a, b] = s.over;
    const span = a === b ? 0 : xs[b]! - xs[a]! + 2 * NOTE_OVERHANG;
    return Math.max(width(f.text) + 2 * NOTE_PAD, span);
  };
  let total = n > 0 ? xs[n - 1]! + Math.max(boxes[n - 1]! / 2, selfRight) + MARGIN : 2 * MARGIN;
  model.steps.forEach((s, k) => {
    if (s.type === 'note') total = Math.max(total, noteWidth(s, texts[k]![0]!) + 2 * MARGIN);
    if (s.band) total = Math.max(total, width(BAND_LABEL[s.band]) + 3 * MARGIN);
  });
  total = Math.ceil(total);

  const rows: (PlacedMessage | PlacedNote)[] = [];
  const bands: PlacedBand[] = [];
  let y = HEADER + GAP;
  let open: { band: Band; top: number } | undefined;
  const close = () => {
    if (!open) return;
    const top = open.top - GAP / 2;
    bands.push({
      band: open.band,
      y: top,
      height: y - GAP / 2 - top,
      label: { text: BAND_LABEL[open.band], x: MARGIN, y: top + LINE - 2 },
    });
    y += GAP / 2;
    open = undefined;
  };
  model.steps.forEach((s, k) => {
    if (s.band !== open?.band) {
      close();
      if (s.band) {
        open = { band: s.band, top: y };
        y += LINE + GAP / 2;
      }
    }
    const fitted = texts[k]!;
    if (s.type === 'message') {
      const self = s.from === s.to;
      const x1 = xs[s.from]!;
      const x2 = self ? x1 + SELF_WIDTH : xs[s.to]!;
      const cx = self ? x1 + LABEL_PAD / 2 : (x1 + x2) / 2;
      const lines = fitted.map((f, i) => ({ text: f, x: cx, y: y + LINE * (i + 1) - 4 }));
      y += LINE * fitted.length + 4;
      rows.push({
        type: 'message',
        step: s,
        x1,
        x2,
        y,
        self,
        lines,
        anchor: self ? 'start' : 'middle',
      });
      y += (self ? SELF_DROP : 0) + GAP;
    } else {
      const f = fitted[0]!;
      const [a, b] = s.over;
      const w = noteWidth(s, f);
      const centre = (xs[a]! + xs[b]!) / 2;
      const x = Math.min(Math.max(centre - w / 2, MARGIN), total - MARGIN - w);
      rows.push({
        type: 'note',
        step: s,
        x,
        y,
        width: w,
        height: NOTE_HEIGHT,
        text: f,
        baseline: y + NOTE_HEIGHT / 2 + FONT.size * 0.35,
      });
      y += NOTE_HEIGHT + GAP;
    }
  });
  close();
  const bottom = y;
  return { width: total, height: Math.ceil(bottom + MARGIN), actors, bottom, rows, bands };
}
