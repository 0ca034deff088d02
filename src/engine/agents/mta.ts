/**
 * The MTA of a mail host: a queue of messages waiting for delivery, MX routing, relaying
 * with the SMTP client, retries on temporary failure, and delivery status notifications.
 * Behaviour follows Postfix's queue manager and smtp client, with the RFC 5321 §4.5.4.1
 * timings compressed so a lesson can show a retry within minutes of virtual time.
 */
import { rfc5322Date, type Millis, type TimerHandle } from '../clock';
import { utf8, text } from '../bytes';
import { planMx } from '../dns/mx';
import { buildDsn, type DsnRecipient } from '../message/dsn';
import { formatMailbox, type Mailbox } from '../smtp/address';
import type { DsnNotify, RecipientOutcome, RecipientSpec } from '../smtp/client';
import type { World } from '../world';
import { delaySeconds, mailLog } from './maillog';
import { deliverLocal } from './mda';
import { runSmtpClient, type ClientOutcome } from './smtp-client';

export interface RetryPolicy {
  /** Postfix minimal_backoff_time is 300 s; RFC 5321 §4.5.4.1 asks for ≥ 30 min. */
  first: Millis;
  /** The back-off doubles up to this (Postfix maximal_backoff_time, 4000 s). */
  max: Millis;
  /** Send a "delayed" DSN once a message has waited this long; 0 never (delay_warning_time). */
  warnAfter: Millis;
  /** Give up and bounce after this (RFC 5321 §4.5.4.1: 4–5 days; Postfix 5 d). */
  lifetime: Millis;
}

export const DEFAULT_RETRY: RetryPolicy = {
  first: 5 * 60_000,
  max: 60 * 60_000,
  warnAfter: 4 * 3_600_000,
  lifetime: 24 * 3_600_000,
};

export interface QueueRecipient {
  spec: RecipientSpec;
  state: 'queued' | 'sent' | 'bounced';
  /** Why it is still queued or why it bounced. */
  lastError: string;
}

export interface QueueEntry {
  id: string;
  from: Mailbox | null;
  recipients: QueueRecipient[];
  content: Uint8Array;
  arrival: Millis;
  attempts: number;
  /** When the next attempt is due; null while an attempt runs. */
  nextAttempt: Millis | null;
  warned: boolean;
  ret: 'FULL' | 'HDRS';
  envid?: string;
}

export interface EnqueueRequest {
  id: string;
  from: Mailbox | null;
  recipients: RecipientSpec[];
  content: Uint8Array;
  ret?: 'FULL' | 'HDRS';
  envid?: string;
}

/** What became of one recipient in one attempt. */
interface Verdict {
  kind: 'sent' | 'deferred' | 'bounced';
  status: string;
  /** Postfix's parenthesised reason, e.g. "host mx1…[…] said: 550 … (in reply to RCPT TO command)". */
  reason: string;
  /** DSN Diagnostic-Code, e.g. "smtp; 550 5.1.1 …". */
  diagnostic?: string;
  relay: string;
  remoteMta?: string;
}

/** Replies to these come before any recipient was named: try the next MX (RFC 5321 §5.1). */
const SESSION_STAGES = new Set([
  '',
  'initial greeting',
  'EHLO',
  'HELO',
  'STARTTLS',
  'AUTH',
  'MAIL FROM',
]);

const SMTP_PORT = 25;

export class Mta {
  private queue = new Map<string, QueueEntry>();
  private timers = new Map<string, TimerHandle>();

  constructor(
    private readonly world: World,
    readonly host: string,
    private readonly localDomains: readonly string[],
    readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** The queue as `mailq` shows it, oldest first. */
  entries(): readonly QueueEntry[] {
    return [...this.queue.values()];
  }

  enqueue(request: EnqueueRequest): void {
    const entry: QueueEntry = {
      id: request.id,
      from: request.from,
      recipients: request.recipients.map((spec) => ({ spec, state: 'queued', lastError: '' })),
      content: request.content,
      arrival: this.world.clock.now,
      attempts: 0,
      nextAttempt: this.world.clock.now,
      warned: false,
      ret: request.ret ?? 'FULL',
      ...(request.envid ? { envid: request.envid } : {}),
    };
    this.queue.set(entry.id, entry);
    this.world.trace.emit({
      type: 'queue.added',
      host: this.host,
      queueId: entry.id,
      from: formatMailbox(entry.from),
      to: request.recipients.map((r) => formatMailbox(r.mailbox)),
    });
    mailLog(
      this.world,
      this.host,
      'qmgr',
      `${entry.id}: from=<${formatMailbox(entry.from)}>, size=${entry.content.length}, nrcpt=${request.recipients.length} (queue active)`,
    );
    this.schedule(entry, 0);
  }

  /** `postqueue -f`: attempt every waiting message now. */
  flush(): void {
    for (const entry of this.queue.values()) {
      if (entry.nextAttempt !== null) this.schedule(entry, 0);
    }
  }

  /** `postsuper -d ID`: drop a message from the queue. */
  remove(id: string): boolean {
    const entry = this.queue.get(id);
    if (!entry) return false;
    this.timers.get(id)?.cancel();
    this.drop(entry, 'deleted');
    return true;
  }

  private schedule(entry: QueueEntry, delay: Millis): void {
    this.timers.get(entry.id)?.cancel();
    entry.nextAttempt = this.world.clock.now + delay;
    this.timers.set(
      entry.id,
      this.world.clock.after(delay, () => this.attempt(entry)),
    );
  }

  private attempt(entry: QueueEntry): void {
    if (!this.queue.has(entry.id)) return;
    entry.nextAttempt = null;
    entry.attempts++;
    const byDomain = new Map<string, QueueRecipient[]>();
    for (const r of entry.recipients) {
      if (r.state !== 'queued') continue;
      const domain = r.spec.mailbox.domain.toLowerCase();
      byDomain.set(domain, [...(byDomain.get(domain) ?? []), r]);
    }
    const bounced: { r: QueueRecipient; v: Verdict }[] = [];
    let open = byDomain.size;
    const settle = (r: QueueRecipient, v: Verdict) => {
      const to = formatMailbox(r.spec.mailbox);
      mailLog(
        this.world,
        this.host,
        v.relay === 'local' ? 'local' : 'smtp',
        `${entry.id}: to=<${to}>, relay=${v.relay}, delay=${delaySeconds(this.world, entry.arrival)}, dsn=${v.status}, status=${v.kind} (${v.reason})`,
      );
      this.world.trace.emit({
        type: 'queue.result',
        host: this.host,
        queueId: entry.id,
        rcpt: to,
        status: v.kind,
        dsn: v.status,
        reason: v.reason,
      });
      if (v.kind === 'sent') r.state = 'sent';
      else if (v.kind === 'bounced') {
        r.state = 'bounced';
        r.lastError = v.reason;
        bounced.push({ r, v });
      } else r.lastError = v.reason;
    };
    const domainDone = () => {
      if (--open === 0) this.finish(entry, bounced);
    };
    if (open === 0) return this.finish(entry, bounced);
    for (const [domain, rcpts] of byDomain)
      this.deliverDomain(entry, domain, rcpts, settle, domainDone);
  }

  private deliverDomain(
    entry: QueueEntry,
    domain: string,
    rcpts: QueueRecipient[],
    settle: (r: QueueRecipient, v: Verdict) => void,
    done: () => void,
  ): void {
    if (domain === '' || domain === this.host || this.localDomains.includes(domain)) {
      for (const r of rcpts) {
        const result = deliverLocal(
          this.world,
          this.host,
          entry.id,
          entry.from,
          r.spec.mailbox,
          entry.content,
        );
        if (!result.ok) {
          settle(r, {
            kind: result.transient ? 'deferred' : 'bounced',
            status: result.status,
            reason: result.text,
            relay: 'local',
            diagnostic: `x-unix; ${result.text}`,
          });
        } else {
          settle(r, {
            kind: 'sent',
            status: '2.0.0',
            reason: 'delivered to mailbox',
            relay: 'local',
          });
        }
      }
      return done();
    }
    planMx(this.world.resolver(this.host), domain, this.world.random, (plan) => {
      const all = (v: Verdict) => {
        for (const r of rcpts) settle(r, v);
        done();
      };
      switch (plan.kind) {
        case 'temporary':
          return all({
            kind: 'deferred',
            status: '4.4.3',
            reason: `Host or domain name not found. Name service error for name=${domain} type=MX: Host not found, try again`,
            relay: 'none',
          });
        case 'no-such-domain':
          return all({
            kind: 'bounced',
            status: '5.1.2',
            reason: `Host or domain name not found. Name service error for name=${domain} type=A: Host not found`,
            diagnostic: `X-Postfix; Host or domain name not found. Name service error for name=${domain} type=A: Host not found`,
            relay: 'none',
          });
        case 'null-mx':
          return all({
            kind: 'bounced',
            status: '5.1.10',
            reason: `Domain ${domain} does not accept mail (nullMX)`,
            diagnostic: `X-Postfix; Domain ${domain} does not accept mail (nullMX)`,
            relay: 'none',
          });
        case 'hosts': {
          // §5.1: an MX that is this host, and every MX no better than it, would loop.
          const self = plan.hosts.find((h) => h.host === this.host);
          const hosts = self
            ? plan.hosts.filter((h) => h.preference < self.preference)
            : plan.hosts;
          if (hosts.length === 0) {
            return all({
              kind: 'bounced',
              status: '5.4.6',
              reason: `mail for ${domain} loops back to myself`,
              diagnostic: `X-Postfix; mail for ${domain} loops back to myself`,
              relay: 'none',
            });
          }
          return this.tryHosts(
            entry,
            hosts.map((h) => h.host),
            rcpts,
            settle,
            done,
          );
        }
      }
    });
  }

  /** Try each MX host in order until one takes responsibility for the recipients. */
  private tryHosts(
    entry: QueueEntry,
    hosts: string[],
    rcpts: QueueRecipient[],
    settle: (r: QueueRecipient, v: Verdict) => void,
    done: () => void,
    lastError = '',
  ): void {
    const [mx, ...rest] = hosts;
    if (mx === undefined) {
      for (const r of rcpts)
        settle(r, { kind: 'deferred', status: '4.4.1', reason: lastError, relay: 'none' });
      return done();
    }
    const next = (why: string) => this.tryHosts(entry, rest, rcpts, settle, done, why);
    this.world.resolver(this.host).lookup(mx, 'A', (a) => {
      const address = a.ok ? a.answers.find((r) => r.type === 'A')?.value : undefined;
      if (!address)
        return next(
          `Host or domain name not found. Name service error for name=${mx} type=A: Host not found`,
        );
      const job = {
        helo: this.host,
        from: entry.from,
        recipients: rcpts.map((r) => r.spec),
        content: entry.content,
        options: {
          starttls: 'opportunistic' as const,
          pipelining: true,
          dsn: { ret: entry.ret, ...(entry.envid ? { envid: entry.envid } : {}) },
        },
      };
      runSmtpClient(this.world, this.host, address, SMTP_PORT, job, (outcome) =>
        this.judge(outcome, mx, rcpts, rest.length > 0, settle, done, next),
      );
    });
  }

  private judge(
    outcome: ClientOutcome,
    mx: string,
    rcpts: QueueRecipient[],
    moreHosts: boolean,
    settle: (r: QueueRecipient, v: Verdict) => void,
    done: () => void,
    next: (why: string) => void,
  ): void {
    const relay = `${mx}[${outcome.address}]:${SMTP_PORT}`;
    if (outcome.kind === 'connect-failed') {
      const why = {
        'port-closed': 'Connection refused',
        'host-down': 'Connection timed out',
        'no-route': 'No route to host',
      }[outcome.reason];
      return next(`connect to ${relay}: ${why}`);
    }
    const { result } = outcome;
    // A failure before any recipient was named is this server's, not the message's: try the
    // next MX — unless the client itself judged the message unsendable (SIZE, RFC 1870 §6).
    const first = result.recipients[0]!;
    const sessionFailure = result.recipients.every((o) => SESSION_STAGES.has(o.inReplyTo));
    const messageFailure = first.local && first.kind === 'permanent';
    if (result.outcome !== 'delivered' && sessionFailure && !messageFailure && moreHosts) {
      return next(describe(first, mx, outcome.address));
    }
    result.recipients.forEach((o, i) => {
      const r = rcpts[i]!;
      const reason = describe(o, mx, outcome.address);
      if (o.kind === 'delivered') {
        settle(r, {
          kind: 'sent',
          status: o.enhanced || '2.0.0',
          reason: replyLine(o),
          relay,
        });
      } else {
        settle(r, {
          kind: o.kind === 'permanent' ? 'bounced' : 'deferred',
          status: o.enhanced || (o.kind === 'permanent' ? '5.0.0' : '4.0.0'),
          reason,
          relay,
          remoteMta: mx,
          ...(o.local
            ? {}
            : { diagnostic: `smtp; ${o.code} ${o.enhanced ? `${o.enhanced} ` : ''}${o.text}` }),
        });
      }
    });
    done();
  }

  private finish(entry: QueueEntry, bounced: { r: QueueRecipient; v: Verdict }[]): void {
    if (bounced.length > 0) {
      this.notify(
        entry,
        'failed',
        bounced.map(({ r, v }) => ({
          r,
          status: v.status,
          diagnostic: v.diagnostic,
          remoteMta: v.remoteMta,
        })),
      );
    }
    const waiting = entry.recipients.filter((r) => r.state === 'queued');
    if (waiting.length === 0) return this.drop(entry, 'removed');
    const age = this.world.clock.now - entry.arrival;
    if (age >= this.retry.lifetime) {
      // RFC 3463 X.4.7: delivery time expired.
      for (const r of waiting) {
        r.state = 'bounced';
        mailLog(
          this.world,
          this.host,
          'qmgr',
          `${entry.id}: to=<${formatMailbox(r.spec.mailbox)}>, relay=none, delay=${delaySeconds(this.world, entry.arrival)}, dsn=4.4.7, status=expired, returned to sender`,
        );
      }
      this.notify(
        entry,
        'failed',
        waiting.map((r) => ({
          r,
          status: '4.4.7',
          diagnostic: `X-Postfix; delivery temporarily suspended: ${r.lastError}`,
        })),
      );
      return this.drop(entry, 'removed');
    }
    if (this.retry.warnAfter > 0 && !entry.warned && age >= this.retry.warnAfter) {
      entry.warned = true;
      this.notify(
        entry,
        'delayed',
        waiting.map((r) => ({ r, status: '4.4.1', diagnostic: `X-Postfix; ${r.lastError}` })),
      );
    }
    const backoff = Math.min(this.retry.max, this.retry.first * 2 ** (entry.attempts - 1));
    this.schedule(
      entry,
      Math.min(backoff, Math.max(0, entry.arrival + this.retry.lifetime - this.world.clock.now)),
    );
    this.world.trace.emit({
      type: 'queue.deferred',
      host: this.host,
      queueId: entry.id,
      nextAttempt: entry.nextAttempt!,
      reason: waiting[0]!.lastError,
    });
  }

  /** Send a DSN to the envelope sender — never for a message from <> (RFC 5321 §6.2). */
  private notify(
    entry: QueueEntry,
    action: 'failed' | 'delayed',
    list: {
      r: QueueRecipient;
      status: string;
      diagnostic?: string | undefined;
      remoteMta?: string | undefined;
    }[],
  ): void {
    const wanted = list.filter(({ r }) =>
      wants(r.spec.notify, action === 'failed' ? 'FAILURE' : 'DELAY'),
    );
    if (entry.from === null || wanted.length === 0) return;
    const id = this.world.random.hex(10);
    const now = rfc5322Date(this.world.epoch, this.world.clock.now);
    const recipients: DsnRecipient[] = wanted.map(({ r, status, diagnostic, remoteMta }) => ({
      finalRecipient: formatMailbox(r.spec.mailbox),
      ...(r.spec.orcpt ? { originalRecipient: `rfc822; ${r.spec.orcpt}` } : {}),
      action,
      status: action === 'failed' && status.startsWith('4') ? `5${status.slice(1)}` : status,
      ...(remoteMta ? { remoteMta } : {}),
      ...(diagnostic ? { diagnostic } : {}),
      reason: r.lastError,
      lastAttempt: now,
      ...(action === 'delayed'
        ? { willRetryUntil: rfc5322Date(this.world.epoch, entry.arrival + this.retry.lifetime) }
        : {}),
    }));
    const dsn = buildDsn({
      reportingMta: this.host,
      queueId: entry.id,
      arrivalDate: rfc5322Date(this.world.epoch, entry.arrival),
      ...(entry.envid ? { envid: entry.envid } : {}),
      recipients,
      original: text(entry.content),
      ret: entry.ret,
      to: formatMailbox(entry.from),
      date: now,
      messageId: `${id}@${this.host}`,
      boundary: `${id}.${this.world.clock.now}/${this.host}`,
    });
    mailLog(
      this.world,
      this.host,
      'bounce',
      `${entry.id}: sender ${action === 'failed' ? 'non-delivery' : 'delay'} notification: ${id}`,
    );
    this.world.trace.emit({
      type: 'mail.bounce',
      host: this.host,
      queueId: entry.id,
      dsnId: id,
      action,
      to: formatMailbox(entry.from),
      recipients: recipients.map((r) => ({ rcpt: r.finalRecipient, status: r.status })),
    });
    this.enqueue({ id, from: null, recipients: [{ mailbox: entry.from }], content: utf8(dsn) });
  }

  private drop(entry: QueueEntry, how: 'removed' | 'deleted'): void {
    this.queue.delete(entry.id);
    this.timers.delete(entry.id);
    mailLog(this.world, this.host, how === 'removed' ? 'qmgr' : 'postsuper', `${entry.id}: ${how}`);
    this.world.trace.emit({ type: 'queue.removed', host: this.host, queueId: entry.id, how });
  }
}

/** RFC 3461 §4.1: without NOTIFY, report failures (and delays, at the MTA's discretion). */
function wants(notify: DsnNotify | undefined, what: 'FAILURE' | 'DELAY'): boolean {
  if (notify === undefined) return true;
  if (notify === 'NEVER') return false;
  return notify.includes(what);
}

/** Postfix's wording for what a remote server said. */
function describe(o: RecipientOutcome, mx: string, address: string): string {
  if (o.local) return o.text;
  const said = `host ${mx}[${address}] said: ${replyLine(o)}`;
  return o.inReplyTo ? `${said} (in reply to ${o.inReplyTo} command)` : said;
}

/** "550 5.1.1 <x>: Recipient address rejected: …" */
function replyLine(o: RecipientOutcome): string {
  return `${o.code} ${o.enhanced ? `${o.enhanced} ` : ''}${o.text}`;
}
