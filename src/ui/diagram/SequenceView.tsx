import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { DiagramText } from './DiagramText';
import {
  describeSequenceModel,
  mermaidSource,
  messageText,
  type MessageKind,
  type NoteKind,
  type SequenceModel,
} from './sequence';
import {
  FONT,
  HEADER,
  SELF_DROP,
  layoutSequence,
  type PlacedMessage,
  type PlacedNote,
  type SequenceLayout,
} from './sequenceLayout';

/**
 * A sequence diagram drawn in SVG from its model (sequenceLayout.ts places everything).
 * Every text is a React text node. Colours are attributes, not CSS, so the SVG the Export
 * menu saves looks the same on its own. The participants' header row stays in view while
 * the steps scroll (a copy of it, sticky, over the drawing's own); the view follows the
 * newest step. Below: the diagram in words, and its Mermaid source for slides.
 */
export function SequenceView({
  model,
  title,
  testId,
}: {
  model: SequenceModel;
  title: string;
  testId: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const layout = useMemo(() => layoutSequence(model, fontAdvance()), [model]);
  const description = useMemo(() => describeSequenceModel(model), [model]);
  const [sourceOpen, setSourceOpen] = useState(false);
  // Follow the conversation: the newest step in view after each drawing.
  useLayoutEffect(() => {
    const element = scroller.current;
    element?.scrollTo({ top: element.scrollHeight });
  }, [layout]);

  const { width, height } = layout;
  return (
    <div className="diagram-scroll sequence-scroll" ref={scroller}>
      <svg
        className="sequence-header"
        aria-hidden="true"
        width={width}
        height={HEADER}
        fontFamily={FONT.family}
        style={{ marginBottom: -HEADER }}
        data-testid={`${testId}-header`}
      >
        <Actors layout={layout} />
      </svg>
      <div
        className="diagram sequence-diagram"
        role="img"
        aria-label={title}
        data-testid={testId}
        data-rendered="sequence"
      >
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          fontFamily={FONT.family}
          fontSize={FONT.size}
        >
          {layout.bands.map((b, i) => (
            <g key={i} className="band" data-band={b.band}>
              <rect
                x={2}
                y={b.y}
                width={width - 4}
                height={b.height}
                rx={4}
                fill="rgba(248, 81, 73, 0.14)"
                stroke={COLOUR.bounce}
                strokeDasharray="6 3"
              />
              <text
                className="bandText"
                x={b.label.x}
                y={b.label.y}
                fill="#ff9b94"
                fontWeight={600}
              >
                {b.label.text}
              </text>
            </g>
          ))}
          {layout.actors.map((a, i) => (
            <line
              key={i}
              className="lifeline"
              x1={a.x}
              x2={a.x}
              y1={HEADER - 6}
              y2={layout.bottom}
              stroke="#3d4b5f"
              strokeDasharray="4 4"
            />
          ))}
          {layout.rows.map((row, i) =>
            row.type === 'message' ? (
              <Message key={i} row={row} model={model} />
            ) : (
              <Note key={i} row={row} />
            ),
          )}
          <Actors layout={layout} />
        </svg>
      </div>
      <DiagramText lines={description} testId={`${testId}-text`} />
      <details className="diagram-source" onToggle={(e) => setSourceOpen(e.currentTarget.open)}>
        <summary>Diagram source (Mermaid, to paste into slides)</summary>
        {sourceOpen && <pre tabIndex={0}>{mermaidSource(model)}</pre>}
      </details>
    </div>
  );
}

const COLOUR = {
  text: '#e6edf3',
  muted: '#aab6c3',
  bounce: '#f85149',
};

const ARROW: Record<MessageKind, { stroke: string; dash?: string }> = {
  connect: { stroke: '#8b949e' },
  command: { stroke: '#c9d1d9' },
  data: { stroke: '#c9d1d9' },
  reply: { stroke: '#8b9bb0', dash: '5 4' },
  failed: { stroke: COLOUR.bounce },
  delivery: { stroke: '#3fb950' },
};

const NOTE: Record<NoteKind, { fill: string; stroke: string }> = {
  info: { fill: '#232a35', stroke: '#4d5a6b' },
  auth: { fill: '#2a2340', stroke: '#a68be0' },
  tls: { fill: '#18301f', stroke: '#3fb950' },
  dns: { fill: '#123036', stroke: '#39c5cf' },
  problem: { fill: '#3a1e1e', stroke: COLOUR.bounce },
  deferral: { fill: '#382d12', stroke: '#d29922' },
  bounce: { fill: '#4a1c1c', stroke: COLOUR.bounce },
};

/** The arrowhead's length. */
const HEAD = 9;

function Actors({ layout }: { layout: SequenceLayout }) {
  return (
    <g className="actors">
      {layout.actors.map((a, i) => (
        <g key={i} className="actor" data-participant={a.name.full ?? a.name.text}>
          {a.name.full && <title>{a.name.full}</title>}
          <rect
            x={a.left}
            y={6}
            width={a.width}
            height={HEADER - 12}
            rx={4}
            fill="#1c2634"
            stroke="#58a6ff"
          />
          <text
            className="actor"
            x={a.x}
            y={HEADER / 2 + FONT.actor * 0.35}
            textAnchor="middle"
            fontSize={FONT.actor}
            fontWeight={600}
            fill={COLOUR.text}
          >
            {a.name.text}
          </text>
        </g>
      ))}
    </g>
  );
}

function Message({ row, model }: { row: PlacedMessage; model: SequenceModel }) {
  const { step, x1, x2, y } = row;
  const arrow = ARROW[step.kind];
  const cut = row.lines.some((l) => l.text.full);
  // Pointing right (+1) or left (-1); a loop comes back leftwards to its lifeline.
  const d = row.self || x2 < x1 ? -1 : 1;
  const tip = row.self ? x1 : x2;
  const tipY = row.self ? y + SELF_DROP : y;
  const shaft = row.self
    ? `M ${x1} ${y} H ${x2} V ${tipY} H ${x1 + HEAD}`
    : `M ${x1} ${y} H ${x2 - d * HEAD}`;
  return (
    <g
      className={`message kind-${step.kind}`}
      data-kind={step.kind}
      data-from={model.participants[step.from]}
      data-to={model.participants[step.to]}
    >
      {cut && <title>{messageText(step)}</title>}
      {row.lines.map((l, i) => (
        <text
          key={i}
          className="messageText"
          x={l.x}
          y={l.y}
          textAnchor={row.anchor}
          fill={step.kind === 'reply' ? COLOUR.muted : COLOUR.text}
        >
          {l.text.text}
        </text>
      ))}
      <path
        d={shaft}
        fill="none"
        stroke={arrow.stroke}
        strokeWidth={1.5}
        strokeDasharray={arrow.dash}
      />
      {step.kind === 'failed' ? (
        // A lost connection: crossed out where it should have arrived.
        <path
          d={`M ${tip - d * 12} ${tipY - 5} l ${d * 10} 10 m 0 -10 l ${-d * 10} 10`}
          stroke={arrow.stroke}
          strokeWidth={2}
        />
      ) : (
        <polygon
          points={`${tip},${tipY} ${tip - d * HEAD},${tipY - 4.5} ${tip - d * HEAD},${tipY + 4.5}`}
          fill={arrow.stroke}
        />
      )}
    </g>
  );
}

function Note({ row }: { row: PlacedNote }) {
  const colour = NOTE[row.step.kind];
  return (
    <g className={`note kind-${row.step.kind}`} data-kind={row.step.kind}>
      {row.text.full && <title>{row.text.full}</title>}
      <rect
        x={row.x}
        y={row.y}
        width={row.width}
        height={row.height}
        rx={3}
        fill={colour.fill}
        stroke={colour.stroke}
      />
      <text
        className="noteText"
        x={row.x + row.width / 2}
        y={row.baseline}
        textAnchor="middle"
        fill={COLOUR.text}
      >
        {row.text.text}
      </text>
    </g>
  );
}

let advance: number | undefined;

/** The monospace font's advance per pixel of size, as this page draws it (measured once). */
function fontAdvance(): number {
  if (advance === undefined) {
    const context = document.createElement('canvas').getContext('2d');
    let measured = NaN;
    if (context) {
      context.font = `100px ${FONT.family}`;
      measured = context.measureText('0'.repeat(10)).width / 1000;
    }
    // No canvas, or a font that is not monospace-like: the DejaVu Sans Mono figure.
    advance = measured > 0.4 && measured < 0.8 ? measured : FONT.advance;
  }
  return advance;
}
