/**
 * The MX lookup view's model: each time an MTA routes mail for a domain, what it asked DNS,
 * the MX records with their preferences, which servers it tried in which order, what each
 * one did (refused, timed out, a 4xx or 5xx, accepted) and how the attempt ended.
 *
 * Built incrementally from the trace (feed events in order to `add`). The engine runs one
 * routing attempt as a chain — MX lookup, then per MX host an address lookup and a
 * connection — so a connection from that host to port 25 of one of the domain's MX hosts
 * belongs to the oldest attempt still waiting for one; a result names the server
 * ("host X[…] said", "connect to X[…]", "queued as ID") and is matched by it.
 */
import type { TraceEvent } from '../../engine/trace';
import { remoteOf } from './topology';

export interface MxRecord {
  preference: number;
  host: string;
}

export type TryOutcome =
  | 'pending'
  | 'timed-out'
  | 'refused'
  | 'no-route'
  | 'temporary'
  | 'permanent'
  | 'accepted'
  | 'closed';

export interface MxTry {
  host: string;
  address: string;
  conn: string;
  preference: number | undefined;
  start: number;
  end?: number;
  outcome: TryOutcome;
  /** The reply or error that decided the outcome, as the server said it. */
  detail: string;
  /** The command a failing reply answered ("greeting" before any). */
  inReplyTo?: string;
  /** The queue id the server gave when it accepted. */
  queuedAs?: string;
}

export interface MxResult {
  t: number;
  queueId: string;
  rcpt: string;
  status: 'sent' | 'deferred' | 'bounced';
  dsn: string;
  reason: string;
}

export interface MxResolution {
  id: number;
  /** The MTA that routed. */
  host: string;
  domain: string;
  start: number;
  /** The trace event that began it. */
  startId: number;
  query?: { qid: number; t: number };
  answer?: {
    id: number;
    t: number;
    rcode: string;
    cached: boolean;
    records: MxRecord[];
    answers: string[];
  };
  /** Queries for the domain that got no answer in time. */
  timeouts: number;
  tries: MxTry[];
  results: MxResult[];
  /** When a deferred message will be tried again. */
  retryAt?: number;
  done: boolean;
}

/** "beta.example. 300 IN MX 10 mx1.beta.example." → { preference: 10, host: "mx1.beta.example" } */
export function parseMxAnswer(answer: string): MxRecord | undefined {
  const f = answer.trim().split(/\s+/);
  if (f[3] !== 'MX' || f.length < 6) return undefined;
  const preference = Number(f[4]);
  if (!Number.isInteger(preference)) return undefined;
  return { preference, host: f[5]!.replace(/\.$/, '').toLowerCase() };
}

/** The last match among the most recent `within` items (older ones are long finished). */
function findLast<T>(list: readonly T[], match: (item: T) => boolean, within = 256): T | undefined {
  for (let i = list.length - 1; i >= Math.max(0, list.length - within); i--)
    if (match(list[i]!)) return list[i];
  return undefined;
}

interface ConnState {
  resolution: MxResolution;
  attempt: MxTry;
  lastVerb?: string;
}

export class MxTracker {
  readonly resolutions: MxResolution[] = [];
  private open: MxResolution[] = [];
  private conns = new Map<string, ConnState>();
  private nextId = 1;

  /** `isMta(host)`: only hosts that route mail (not a learner's `dig`) are followed. */
  constructor(private readonly isMta: (host: string) => boolean) {}

  add(e: TraceEvent): void {
    switch (e.type) {
      case 'dns.query':
        if (e.qtype === 'MX' && this.isMta(e.host)) {
          const pending = this.open.find(
            (r) => r.host === e.host && r.domain === e.name.toLowerCase() && !r.answer,
          );
          if (pending)
            pending.query = { qid: e.qid, t: e.t }; // the resolver's retry
          else this.start(e.host, e.name, e).query = { qid: e.qid, t: e.t };
        }
        break;
      case 'dns.timeout':
        if (e.qtype === 'MX') {
          const r = this.open.find((x) => x.host === e.host && x.query?.qid === e.qid);
          if (r) r.timeouts++;
        }
        break;
      case 'dns.answer': {
        if (e.qtype !== 'MX' || !this.isMta(e.host)) break;
        const domain = e.name.toLowerCase();
        const r = e.cached
          ? this.start(e.host, domain, e)
          : (this.open.find((x) => x.host === e.host && x.query?.qid === e.qid) ??
            this.start(e.host, domain, e));
        r.answer = {
          id: e.id,
          t: e.t,
          rcode: e.rcode,
          cached: e.cached,
          answers: e.answers,
          records: e.answers
            .map(parseMxAnswer)
            .filter((x): x is MxRecord => x !== undefined)
            .sort((a, b) => a.preference - b.preference),
        };
        break;
      }
      case 'net.connect': {
        if (e.to.port !== 25) break;
        const r = this.open.find(
          (x) =>
            x.host === e.from.host &&
            x.answer &&
            !x.tries.some((t) => t.outcome === 'pending') &&
            (x.answer.records.some((m) => m.host === e.to.host) ||
              (x.answer.records.length === 0 && e.to.host === x.domain)),
        );
        if (!r) break;
        const attempt: MxTry = {
          host: e.to.host,
          address: e.to.address,
          conn: e.conn,
          preference: r.answer!.records.find((m) => m.host === e.to.host)?.preference,
          start: e.t,
          outcome: 'pending',
          detail: '',
        };
        r.tries.push(attempt);
        this.conns.set(e.conn, { resolution: r, attempt });
        break;
      }
      case 'net.refused': {
        const c = this.conns.get(e.conn);
        if (!c) break;
        c.attempt.end = e.t;
        c.attempt.outcome =
          e.reason === 'host-down'
            ? 'timed-out'
            : e.reason === 'port-closed'
              ? 'refused'
              : 'no-route';
        c.attempt.detail =
          e.reason === 'host-down'
            ? `no answer within ${Math.round((e.t - c.attempt.start) / 1000)} s (Connection timed out)`
            : e.reason === 'port-closed'
              ? 'Connection refused (nothing listens on port 25)'
              : 'No route to host';
        this.conns.delete(e.conn);
        break;
      }
      case 'smtp.command': {
        const c = this.conns.get(e.conn);
        if (c) c.lastVerb = e.verb;
        break;
      }
      case 'smtp.reply': {
        const c = this.conns.get(e.conn);
        if (!c) break;
        const line = e.lines[e.lines.length - 1] ?? String(e.code);
        const queued = /queued as ([0-9A-Za-z]+)/.exec(line);
        if (e.code >= 200 && e.code < 300 && c.lastVerb === 'DATA' && queued) {
          c.attempt.outcome = 'accepted';
          c.attempt.detail = line;
          c.attempt.queuedAs = queued[1];
        } else if (e.code >= 400 && c.attempt.outcome === 'pending') {
          c.attempt.outcome = e.code >= 500 ? 'permanent' : 'temporary';
          c.attempt.detail = e.lines.join(' ');
          c.attempt.inReplyTo = c.lastVerb ?? 'greeting';
        }
        break;
      }
      case 'net.close':
      case 'net.reset': {
        const c = this.conns.get(e.conn);
        if (!c) break;
        c.attempt.end ??= e.t;
        if (c.attempt.outcome === 'pending') {
          c.attempt.outcome = 'closed';
          c.attempt.detail = `connection ${e.type === 'net.reset' ? 'reset' : 'closed'} by ${e.by}`;
        }
        this.conns.delete(e.conn);
        break;
      }
      case 'queue.result': {
        const domain = e.rcpt.slice(e.rcpt.lastIndexOf('@') + 1).toLowerCase();
        const result: MxResult = {
          t: e.t,
          queueId: e.queueId,
          rcpt: e.rcpt,
          status: e.status,
          dsn: e.dsn,
          reason: e.reason,
        };
        // More recipients of the same attempt.
        const same = findLast(
          this.resolutions,
          (r) =>
            r.host === e.host &&
            r.domain === domain &&
            r.results[0]?.queueId === e.queueId &&
            r.results[0]?.t === e.t,
        );
        if (same) {
          same.results.push(result);
          break;
        }
        const queued = /queued as ([0-9A-Za-z]+)/.exec(e.reason)?.[1];
        const remote = remoteOf(e.reason);
        const candidates = this.open.filter((r) => r.host === e.host && r.domain === domain);
        const r =
          candidates.find(
            (x) => queued !== undefined && x.tries.some((t) => t.queuedAs === queued),
          ) ??
          candidates.find((x) => remote !== undefined && x.tries.at(-1)?.host === remote) ??
          candidates.find(
            (x) => x.tries.length === 0 || x.tries.every((t) => t.outcome !== 'pending'),
          ) ??
          candidates[0];
        if (!r) break; // local delivery: no routing
        r.results.push(result);
        r.done = true;
        this.open = this.open.filter((x) => x !== r);
        break;
      }
      case 'queue.deferred': {
        const r = findLast(
          this.resolutions,
          (x) => x.host === e.host && x.results.some((res) => res.queueId === e.queueId),
        );
        if (r) r.retryAt = e.nextAttempt;
        break;
      }
      default:
        break;
    }
  }

  private start(host: string, domain: string, e: TraceEvent): MxResolution {
    const r: MxResolution = {
      id: this.nextId++,
      host,
      domain: domain.toLowerCase(),
      start: e.t,
      startId: e.id,
      timeouts: 0,
      tries: [],
      results: [],
      done: false,
    };
    this.resolutions.push(r);
    this.open.push(r);
    return r;
  }
}

/** One step of the explanation, for the view and for tests. */
export interface MxStep {
  kind: 'lookup' | 'self' | 'try' | 'result' | 'note';
  text: string;
  outcome?: TryOutcome | MxResult['status'];
  host?: string;
}

const ORDINAL = ['first', 'second', 'third', 'fourth', 'fifth'];

/** The resolution told as steps: query, records, each server tried and why, the end. */
export function explainResolution(r: MxResolution): MxStep[] {
  const steps: MxStep[] = [];
  if (r.answer) {
    const { records, rcode, cached } = r.answer;
    const source = cached ? 'from its DNS cache' : `asked DNS (MX ${r.domain})`;
    if (rcode !== 'NOERROR') {
      steps.push({ kind: 'lookup', text: `${r.host} ${source}: ${rcode}.` });
    } else if (records.length === 0) {
      steps.push({
        kind: 'lookup',
        text: `${r.host} ${source}: no MX records, so the domain's own address is used (implicit MX, RFC 5321 §5.1).`,
      });
    } else if (records.length === 1 && records[0]!.host === '') {
      steps.push({
        kind: 'lookup',
        text: `${r.domain} has a null MX: it accepts no mail (RFC 7505).`,
      });
    } else {
      const list = records.map((m) => `${m.preference} ${m.host}`).join(', ');
      steps.push({
        kind: 'lookup',
        text: `${r.host} ${source}: ${list}. Lower preference is tried first (RFC 5321 §5.1).`,
      });
      const self = records.find((m) => m.host === r.host);
      if (self) {
        steps.push({
          kind: 'self',
          host: r.host,
          text: `${r.host} is itself MX ${self.preference} for ${r.domain}: it only tries MX hosts with a lower preference, or mail would loop.`,
        });
      }
      const prefs = records.map((m) => m.preference);
      if (new Set(prefs).size < prefs.length) {
        steps.push({
          kind: 'note',
          text: 'Equal preferences are tried in random order (RFC 5321 §5.1).',
        });
      }
    }
  } else if (r.query) {
    steps.push({
      kind: 'lookup',
      text: `${r.host} asked DNS for the MX records of ${r.domain}${r.timeouts ? ` (${r.timeouts} timed out)` : ''}; waiting for the answer.`,
    });
  }
  r.tries.forEach((t, i) => {
    const which =
      i === 0 ? ORDINAL[0] : `${ORDINAL[i] ?? `#${i + 1}`}, after ${r.tries[i - 1]!.host} failed,`;
    const pref = t.preference !== undefined ? ` (preference ${t.preference})` : '';
    // After a failure: another MX follows, or none was left (the message waits or bounces).
    const last = i === r.tries.length - 1;
    const then = last && r.done ? 'No MX host left to try.' : 'Next MX.';
    let why: string;
    switch (t.outcome) {
      case 'pending':
        why = 'connecting…';
        break;
      case 'timed-out':
        why = `${t.detail}: the host is down or unreachable. ${then}`;
        break;
      case 'refused':
      case 'no-route':
        why = `${t.detail}. ${then}`;
        break;
      case 'temporary':
        why =
          t.inReplyTo === 'RCPT' || t.inReplyTo === 'DATA'
            ? `said ${t.detail} (to ${t.inReplyTo}): a temporary refusal of this message, so it stays queued and is retried later.`
            : `said ${t.detail} (to ${t.inReplyTo}): a temporary failure of the session. ${then}`;
        break;
      case 'permanent':
        why =
          t.inReplyTo === 'RCPT' || t.inReplyTo === 'DATA' || t.inReplyTo === 'MAIL'
            ? `said ${t.detail} (to ${t.inReplyTo}): a permanent refusal, so the message bounces.`
            : `said ${t.detail} (to ${t.inReplyTo}): it refuses the session. ${then}`;
        break;
      case 'accepted':
        why = `accepted: ${t.detail}. From here ${t.host} is responsible for the message (RFC 5321 §6.1).`;
        break;
      case 'closed':
        why = t.detail;
        break;
    }
    steps.push({
      kind: 'try',
      host: t.host,
      outcome: t.outcome,
      text: `Tried ${which} ${t.host}${pref} [${t.address}]: ${why}`,
    });
  });
  for (const res of r.results) {
    const how =
      res.status === 'sent'
        ? 'sent'
        : res.status === 'bounced'
          ? 'bounced (a DSN goes back to the sender)'
          : 'deferred (stays in the queue)';
    steps.push({
      kind: 'result',
      outcome: res.status,
      text: `${res.queueId} to <${res.rcpt}>: ${how}, status ${res.dsn}${res.status === 'sent' ? '' : `: ${res.reason}`}`,
    });
  }
  return steps;
}
