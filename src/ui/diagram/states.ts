/**
 * The server's side of one SMTP connection as a walk through the engine's transition table
 * (`SERVER_TRANSITIONS`): the trace's commands and replies are replayed through the table
 * to give the state after each step, what each step did, and what may be said next. The
 * table decides where a verb is in sequence and where a positive reply leads; the few
 * moves that are not commands (greeting, end of message text, SASL exchange, TLS handshake,
 * hang-up) follow the engine's ServerSession, as the tests check step by step.
 */
import {
  SERVER_TRANSITIONS,
  nextState,
  parseBdat,
  type ServerState,
  type Transition,
} from '../../engine/smtp/server';
import { parseCapabilities } from '../../engine/smtp/client';
import type { TraceEvent } from '../../engine/trace';

/**
 * greeting: the server's first reply · ok: a command the table allows, answered 2xx/3xx ·
 * failed: allowed, but refused (e.g. 550 unknown user) · sequence: not allowed in this
 * state (503) · unknown: a verb the server does not know (500) · not-offered: an extension
 * the server does not offer (502) · text: the end of DATA's message text · sasl: a line of
 * an AUTH exchange · tls: the STARTTLS handshake · closed: the connection ended.
 */
export type StepKind =
  | 'greeting'
  | 'ok'
  | 'failed'
  | 'sequence'
  | 'unknown'
  | 'not-offered'
  | 'text'
  | 'sasl'
  | 'tls'
  | 'closed';

export interface StateStep {
  kind: StepKind;
  /** The command's verb (upper case), for command steps. */
  verb?: string;
  /** The command line as traced, or what happened ("TLS handshake", …). */
  line: string;
  /** The reply that concluded the step, if one did. */
  code?: number;
  /** The first line of that reply's text, without the code. */
  text?: string;
  /** undefined: before the greeting. */
  from: ServerState | undefined;
  to: ServerState;
  /** Index (into the events given) of the event that concluded the step. */
  at: number;
}

export interface SessionStates {
  /** The server's state now; undefined before the greeting. */
  state: ServerState | undefined;
  steps: StateStep[];
  /**
   * The keywords of the last EHLO reply since the greeting or the TLS handshake (which
   * makes the client say EHLO again, RFC 3207 §4.2); undefined when there was none.
   */
  keywords: ReadonlySet<string> | undefined;
  /** A command read and not answered yet. */
  waiting?: { verb: string; line: string };
}

/** Replay one connection's trace events (in order) through the table. */
export function replaySession(events: readonly TraceEvent[]): SessionStates {
  let state: ServerState | undefined;
  let server: string | undefined;
  let keywords: Set<string> | undefined;
  let command: { verb: string; line: string } | undefined;
  let text: { bytes: number; lines: number } | undefined;
  const steps: StateStep[] = [];
  const move = (step: Omit<StateStep, 'from'>) => {
    steps.push({ ...step, from: state });
    state = step.to;
  };

  events.forEach((e, at) => {
    if (state === 'closed') return;
    switch (e.type) {
      case 'net.connect':
        server = e.to.host;
        break;
      case 'smtp.command':
        command = { verb: e.verb, line: e.line };
        break;
      case 'smtp.data':
        text = { bytes: e.bytes, lines: e.lines };
        break;
      case 'tls.handshake':
        // RFC 3207 §4.2: as just greeted, knowing nothing of the EHLO before.
        if (!e.implicit && state === 'tls') {
          keywords = undefined;
          move({ kind: 'tls', line: 'TLS handshake', to: 'greeted', at });
        }
        break;
      case 'net.close':
        // The client's FIN only says it sent its last bytes; the server reads them first.
        if (e.by === server) move({ kind: 'closed', line: 'connection closed', to: 'closed', at });
        break;
      case 'net.reset':
        move({ kind: 'closed', line: 'connection reset', to: 'closed', at });
        break;
      case 'smtp.reply': {
        const reply = { code: e.code, text: replyText(e.lines[0] ?? '') };
        if (command) {
          const step = commandStep(state ?? 'greeted', command, e.code);
          move({ ...step, ...reply, at });
          if (step.kind === 'ok' && (step.verb === 'EHLO' || step.verb === 'HELO')) {
            keywords =
              step.verb === 'EHLO' ? new Set(parseCapabilities(e.lines).keys()) : undefined;
          }
          command = undefined;
        } else if (text) {
          // §4.1.1.4: the reply to the message text ends the transaction, whatever it says.
          const line = `message text (${text.lines} lines)`;
          move({ kind: 'text', line, ...reply, to: 'ready', at });
          text = undefined;
        } else if (state === undefined) {
          // §3.1: 220, or 554 and only QUIT from then on; 421 closes at once (§3.8).
          const to = e.code < 400 ? 'greeted' : e.code === 421 ? 'closed' : 'refused';
          move({ kind: 'greeting', line: 'greeting', ...reply, to, at });
        } else if (e.code === 421 || e.code === 521) {
          // Unasked: too many errors, shutting down, or a bare newline (RFC 7504).
          move({ kind: 'closed', line: 'server hangs up', ...reply, to: 'closed', at });
        }
        break;
      }
      default:
        break;
    }
  });
  return {
    state,
    steps,
    keywords,
    ...(command ? { waiting: command } : {}),
  };
}

/** How the server took a command in `state`, answered with `code`, by the table. */
function commandStep(
  state: ServerState,
  { verb, line }: { verb: string; line: string },
  code: number,
): Pick<StateStep, 'kind' | 'verb' | 'line' | 'to'> {
  const step = { verb, line };
  // RFC 4954 §4: inside an exchange every line is a SASL response; 334 asks for another.
  if (state === 'auth') return { ...step, kind: 'sasl', to: code === 334 ? 'auth' : 'ready' };
  const transition = transitionOf(verb);
  if (!transition) return { ...step, kind: 'unknown', to: state };
  if (transition.keyword && code === 502) return { ...step, kind: 'not-offered', to: state };
  if (!transition.from.includes(state)) return { ...step, kind: 'sequence', to: state };
  if (code === 421) return { ...step, kind: 'failed', to: 'closed' };
  if (verb === 'BDAT') {
    // RFC 3030 §2: LAST ends the message whatever the answer; a chunk refused for its size
    // ends the transaction; any other refusal leaves the state as it was.
    const chunk = parseBdat(line.slice(5).trim());
    if (chunk && (chunk.last || code === 552)) {
      return { ...step, kind: code < 400 ? 'ok' : 'failed', to: 'ready' };
    }
  }
  if (code >= 400) return { ...step, kind: 'failed', to: state };
  return { ...step, kind: 'ok', to: nextState(state, verb, code) };
}

function transitionOf(verb: string): Transition | undefined {
  return Object.hasOwn(SERVER_TRANSITIONS, verb) ? SERVER_TRANSITIONS[verb] : undefined;
}

/** "250-2.1.0 Ok" → "2.1.0 Ok". */
function replyText(line: string): string {
  return line.slice(4);
}

export interface AllowedVerb {
  verb: string;
  /** An extension the last EHLO reply did not advertise (or there was no EHLO). */
  notOffered: boolean;
}

/**
 * The verbs the table allows in `state`, extensions checked against the last EHLO: the
 * moves forward first (table order), then those that start over (HELO, EHLO) and those
 * allowed everywhere (`laterVerbs`).
 */
export function allowedVerbs(
  state: ServerState | undefined,
  keywords: ReadonlySet<string> | undefined,
): AllowedVerb[] {
  if (state === undefined) return [];
  const later = laterVerbs(state);
  const allowed = Object.entries(SERVER_TRANSITIONS)
    .filter(([, t]) => t.from.includes(state))
    .map(([verb, t]) => ({
      verb,
      notOffered: t.keyword !== undefined && !keywords?.has(t.keyword),
    }));
  return [
    ...allowed.filter((v) => !later.has(v.verb)),
    ...allowed.filter((v) => later.has(v.verb)),
  ];
}

/** Verbs in sequence in `state` that are not a step forward: hellos once greeted, anytime ones. */
export function laterVerbs(state: ServerState): Set<string> {
  const hellos = state === 'greeted' ? [] : verbsBetween('greeted', 'ready');
  return new Set([...hellos, ...anytimeVerbs()]);
}

/**
 * The verbs in sequence in every state that reads commands, which leave it as it is or
 * end the session (RSET, NOOP, …, QUIT): one caption rather than an edge from every box.
 */
export function anytimeVerbs(): string[] {
  const reading = commandStates();
  return Object.entries(SERVER_TRANSITIONS)
    .filter(([, t]) => reading.every((s) => t.from.includes(s)))
    .filter(([, t]) => t.to === 'same' || t.to === 'closed')
    .map(([verb]) => verb);
}

/** The states in which some command is in sequence, apart from 'refused' (QUIT only). */
function commandStates(): ServerState[] {
  const all = new Set(Object.values(SERVER_TRANSITIONS).flatMap((t) => t.from));
  all.delete('refused');
  return [...all];
}

/** The verbs whose positive reply in `state` leads to `to`, by the table (edge labels). */
export function verbsBetween(state: ServerState, to: ServerState): string[] {
  return Object.entries(SERVER_TRANSITIONS)
    .filter(([, t]) => t.from.includes(state))
    .filter(([verb, t]) => targets(t).some((code) => nextState(state, verb, code) === to))
    .map(([verb]) => verb);
}

/** Reply codes worth trying for a transition: one per target, or any positive code. */
function targets(t: Transition): number[] {
  return typeof t.to === 'string' ? [250] : Object.keys(t.to).map(Number);
}

/** What a step did, in words: "250: ready → mail", "refused: out of sequence (503)". */
export function stepOutcome(step: StateStep): string {
  const code = step.code ?? '';
  const stays = `state stays ${step.to}`;
  const moved = step.from === step.to ? stays : `${step.from ?? 'connect'} → ${step.to}`;
  switch (step.kind) {
    case 'sequence':
      return `refused: out of sequence (${code}), ${stays}`;
    case 'unknown':
      return `unknown command (${code}), ${stays}`;
    case 'not-offered':
      return `not offered (${code}), ${stays}`;
    case 'failed':
      return `refused by the server (${code}), ${moved}`;
    default:
      return code === '' ? moved : `${code}: ${moved}`;
  }
}

/**
 * The view in words, for screen readers: where the session is, what is in sequence now
 * (extensions the EHLO reply did not offer said so), then every step.
 */
export function describeStates(session: SessionStates, between: string): string[] {
  const { state, steps, keywords } = session;
  const lines = [`SMTP session from ${between}, the server's state: ${state ?? 'connecting'}.`];
  const allowed = allowedVerbs(state, keywords);
  if (allowed.length > 0) {
    const offered = allowed.filter((v) => !v.notOffered).map((v) => v.verb);
    const not = allowed.filter((v) => v.notOffered).map((v) => v.verb);
    lines.push(`In sequence now: ${offered.join(', ')}.`);
    if (not.length > 0) lines.push(`In sequence but not offered by the server: ${not.join(', ')}.`);
  } else if (state) lines.push(`No command is read in state ${state}.`);
  steps.forEach((s, i) => lines.push(`Step ${i + 1}: ${s.line}: ${stepOutcome(s)}.`));
  if (session.waiting) lines.push(`${session.waiting.line}: waiting for the reply.`);
  return lines;
}
