import type { ServerState } from '../../engine/smtp/server';
import { anytimeVerbs, verbsBetween, type StateStep } from './states';

/**
 * The server's states as boxes in a fixed arrangement: the transaction runs left to right
 * along the middle and its message text returns to ready over the top; STARTTLS and AUTH
 * are detours below ready; BDAT beside DATA; the greeting's two outcomes on the left. Edge
 * labels are the table's verbs. The current state carries a "you are here" tag (a glyph
 * and words, not colour alone); the edge the last step took is highlighted with its reply
 * code; a command refused without moving the state is a red line in the tag. Sizes are CSS
 * pixels at scale 1 (the view never draws it smaller), so no text is under 12 px.
 */
export const CHART = { width: 456, height: 268 } as const;

/** Monospace, so a label's width is known without measuring (DejaVu Sans Mono: 0.602 em). */
const FONT = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";
const SIZE = 12;
const ADVANCE = 0.602 * SIZE;
const BOX_H = 24;
const COLOR = {
  box: '#121821',
  boxText: '#e6edf3',
  border: '#3a4658',
  edge: '#6e7b8b',
  label: '#9aa7b4',
  here: '#58a6ff',
  hereFill: '#0f2a47',
  tag: '#0b1624',
  refused: '#ff7b72',
} as const;

type Side = 'above' | 'below' | 'left' | 'right';
interface Box {
  x: number;
  y: number;
  w: number;
  /** Where the "you are here" tag goes, and the x (or y) of its centre along that side. */
  tag: Side;
  along: number;
}

const BOXES: Record<ServerState, Box> = {
  greeted: { x: 52, y: 90, w: 66, tag: 'above', along: 70 },
  ready: { x: 160, y: 90, w: 54, tag: 'above', along: 122 },
  mail: { x: 250, y: 90, w: 44, tag: 'above', along: 250 },
  rcpt: { x: 336, y: 90, w: 44, tag: 'above', along: 330 },
  data: { x: 422, y: 90, w: 44, tag: 'above', along: 396 },
  bdat: { x: 422, y: 166, w: 44, tag: 'left', along: 166 },
  tls: { x: 122, y: 166, w: 36, tag: 'below', along: 122 },
  auth: { x: 226, y: 166, w: 44, tag: 'below', along: 226 },
  refused: { x: 110, y: 236, w: 66, tag: 'above', along: 110 },
  closed: { x: 220, y: 236, w: 58, tag: 'above', along: 220 },
};

const left = (s: ServerState) => BOXES[s].x - BOXES[s].w / 2;
const right = (s: ServerState) => BOXES[s].x + BOXES[s].w / 2;
const top = (s: ServerState) => BOXES[s].y - BOX_H / 2;
const bottom = (s: ServerState) => BOXES[s].y + BOX_H / 2;
const mid = (s: ServerState) => BOXES[s].y;

/** Where the connection starts: the greeting leads to greeted or refused. */
const START = { x: 8, y: 166 };
/** The line the message text (and BDAT LAST) takes back to ready. */
const RETURN_Y = 12;
/** Room for the caption, left of that line. */
const CAPTION_WIDTH = 174;

type Anchor = 'start' | 'middle' | 'end';
interface Label {
  text: string;
  x: number;
  y: number;
  anchor: Anchor;
}

interface Edge {
  id: string;
  /** 'start': the greeting; 'any': from any state that reads commands. */
  from: ServerState | 'start' | 'any';
  to: ServerState;
  d: string;
  labels: Label[];
  /** Where the last step's reply code goes when this edge was taken. */
  code: { x: number; y: number; anchor: Anchor };
}

const ANYTIME = new Set(anytimeVerbs());

/** The table's verbs from `a` to `b`, without those allowed everywhere (the caption). */
function verbs(a: ServerState, b: ServerState): string[] {
  return verbsBetween(a, b).filter((v) => !ANYTIME.has(v) || b === 'closed');
}

const label = (text: string, x: number, y: number, anchor: Anchor = 'middle'): Label => ({
  text,
  x,
  y,
  anchor,
});
const gap = (a: ServerState, b: ServerState) => (right(a) + left(b)) / 2;

/** A straight edge between two boxes of the middle row, verb above, code below. */
function along(a: ServerState, b: ServerState): Edge {
  return {
    id: `${a}-${b}`,
    from: a,
    to: b,
    d: `M${right(a)} ${mid(a)} H${left(b)}`,
    labels: [label(verbs(a, b).join(' '), gap(a, b), mid(a) - 5)],
    code: { x: gap(a, b), y: mid(a) + 15, anchor: 'middle' },
  };
}

const EDGES: Edge[] = [
  {
    id: 'start-greeted',
    from: 'start',
    to: 'greeted',
    d: `M${START.x} ${START.y} V${mid('greeted')} H${left('greeted')}`,
    labels: [label('220', START.x + 5, 136, 'start')],
    code: { x: START.x + 5, y: 150, anchor: 'start' },
  },
  {
    id: 'start-refused',
    from: 'start',
    to: 'refused',
    d: `M${START.x} ${START.y} V${mid('refused')} H${left('refused')}`,
    labels: [label('554', 40, mid('refused') - 5)],
    code: { x: 40, y: mid('refused') + 15, anchor: 'middle' },
  },
  {
    ...along('greeted', 'ready'),
    // Both hellos, one above and one below the arrow; the code goes beside them.
    labels: verbs('greeted', 'ready').map((v, i) =>
      label(v, gap('greeted', 'ready'), i === 0 ? mid('ready') - 5 : mid('ready') + 15),
    ),
    code: { x: gap('greeted', 'ready'), y: mid('ready') + 29, anchor: 'middle' },
  },
  along('ready', 'mail'),
  along('mail', 'rcpt'),
  along('rcpt', 'data'),
  {
    id: 'rcpt-rcpt',
    from: 'rcpt',
    to: 'rcpt',
    d: `M${BOXES.rcpt.x - 12} ${bottom('rcpt')} c -6 18 30 18 24 0`,
    labels: [label(verbs('rcpt', 'rcpt').join(' '), BOXES.rcpt.x - 16, 118, 'end')],
    code: { x: BOXES.rcpt.x - 16, y: 132, anchor: 'end' },
  },
  {
    id: 'rcpt-bdat',
    from: 'rcpt',
    to: 'bdat',
    d: `M${right('rcpt') - 4} ${bottom('rcpt')} L${left('bdat')} ${top('bdat') + 4}`,
    labels: [label(verbs('rcpt', 'bdat').join(' '), 378, 124, 'start')],
    code: { x: 378, y: 138, anchor: 'start' },
  },
  {
    id: 'bdat-bdat',
    from: 'bdat',
    to: 'bdat',
    d: `M${BOXES.bdat.x - 12} ${bottom('bdat')} c -6 18 30 18 24 0`,
    labels: [],
    code: { x: BOXES.bdat.x + 16, y: 200, anchor: 'start' },
  },
  {
    id: 'data-ready',
    from: 'data',
    to: 'ready',
    d: `M${right('data') - 6} ${top('data')} V${RETURN_Y} H${right('ready') - 4} V${top('ready')}`,
    labels: [label('message text, then "."', 300, RETURN_Y + 14)],
    code: { x: 436, y: RETURN_Y + 14, anchor: 'end' },
  },
  {
    id: 'bdat-ready',
    from: 'bdat',
    to: 'ready',
    d: `M${right('bdat')} ${mid('bdat')} H${CHART.width - 4} V${RETURN_Y} H${right('ready') - 4} V${top('ready')}`,
    labels: [label('… LAST', CHART.width - 8, 140, 'end')],
    code: { x: CHART.width - 8, y: 140, anchor: 'end' },
  },
  {
    id: 'ready-tls',
    from: 'ready',
    to: 'tls',
    d: `M${left('ready') + 8} ${bottom('ready')} L${BOXES.tls.x + 4} ${top('tls')}`,
    labels: [label(verbs('ready', 'tls').join(' '), 136, 140, 'start')],
    code: { x: 136, y: 126, anchor: 'start' },
  },
  {
    id: 'tls-greeted',
    from: 'tls',
    to: 'greeted',
    d: `M${left('tls')} ${mid('tls')} H${BOXES.greeted.x} V${bottom('greeted')}`,
    labels: [label('handshake', left('tls') - 4, mid('tls') - 6, 'end')],
    code: { x: left('tls') - 4, y: mid('tls') + 14, anchor: 'end' },
  },
  {
    id: 'ready-auth',
    from: 'ready',
    to: 'auth',
    d: `M${right('ready') - 14} ${bottom('ready')} L${left('auth') + 8} ${top('auth')}`,
    labels: [label(verbs('ready', 'auth').join(' '), 238, 126, 'start')],
    code: { x: 238, y: 140, anchor: 'start' },
  },
  {
    id: 'auth-ready',
    from: 'auth',
    to: 'ready',
    d: `M${right('auth') - 6} ${top('auth')} L${right('ready')} ${bottom('ready') - 4}`,
    labels: [],
    code: { x: 238, y: 140, anchor: 'start' },
  },
  {
    id: 'refused-closed',
    from: 'refused',
    to: 'closed',
    d: `M${right('refused')} ${mid('refused')} H${left('closed')}`,
    labels: [
      label(verbs('refused', 'closed').join(' '), gap('refused', 'closed'), mid('closed') - 5),
    ],
    code: { x: gap('refused', 'closed'), y: mid('closed') + 15, anchor: 'middle' },
  },
  {
    id: 'any-closed',
    from: 'any',
    to: 'closed',
    d: `M${right('closed') + 44} ${mid('closed')} H${right('closed')}`,
    labels: [label('QUIT', right('closed') + 24, mid('closed') - 5)],
    code: { x: right('closed') + 24, y: mid('closed') + 15, anchor: 'middle' },
  },
];

/** The edge a step took, if one is drawn for it. */
function edgeOf(step: StateStep): Edge | undefined {
  const { from, to } = step;
  if (step.kind === 'greeting') return EDGES.find((e) => e.from === 'start' && e.to === to);
  if (!from) return undefined;
  // A loop is drawn only for an accepted RCPT in rcpt and BDAT in bdat; any other step that
  // leaves the state as it was (NOOP, a refusal) is said in the tag.
  if (from === to && (step.kind !== 'ok' || step.verb !== from.toUpperCase())) return undefined;
  return (
    EDGES.find((e) => e.from === from && e.to === to) ??
    (to === 'closed' ? EDGES.find((e) => e.id === 'any-closed') : undefined)
  );
}

/**
 * A label of the edge the last step took, naming what took it: the verb among several
 * (HELO or EHLO), the only label otherwise; none for a hang-up without QUIT.
 */
function hot(e: Edge, l: Label, last: StateStep | undefined): boolean {
  if (!last || edgeOf(last) !== e || (last.kind === 'closed' && !last.verb)) return false;
  return e.labels.length === 1 || l.text.split(' ').includes(last.verb ?? '');
}

const width = (text: string) => text.length * ADVANCE;

/** "any state: RSET NOOP …" in lines that fit the top left corner. */
function caption(): string[] {
  const lines = ['any state:'];
  for (const verb of ANYTIME) {
    const line = `${lines.at(-1)} ${verb}`;
    if (width(line) <= CAPTION_WIDTH) lines[lines.length - 1] = line;
    else lines.push(verb);
  }
  return lines;
}

/** The "you are here" tag beside the current box, with a refused command under it. */
function Tag({ state, note }: { state: ServerState; note?: { text: string; refused: boolean } }) {
  const b = BOXES[state];
  const glyph = { above: '▼', below: '▲', left: '▶', right: '◀' }[b.tag];
  const lines = [`${glyph} you are here`, ...(note ? [note.text] : [])];
  const w = Math.max(...lines.map(width)) + 12;
  const h = lines.length * 15 + 5;
  const x =
    b.tag === 'left' ? left(state) - 6 - w : b.tag === 'right' ? right(state) + 6 : b.along - w / 2;
  const y =
    b.tag === 'above'
      ? top(state) - 6 - h
      : b.tag === 'below'
        ? bottom(state) + 6
        : b.along - h / 2;
  // A pointer from the tag to the middle of the box's side.
  const pointer = {
    above: [b.x - 5, y + h, b.x + 5, y + h, b.x, top(state) - 1],
    below: [b.x - 5, y, b.x + 5, y, b.x, bottom(state) + 1],
    left: [x + w, b.y - 5, x + w, b.y + 5, left(state) - 1, b.y],
    right: [x, b.y - 5, x, b.y + 5, right(state) + 1, b.y],
  }[b.tag];
  return (
    <g data-testid="you-are-here">
      <rect x={x} y={y} width={w} height={h} rx={4} fill={COLOR.tag} stroke={COLOR.here} />
      <polygon points={pointer.join(' ')} fill={COLOR.here} />
      {lines.map((line, i) => (
        <text
          key={i}
          x={x + 6}
          y={y + 15 + i * 15}
          fill={i === 1 && note?.refused ? COLOR.refused : COLOR.here}
          fontWeight={700}
          data-testid={i === 1 ? (note?.refused ? 'refused-mark' : 'stayed-mark') : undefined}
        >
          {line}
        </text>
      ))}
    </g>
  );
}

export function StateChart({
  state,
  last,
  title,
  testId,
}: {
  /** The current state; undefined before the greeting. */
  state: ServerState | undefined;
  /** The last step, highlighted. */
  last: StateStep | undefined;
  title: string;
  testId: string;
}) {
  const taken = last && edgeOf(last);
  // A step that drew no edge (refused, or NOOP and the like): said in the tag.
  const note =
    last && !taken && last.code !== undefined
      ? {
          text: `${last.code >= 400 ? '✗' : '↻'} ${last.verb || last.line || '(empty line)'} ${last.code}`,
          refused: last.code >= 400,
        }
      : undefined;
  return (
    <svg
      className="states-chart"
      role="img"
      aria-label={title}
      data-testid={testId}
      viewBox={`0 0 ${CHART.width} ${CHART.height}`}
      fontFamily={FONT}
      fontSize={SIZE}
    >
      <defs>
        {(['edge', 'here'] as const).map((c) => (
          <marker
            key={c}
            id={`states-arrow-${c}`}
            viewBox="0 0 8 8"
            refX="7"
            refY="4"
            markerWidth={c === 'here' ? 5 : 7}
            markerHeight={c === 'here' ? 5 : 7}
            orient="auto"
          >
            <path d="M0 0 L8 4 L0 8 z" fill={COLOR[c]} />
          </marker>
        ))}
      </defs>
      <circle cx={START.x} cy={START.y} r={5} fill={COLOR.edge} />
      {EDGES.map((e) => {
        const on = e === taken;
        return (
          <g key={e.id} data-edge={e.id} data-taken={on || undefined}>
            <path
              d={e.d}
              fill="none"
              stroke={on ? COLOR.here : COLOR.edge}
              strokeWidth={on ? 2.5 : 1.2}
              markerEnd={`url(#states-arrow-${on ? 'here' : 'edge'})`}
            />
            {e.labels.map((l) => (
              <text
                key={l.text}
                x={l.x}
                y={l.y}
                textAnchor={l.anchor}
                fill={hot(e, l, last) ? COLOR.here : COLOR.label}
                fontWeight={hot(e, l, last) ? 700 : 400}
              >
                {l.text}
              </text>
            ))}
            {on && last?.code !== undefined && (
              <text
                x={e.code.x}
                y={e.code.y}
                textAnchor={e.code.anchor}
                fill={COLOR.here}
                fontWeight={700}
                data-testid="last-code"
              >
                {last.code}
              </text>
            )}
          </g>
        );
      })}
      {(Object.keys(BOXES) as ServerState[]).map((s) => {
        const b = BOXES[s];
        const here = s === state;
        return (
          <g key={s} data-state={s} data-current={here || undefined}>
            <rect
              x={left(s)}
              y={top(s)}
              width={b.w}
              height={BOX_H}
              rx={5}
              fill={here ? COLOR.hereFill : COLOR.box}
              stroke={here ? COLOR.here : COLOR.border}
              strokeWidth={here ? 2.5 : 1}
            />
            <text
              x={b.x}
              y={b.y + 4.5}
              textAnchor="middle"
              fontSize={13}
              fontWeight={700}
              fill={COLOR.boxText}
            >
              {s}
            </text>
          </g>
        );
      })}
      {state && <Tag state={state} {...(note ? { note } : {})} />}
      <text fill={COLOR.label} data-testid="anytime">
        {caption().map((line, i) => (
          <tspan key={i} x={4} y={14 + i * 15}>
            {line}
          </tspan>
        ))}
      </text>
    </svg>
  );
}
