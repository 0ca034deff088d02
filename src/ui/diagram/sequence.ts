/**
 * Sequence diagrams drawn from the trace, as a model (participants and steps) that
 * sequenceLayout.ts places and SequenceView.tsx draws:
 * - a session: one SMTP connection's commands and replies in order, TLS and AUTH as notes;
 * - a message's journey: every hop of one message across hosts (follow mail.accepted →
 *   queue.result "queued as ID" → the next hop's mail.accepted), with the DNS lookups and
 *   failed connection attempts of each routing step as notes, local delivery into the
 *   mailbox, and a bounce (DSN) going back to the sender in a band of its own.
 * Long diagrams are windowed to the last N steps, with the number left out said in a note.
 * Texts are plain (labelText: controls dropped, length capped); the same model is told in
 * words (describeSequenceModel) and written as Mermaid source (mermaidSource), whose labels
 * go through escapeMermaidLabel.
 */
import type { TraceEvent } from '../../engine/trace';
import { escapeMermaidLabel, labelText } from './escape';
import type { MxResolution } from './mx';

/** How a message is drawn: replies dashed, a failed connection crossed out. */
export type MessageKind = 'connect' | 'command' | 'data' | 'reply' | 'failed' | 'delivery';
export type NoteKind = 'info' | 'auth' | 'tls' | 'dns' | 'problem' | 'deferral' | 'bounce';
/** A highlighted stretch: a bounce, or a delay notice, going back to the sender. */
export type Band = 'bounce' | 'delay';

interface StepBase {
  /** The trace event it shows (orders a journey's steps). */
  id: number;
  band?: Band;
}

export interface MessageStep extends StepBase {
  type: 'message';
  kind: MessageKind;
  /** Participant indexes. */
  from: number;
  to: number;
  lines: string[];
}

export interface NoteStep extends StepBase {
  type: 'note';
  kind: NoteKind;
  /** The participants it spans (first ≤ last; equal for a note over one). */
  over: readonly [number, number];
  text: string;
}

export type Step = MessageStep | NoteStep;

export interface SequenceModel {
  participants: string[];
  steps: Step[];
  /** Steps in the whole diagram, and how many are drawn. */
  total: number;
  shown: number;
}

export interface SequenceOptions {
  /** Show only the last `window` steps (all when undefined). */
  window?: number;
}

export const DEFAULT_WINDOW = 40;

/** Reply lines drawn per reply; the rest is summarised. */
const REPLY_LINES = 6;
/** Texts are kept this long (an SMTP line's limit); the drawing cuts them shorter. */
const TEXT_MAX = 1000;

const text = (untrusted: string) => labelText(untrusted, TEXT_MAX);

function replyLines(lines: readonly string[]): string[] {
  const shown = lines.slice(0, REPLY_LINES).map(text);
  if (lines.length > REPLY_LINES) shown.push(`… ${lines.length - REPLY_LINES} more lines`);
  return shown;
}

/**
 * The steps of one connection, between participants `c` (client) and `s` (server).
 * `events` may hold other connections' events; only `conn`'s are drawn.
 */
function sessionSteps(
  events: readonly TraceEvent[],
  conn: string,
  c: number,
  s: number,
): { steps: Step[]; client?: string; server?: string; typing: boolean } {
  const steps: Step[] = [];
  let client: string | undefined;
  let server: string | undefined;
  let inData = false;
  const message = (e: TraceEvent, kind: MessageKind, lines: string[], back = false) =>
    steps.push({ type: 'message', id: e.id, kind, from: back ? s : c, to: back ? c : s, lines });
  const note = (e: TraceEvent, kind: NoteKind, what: string) =>
    steps.push({ type: 'note', id: e.id, kind, over: [c, s], text: text(what) });
  for (const e of events) {
    if (!('conn' in e) || e.conn !== conn) continue;
    switch (e.type) {
      case 'net.connect':
        client = e.from.host;
        server = e.to.host;
        message(e, 'connect', [`TCP connect to port ${e.to.port}`]);
        break;
      case 'net.refused':
        note(
          e,
          'problem',
          e.reason === 'host-down'
            ? 'no answer: connection timed out (host down)'
            : e.reason === 'port-closed'
              ? 'connection refused (port closed)'
              : 'no route to host',
        );
        break;
      case 'smtp.command':
        // The trace already hides credentials; draw the step as a note (DESIGN: AUTH as notes).
        if (e.verb === 'AUTH') note(e, 'auth', `AUTH: ${e.line}`);
        else message(e, 'command', [text(e.line)]);
        break;
      case 'smtp.pregreet':
        note(e, 'problem', `client talked before the greeting (${e.bytes} bytes)`);
        break;
      case 'smtp.data':
        message(e, 'data', [`message text, ${e.lines} lines, ${e.bytes} bytes, then "."`]);
        inData = false;
        break;
      case 'smtp.reply':
        message(e, 'reply', replyLines(e.lines), true);
        if (e.code === 354) inData = true;
        break;
      case 'tls.handshake':
        note(
          e,
          'tls',
          `${e.implicit ? 'implicit TLS' : 'STARTTLS'}: ${e.version} ${e.cipher}, encrypted from here`,
        );
        break;
      case 'net.close':
        note(e, 'info', `connection closed by ${e.by}`);
        break;
      case 'net.reset':
        note(e, 'problem', `connection reset by ${e.by}`);
        break;
      default:
        break;
    }
  }
  return { steps, ...(client ? { client } : {}), ...(server ? { server } : {}), typing: inData };
}

/** Keep the last `window` steps; a note over `over` says how many were left out. */
function windowed(
  participants: string[],
  steps: Step[],
  options: SequenceOptions,
  over: readonly [number, number],
): SequenceModel {
  const limit = options.window;
  const kept = limit !== undefined && steps.length > limit ? steps.slice(-limit) : steps;
  const left = steps.length - kept.length;
  const shown: Step[] =
    left > 0
      ? [
          { type: 'note', id: -1, kind: 'info', over, text: `… ${left} earlier steps not shown` },
          ...kept,
        ]
      : kept;
  return { participants, steps: shown, total: steps.length, shown: kept.length };
}

/** One SMTP connection: the client (0) and the server (1). */
export function sessionDiagram(
  events: readonly TraceEvent[],
  conn: string,
  options: SequenceOptions = {},
): SequenceModel {
  const { steps, client, server, typing } = sessionSteps(events, conn, 0, 1);
  if (typing)
    steps.push({
      type: 'note',
      id: Infinity,
      kind: 'info',
      over: [0, 0],
      text: 'typing message text…',
    });
  return windowed([text(client ?? 'client'), text(server ?? 'server')], steps, options, [0, 1]);
}

/** What a journey needs from the trace index (see src/ui/model/traceIndex.ts). */
export interface JourneySource {
  readonly events: readonly TraceEvent[];
  connection(
    conn: string,
  ): { events: number[]; from: { host: string }; to: { host: string } } | undefined;
  readonly accepted: ReadonlyMap<string, number>;
  readonly results: ReadonlyMap<string, number[]>;
  readonly bounces: ReadonlyMap<string, number>;
  readonly delivered: ReadonlyMap<string, number[]>;
  readonly queuedOn: ReadonlyMap<string, string>;
  readonly mx: { readonly resolutions: readonly MxResolution[] };
  origin(queueId: string): string;
}

function dnsNote(r: MxResolution): string {
  if (!r.answer) return `DNS: MX ${r.domain}? (no answer yet)`;
  const records = r.answer.records.map((m) => `${m.preference} ${m.host}`).join(', ');
  const how = r.answer.cached ? ' (from cache)' : '';
  return `DNS: MX ${r.domain}${how} → ${r.answer.rcode === 'NOERROR' ? records || 'no MX records' : r.answer.rcode}`;
}

/**
 * Every hop of the message that `queueId` belongs to, from where it entered the world to
 * its mailboxes (or its bounce back to the sender).
 */
export function journeyDiagram(
  index: JourneySource,
  queueId: string,
  options: SequenceOptions = {},
): SequenceModel {
  const events = index.events;
  const participants: string[] = [];
  const pid = (name: string) => {
    const i = participants.indexOf(name);
    return i < 0 ? participants.push(name) - 1 : i;
  };
  const steps: Step[] = [];
  const seenConns = new Set<string>();
  const session = (conn: string) => {
    if (seenConns.has(conn)) return;
    seenConns.add(conn);
    const c = index.connection(conn);
    if (!c) return;
    const own = c.events.map((i) => events[i]!);
    steps.push(...sessionSteps(own, conn, pid(c.from.host), pid(c.to.host)).steps);
  };
  const visited = new Set<string>();
  const follow = (id: string, band: Band | undefined) => {
    if (visited.has(id) || visited.size > 50) return;
    visited.add(id);
    const host = index.queuedOn.get(id);
    const acceptedAt = index.accepted.get(id);
    if (acceptedAt !== undefined) {
      const accepted = events[acceptedAt] as Extract<TraceEvent, { type: 'mail.accepted' }>;
      session(accepted.conn);
    }
    if (!host) return;
    const at = pid(host);
    const banded = (step: Step) => steps.push(band ? { ...step, band } : step);
    const note = (id: number, kind: NoteKind, what: string) =>
      banded({ type: 'note', id, kind, over: [at, at], text: text(what) });
    // Routing: the MX lookups and every server tried for this message.
    for (const r of index.mx.resolutions) {
      if (r.host !== host || !r.results.some((x) => x.queueId === id)) continue;
      note(r.answer?.id ?? r.startId, 'dns', dnsNote(r));
      for (const t of r.tries) {
        if (t.outcome === 'timed-out' || t.outcome === 'refused' || t.outcome === 'no-route') {
          const c = index.connection(t.conn);
          const connect = c ? events[c.events[0]!]! : { id: 0 };
          const done = c ? events[c.events[c.events.length - 1]!]! : { id: 0 };
          const to = pid(t.host);
          steps.push({
            type: 'message',
            id: connect.id,
            kind: 'failed',
            from: at,
            to,
            lines: ['TCP connect to port 25'],
          });
          steps.push({
            type: 'note',
            id: done.id,
            kind: 'problem',
            over: at < to ? [at, to] : [to, at],
            text: text(t.detail),
          });
          seenConns.add(t.conn);
        } else {
          session(t.conn);
        }
      }
    }
    for (const i of index.results.get(`${host} ${id}`) ?? []) {
      const e = events[i] as Extract<TraceEvent, { type: 'queue.result' }>;
      if (e.status === 'deferred')
        note(e.id, 'deferral', `${id} deferred (${e.dsn}), stays in the queue: ${e.reason}`);
      const next = /queued as ([0-9A-Za-z]+)/.exec(e.reason)?.[1];
      if (e.status === 'sent' && next) follow(next, band);
    }
    for (const i of index.delivered.get(id) ?? []) {
      const e = events[i] as Extract<TraceEvent, { type: 'mail.delivered' }>;
      banded({
        type: 'message',
        id: e.id,
        kind: 'delivery',
        from: at,
        to: pid(`mailbox ${e.user}@${shortName(host)}`),
        lines: [text(`${band ? 'bounce ' : ''}delivered to ${e.mailbox}`)],
      });
    }
    const bounceAt = index.bounces.get(`${host} ${id}`);
    if (bounceAt !== undefined) {
      const e = events[bounceAt] as Extract<TraceEvent, { type: 'mail.bounce' }>;
      const dsn: Band = e.action === 'delayed' ? 'delay' : 'bounce';
      steps.push({
        type: 'note',
        id: e.id,
        kind: 'bounce',
        band: dsn,
        over: [at, at],
        text: text(
          `${dsn === 'delay' ? 'delay notice' : 'bounce'} (DSN ${e.dsnId}) to ${e.to}: ${e.recipients.map((r) => `${r.rcpt} ${r.status}`).join(', ')}`,
        ),
      });
      follow(e.dsnId, dsn);
    }
  };
  follow(index.origin(queueId), undefined);
  steps.sort((a, b) => a.id - b.id);
  return windowed(
    participants.map(text),
    steps,
    options,
    participants.length > 1 ? [0, 1] : [0, 0],
  );
}

function shortName(host: string): string {
  return host.split('.')[0] ?? host;
}

/** A message's text on one line (a multi-line reply's lines joined with " / "). */
export function messageText(step: MessageStep): string {
  return step.lines.join(' / ');
}

/** Each message and note, in order, as a sentence: the diagram's text alternative. */
export function describeSequenceModel(model: SequenceModel): string[] {
  const name = (i: number) => model.participants[i] ?? '?';
  return model.steps.map((s) => {
    if (s.type === 'message')
      return `${name(s.from)} to ${name(s.to)}${s.kind === 'failed' ? ' (failed)' : ''}: ${messageText(s)}`;
    const [a, b] = s.over;
    return `Note at ${a === b ? name(a) : `${name(a)} and ${name(b)}`}: ${s.text}`;
  });
}

/** The Mermaid fill of a band (red, as a bounce is drawn). */
const BAND_FILL = 'rect rgba(248, 81, 73, 0.18)';

/**
 * The model as Mermaid source, to paste into slides: fixed participant ids (P0, P1…),
 * every label through escapeMermaidLabel, a band as a red `rect`.
 */
export function mermaidSource(model: SequenceModel): string {
  const label = escapeMermaidLabel;
  const out = ['sequenceDiagram'];
  model.participants.forEach((p, i) => out.push(`  participant P${i} as ${label(p)}`));
  let band: Band | undefined;
  for (const s of model.steps) {
    if (s.band !== band) {
      if (band) out.push('  end');
      if (s.band) out.push(`  ${BAND_FILL}`);
      band = s.band;
    }
    const indent = band ? '    ' : '  ';
    if (s.type === 'message') {
      const arrow = s.kind === 'reply' ? '-->>' : s.kind === 'failed' ? '-x' : '->>';
      out.push(
        `${indent}P${s.from}${arrow}P${s.to}: ${s.lines.map((l) => label(l)).join('<br/>')}`,
      );
    } else {
      const [a, b] = s.over;
      out.push(`${indent}Note over P${a}${a === b ? '' : `,P${b}`}: ${label(s.text)}`);
    }
  }
  if (band) out.push('  end');
  return out.join('\n');
}
