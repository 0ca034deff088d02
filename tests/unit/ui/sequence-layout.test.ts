import { describe, expect, it } from 'vitest';
import { MAX_LABEL } from '../../../src/ui/diagram/escape';
import {
  journeyDiagram,
  sessionDiagram,
  type SequenceModel,
} from '../../../src/ui/diagram/sequence';
import {
  BAND_LABEL,
  FONT,
  HEADER,
  layoutSequence,
  textUnits,
  type PlacedMessage,
  type PlacedNote,
  type SequenceLayout,
} from '../../../src/ui/diagram/sequenceLayout';
import { traceIndex } from '../../../src/ui/model/traceIndex';
import { run, submission } from './support';

/** The sequence pane's width at 1280×720 in the default layout. */
const PANE = 615;
const width = (text: string) => textUnits(text) * FONT.size * FONT.advance;

/** The session a learner types first. */
const FIRST = [
  'telnet mx1.beta.example 25',
  'EHLO laptop.alpha.example',
  'MAIL FROM:<alice@alpha.example>',
  'RCPT TO:<bob@beta.example>',
  'DATA',
  'Subject: test',
  '',
  'Hello,',
  'This is a test.',
  '.',
  'QUIT',
];

function session(lines: readonly string[]): SequenceModel {
  const rt = run('default', lines);
  const index = traceIndex(rt.lab.world);
  const conn = index.sessions.at(-1)!;
  return sessionDiagram(
    index.conns.get(conn)!.events.map((i) => rt.events[i]!),
    conn,
  );
}

const messages = (l: SequenceLayout) =>
  l.rows.filter((r): r is PlacedMessage => r.type === 'message');
const notes = (l: SequenceLayout) => l.rows.filter((r): r is PlacedNote => r.type === 'note');

/** Every label and note stays inside the drawing; a message's label between its lifelines. */
function expectContained(l: SequenceLayout): void {
  for (const m of messages(l)) {
    for (const line of m.lines) {
      const w = width(line.text.text);
      const [left, right] =
        m.anchor === 'middle' ? [line.x - w / 2, line.x + w / 2] : [line.x, line.x + w];
      expect(left).toBeGreaterThanOrEqual(m.self ? m.x1 : Math.min(m.x1, m.x2));
      expect(right).toBeLessThanOrEqual(m.self ? l.width : Math.max(m.x1, m.x2));
    }
  }
  for (const n of notes(l)) {
    expect(n.x).toBeGreaterThanOrEqual(0);
    expect(n.x + n.width).toBeLessThanOrEqual(l.width);
    expect(width(n.text.text)).toBeLessThan(n.width);
  }
  for (const a of l.actors) {
    expect(a.left).toBeGreaterThanOrEqual(0);
    expect(a.left + a.width).toBeLessThanOrEqual(l.width);
  }
}

describe('the sequence layout', () => {
  it('fits the first session in the pane: lifelines as close as the longest label allows', () => {
    const model = session(FIRST);
    const layout = layoutSequence(model);
    expect(layout.width).toBeLessThanOrEqual(PANE);
    const [client, server] = layout.actors;
    const longest = Math.max(
      ...model.steps.flatMap((s) => (s.type === 'message' ? s.lines.map(width) : [])),
    );
    // Room for the longest label and no more than a little padding.
    expect(server!.x - client!.x).toBeGreaterThanOrEqual(longest);
    expect(server!.x - client!.x).toBeLessThanOrEqual(longest + 40);
    expect(client!.left + client!.width).toBeLessThan(server!.left);
    expectContained(layout);
  });

  it('goes down step by step, each below the last, lifelines to the bottom', () => {
    const layout = layoutSequence(session(FIRST));
    let last = HEADER;
    for (const row of layout.rows) {
      const top = row.type === 'message' ? row.lines[0]!.y - FONT.size : row.y;
      expect(top).toBeGreaterThanOrEqual(last);
      last = row.type === 'message' ? row.y : row.y + row.height;
    }
    expect(layout.bottom).toBeGreaterThan(last);
    expect(layout.height).toBeGreaterThanOrEqual(layout.bottom);
  });

  it('cuts a long label with an ellipsis and keeps the whole of it for the tooltip', () => {
    const long = `MAIL FROM:<${'a'.repeat(200)}@alpha.example>`;
    const layout = layoutSequence(session(['telnet mx1.beta.example 25', 'EHLO x', long]));
    const cut = messages(layout).find((m) => m.lines[0]!.text.full === long);
    expect(cut).toBeDefined();
    const shown = cut!.lines[0]!.text.text;
    expect([...shown]).toHaveLength(MAX_LABEL);
    expect(shown.endsWith('…')).toBe(true);
    expect(long.startsWith(shown.slice(0, -1))).toBe(true);
    expectContained(layout);
  });

  it('widens for a longer label, and for a note wider than the lifelines', () => {
    const narrow = layoutSequence(session(FIRST));
    const wide = layoutSequence(session([...FIRST.slice(0, 2), `MAIL FROM:<${'b'.repeat(60)}>`]));
    expect(wide.actors[1]!.x - wide.actors[0]!.x).toBeGreaterThan(
      narrow.actors[1]!.x - narrow.actors[0]!.x,
    );
    const model = session(FIRST);
    const note = 'n'.repeat(110);
    const withNote = layoutSequence({
      ...model,
      steps: [...model.steps, { type: 'note', id: 999, kind: 'info', over: [0, 0], text: note }],
    });
    expect(withNote.width).toBeGreaterThanOrEqual(width(note));
    expectContained(withNote);
  });

  it('counts wide characters twice and combining marks not at all', () => {
    expect(textUnits('mx1')).toBe(3);
    expect(textUnits('日本語')).toBe(6);
    expect(textUnits('e\u0301')).toBe(1);
    expect(textUnits('✉ →')).toBe(3);
  });

  it('draws a message to its own sender as a loop on the right', () => {
    const model: SequenceModel = {
      participants: ['a.example', 'b.example'],
      steps: [
        { type: 'message', id: 1, kind: 'command', from: 1, to: 1, lines: ['x'.repeat(50)] },
        { type: 'message', id: 2, kind: 'command', from: 0, to: 0, lines: ['y'.repeat(50)] },
      ],
      total: 2,
      shown: 2,
    };
    const layout = layoutSequence(model);
    const [toB, toA] = messages(layout);
    expect(toB!.self && toA!.self).toBe(true);
    expect(toB!.x2).toBeGreaterThan(toB!.x1);
    // The label to a's loop stays left of b's lifeline; b's widens the drawing.
    expect(toA!.lines[0]!.x + width('y'.repeat(50))).toBeLessThan(layout.actors[1]!.x);
    expectContained(layout);
  });

  it("places a journey's hosts left to right and bands the bounce, named, not only red", () => {
    const rt = run('default', submission('nobody@beta.example'));
    const index = traceIndex(rt.lab.world);
    const model = journeyDiagram(index, index.origins()[0]!);
    const layout = layoutSequence(model);
    const xs = layout.actors.map((a) => a.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expectContained(layout);
    expect(layout.bands).toHaveLength(1);
    const [band] = layout.bands;
    expect(band!.label.text).toBe(BAND_LABEL.bounce);
    expect(band!.label.text).toMatch(/^↩ bounce/);
    const banded = layout.rows.filter((r) => r.step.band === 'bounce');
    expect(banded.length).toBe(2);
    for (const r of banded) {
      const top = r.type === 'message' ? r.lines[0]!.y - FONT.size : r.y;
      const bottom = r.type === 'message' ? r.y : r.y + r.height;
      expect(top).toBeGreaterThan(band!.label.y);
      expect(bottom).toBeLessThan(band!.y + band!.height);
    }
    // Steps outside the band are outside its rectangle.
    for (const r of layout.rows.filter((r) => !r.step.band)) {
      const y = r.type === 'message' ? r.y : r.y + r.height / 2;
      expect(y < band!.y || y > band!.y + band!.height).toBe(true);
    }
  });
});
