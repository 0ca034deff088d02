/**
 * Mermaid sequence diagrams drawn from the trace:
 * - a session: one SMTP connection's commands and replies in order, TLS and AUTH as notes;
 * - a message's journey: every hop of one message across hosts (follow mail.accepted →
 *   queue.result "queued as ID" → the next hop's mail.accepted), with the DNS lookups and
 *   failed connection attempts of each routing step as notes, local delivery into the
 *   mailbox, and a bounce (DSN) going back to the sender.
 * Long diagrams are windowed to the last N steps, with the number left out said in a note.
 * Participants get fixed ids (C, S, P0…); every label goes through escapeMermaidLabel.
 */
import type { TraceEvent } from '../../engine/trace';
import { escapeMermaidLabel as label } from './escape';
import type { MxResolution } from './mx';

/** The most recent connection that carried SMTP, the one the diagram shows by default. */
export function latestSmtpConnection(events: readonly TraceEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'smtp.reply' || e.type === 'smtp.command') return e.conn;
  }
  return undefined;
}

/** One Mermaid statement (or a short block) and the trace event it shows. */
export interface DiagramItem {
  id: number;
  lines: string[];
}

export interface SequenceOptions {
  /** Show only the last `window` steps (all when undefined). */
  window?: number;
}

export interface SequenceResult {
  source: string;
  /** Steps in the whole diagram, and how many are drawn. */
  total: number;
  shown: number;
}

export const DEFAULT_WINDOW = 40;

/** Reply lines drawn per reply; the rest is summarised. */
const REPLY_LINES = 6;

function replyText(lines: readonly string[]): string {
  const shown = lines.slice(0, REPLY_LINES).map((l) => label(l));
  if (lines.length > REPLY_LINES) shown.push(label(`… ${lines.length - REPLY_LINES} more lines`));
  return shown.join('<br/>');
}

/**
 * The steps of one connection, between participant ids `c` (client) and `s` (server).
 * `events` may hold other connections' events; only `conn`'s are drawn.
 */
export function sessionItems(
  events: readonly TraceEvent[],
  conn: string,
  c: string,
  s: string,
): { items: DiagramItem[]; client?: string; server?: string; typing: boolean } {
  const items: DiagramItem[] = [];
  let client: string | undefined;
  let server: string | undefined;
  let inData = false;
  const add = (e: TraceEvent, ...lines: string[]) => items.push({ id: e.id, lines });
  for (const e of events) {
    if (!('conn' in e) || e.conn !== conn) continue;
    switch (e.type) {
      case 'net.connect':
        client = e.from.host;
        server = e.to.host;
        add(e, `${c}->>${s}: ${label(`TCP connect to port ${e.to.port}`)}`);
        break;
      case 'net.refused':
        add(
          e,
          `Note over ${c},${s}: ${label(
            e.reason === 'host-down'
              ? 'no answer: connection timed out (host down)'
              : e.reason === 'port-closed'
                ? 'connection refused (port closed)'
                : 'no route to host',
          )}`,
        );
        break;
      case 'smtp.command':
        if (e.verb === 'AUTH') {
          // The trace already hides credentials; draw the step as a note (DESIGN: AUTH as notes).
          add(e, `Note over ${c},${s}: ${label(`AUTH: ${e.line}`)}`);
        } else {
          add(e, `${c}->>${s}: ${label(e.line)}`);
        }
        break;
      case 'smtp.pregreet':
        add(
          e,
          `Note over ${c},${s}: ${label(`client talked before the greeting (${e.bytes} bytes)`)}`,
        );
        break;
      case 'smtp.data':
        add(
          e,
          `${c}->>${s}: ${label(`message text, ${e.lines} lines, ${e.bytes} bytes, then "."`)}`,
        );
        inData = false;
        break;
      case 'smtp.reply':
        add(e, `${s}-->>${c}: ${replyText(e.lines)}`);
        if (e.code === 354) inData = true;
        break;
      case 'tls.handshake':
        add(
          e,
          `Note over ${c},${s}: ${label(
            `${e.implicit ? 'implicit TLS' : 'STARTTLS'}: ${e.version} ${e.cipher}, encrypted from here`,
          )}`,
        );
        break;
      case 'net.close':
        add(e, `Note over ${c},${s}: ${label(`connection closed by ${e.by}`)}`);
        break;
      case 'net.reset':
        add(e, `Note over ${c},${s}: ${label(`connection reset by ${e.by}`)}`);
        break;
      default:
        break;
    }
  }
  return { items, ...(client ? { client } : {}), ...(server ? { server } : {}), typing: inData };
}

/** Keep the last `window` items; say how many were left out. */
function windowed(
  items: DiagramItem[],
  options: SequenceOptions,
  over: string,
): { lines: string[]; shown: number } {
  const limit = options.window;
  const kept = limit !== undefined && items.length > limit ? items.slice(-limit) : items;
  const lines: string[] = [];
  if (kept.length < items.length) {
    lines.push(
      `Note over ${over}: ${label(`… ${items.length - kept.length} earlier steps not shown`)}`,
    );
  }
  for (const item of kept) lines.push(...item.lines);
  return { lines, shown: kept.length };
}

/** One SMTP connection as a diagram. */
export function sessionDiagram(
  events: readonly TraceEvent[],
  conn: string,
  options: SequenceOptions = {},
): SequenceResult {
  const { items, client, server, typing } = sessionItems(events, conn, 'C', 'S');
  if (typing)
    items.push({ id: Infinity, lines: [`Note over C: ${label('typing message text…')}`] });
  const { lines, shown } = windowed(items, options, 'C,S');
  const source = [
    'sequenceDiagram',
    `  participant C as ${label(client ?? 'client')}`,
    `  participant S as ${label(server ?? 'server')}`,
    ...lines.map((l) => `  ${l}`),
  ].join('\n');
  return { source, total: items.length, shown };
}

/** The diagram of one connection (all of it), as drawn since the first slice. */
export function sequenceDiagram(events: readonly TraceEvent[], conn: string): string {
  return sessionDiagram(events, conn).source;
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
): SequenceResult & { participants: string[] } {
  const events = index.events;
  const participants: string[] = [];
  const pid = (name: string) => {
    let i = participants.indexOf(name);
    if (i < 0) i = participants.push(name) - 1;
    return `P${i}`;
  };
  const items: DiagramItem[] = [];
  const seenConns = new Set<string>();
  const session = (conn: string) => {
    if (seenConns.has(conn)) return;
    seenConns.add(conn);
    const c = index.connection(conn);
    if (!c) return;
    const own = c.events.map((i) => events[i]!);
    items.push(...sessionItems(own, conn, pid(c.from.host), pid(c.to.host)).items);
  };
  const visited = new Set<string>();
  const follow = (id: string, bounce: boolean) => {
    if (visited.has(id) || visited.size > 50) return;
    visited.add(id);
    const host = index.queuedOn.get(id);
    const acceptedAt = index.accepted.get(id);
    if (acceptedAt !== undefined) {
      const accepted = events[acceptedAt] as Extract<TraceEvent, { type: 'mail.accepted' }>;
      session(accepted.conn);
    }
    if (!host) return;
    const wrap = (e: { id: number }, line: string) =>
      items.push({
        id: e.id,
        lines: bounce ? ['rect rgba(248, 81, 73, 0.18)', `  ${line}`, 'end'] : [line],
      });
    // Routing: the MX lookups and every server tried for this message.
    for (const r of index.mx.resolutions) {
      if (r.host !== host || !r.results.some((x) => x.queueId === id)) continue;
      wrap({ id: r.answer?.id ?? r.startId }, `Note over ${pid(host)}: ${label(dnsNote(r))}`);
      for (const t of r.tries) {
        if (t.outcome === 'timed-out' || t.outcome === 'refused' || t.outcome === 'no-route') {
          const c = index.connection(t.conn);
          const connect = c ? events[c.events[0]!]! : { id: 0 };
          const done = c ? events[c.events[c.events.length - 1]!]! : { id: 0 };
          items.push({
            id: connect.id,
            lines: [`${pid(host)}-x${pid(t.host)}: ${label(`TCP connect to port 25`)}`],
          });
          items.push({
            id: done.id,
            lines: [`Note over ${pid(host)},${pid(t.host)}: ${label(t.detail)}`],
          });
          seenConns.add(t.conn);
        } else {
          session(t.conn);
        }
      }
    }
    for (const at of index.results.get(`${host} ${id}`) ?? []) {
      const e = events[at] as Extract<TraceEvent, { type: 'queue.result' }>;
      if (e.status === 'deferred')
        wrap(
          e,
          `Note over ${pid(host)}: ${label(`${id} deferred (${e.dsn}), stays in the queue: ${e.reason}`)}`,
        );
      const next = /queued as ([0-9A-Za-z]+)/.exec(e.reason)?.[1];
      if (e.status === 'sent' && next) follow(next, bounce);
    }
    for (const at of index.delivered.get(id) ?? []) {
      const e = events[at] as Extract<TraceEvent, { type: 'mail.delivered' }>;
      wrap(
        e,
        `${pid(host)}->>${pid(`mailbox ${e.user}@${shortName(host)}`)}: ${label(`${bounce ? 'bounce ' : ''}delivered to ${e.mailbox}`)}`,
      );
    }
    const bounceAt = index.bounces.get(`${host} ${id}`);
    if (bounceAt !== undefined) {
      const e = events[bounceAt] as Extract<TraceEvent, { type: 'mail.bounce' }>;
      items.push({
        id: e.id,
        lines: [
          'rect rgba(248, 81, 73, 0.18)',
          `  Note over ${pid(host)}: ${label(`${e.action === 'delayed' ? 'delay notice' : 'bounce'} (DSN ${e.dsnId}) to ${e.to}: ${e.recipients.map((r) => `${r.rcpt} ${r.status}`).join(', ')}`)}`,
          'end',
        ],
      });
      follow(e.dsnId, true);
    }
  };
  follow(index.origin(queueId), false);
  items.sort((a, b) => a.id - b.id);
  const { lines, shown } = windowed(items, options, participants.length > 1 ? 'P0,P1' : 'P0');
  const source = [
    'sequenceDiagram',
    ...participants.map((p, i) => `  participant P${i} as ${label(p)}`),
    ...lines.map((l) => `  ${l}`),
  ].join('\n');
  return { source, total: items.length, shown, participants };
}

function shortName(host: string): string {
  return host.split('.')[0] ?? host;
}
