/**
 * The trace: every observable thing that happens in a world, in order, with virtual time.
 * Views (terminal aside), lesson checks and the CLI's --trace output are all read from it.
 * Event shapes are documented in docs/trace.md; keep the two in step.
 */
import type { Millis } from './clock';

/** One end of a simulated TCP connection. */
export interface Endpoint {
  host: string;
  address: string;
  port: number;
}

export type TraceEventBody =
  | { type: 'net.connect'; conn: string; from: Endpoint; to: Endpoint }
  | { type: 'net.established'; conn: string }
  | { type: 'net.refused'; conn: string; reason: 'port-closed' | 'host-down' | 'no-route' }
  | { type: 'net.data'; conn: string; from: string; to: string; bytes: number; text: string }
  | { type: 'net.close'; conn: string; by: string }
  | { type: 'net.reset'; conn: string; by: string }
  | { type: 'smtp.command'; conn: string; server: string; verb: string; line: string }
  | { type: 'smtp.reply'; conn: string; server: string; code: number; lines: string[] }
  | { type: 'smtp.data'; conn: string; server: string; bytes: number; lines: number }
  /** The client sent bytes before the server's greeting (it did not wait its turn). */
  | { type: 'smtp.pregreet'; conn: string; server: string; bytes: number }
  | {
      type: 'tls.handshake';
      conn: string;
      /** The host whose server side finished the (simulated) handshake. */
      server: string;
      version: 'TLSv1.3';
      cipher: 'TLS_AES_256_GCM_SHA384';
      /** Implicit TLS at connect (port 465, RFC 8314) rather than after STARTTLS. */
      implicit: boolean;
      /** Plaintext octets that followed STARTTLS and were dropped (CVE-2011-0411). */
      discarded: number;
    }
  | {
      type: 'mail.accepted';
      host: string;
      conn: string;
      queueId: string;
      from: string;
      to: string[];
      bytes: number;
    }
  | { type: 'mail.delivered'; host: string; queueId: string; user: string; mailbox: string }
  | { type: 'dns.query'; host: string; server: string; qid: number; name: string; qtype: string }
  | {
      type: 'dns.answer';
      host: string;
      server: string;
      /** The query's DNS message id (0 for a cached answer). */
      qid: number;
      name: string;
      qtype: string;
      rcode: string;
      /** Records in dig's presentation form. */
      answers: string[];
      /** Answered from the host's cache, without a query. */
      cached: boolean;
    }
  | { type: 'log'; host: string; program: string; pid: number; text: string }
  | { type: 'queue.added'; host: string; queueId: string; from: string; to: string[] }
  | {
      type: 'queue.result';
      host: string;
      queueId: string;
      rcpt: string;
      status: 'sent' | 'deferred' | 'bounced';
      dsn: string;
      reason: string;
    }
  | { type: 'queue.deferred'; host: string; queueId: string; nextAttempt: number; reason: string }
  | { type: 'queue.removed'; host: string; queueId: string; how: 'removed' | 'deleted' }
  | {
      type: 'mail.bounce';
      host: string;
      queueId: string;
      dsnId: string;
      action: 'failed' | 'delayed';
      to: string;
      recipients: { rcpt: string; status: string }[];
    }
  | { type: 'dns.timeout'; host: string; server: string; qid: number; name: string; qtype: string };

export type TraceEvent = TraceEventBody & { id: number; t: Millis };

export type TraceListener = (event: TraceEvent) => void;

export class Trace {
  readonly events: TraceEvent[] = [];
  private listeners = new Set<TraceListener>();

  constructor(private readonly clock: { readonly now: Millis }) {}

  /** Record `body` (a fresh object the caller gives up) as the next event. */
  emit(body: TraceEventBody): TraceEvent {
    // Stamped in place rather than copied: the trace is the engine's hottest path.
    const event = body as TraceEvent;
    event.id = this.events.length + 1;
    event.t = this.clock.now;
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  subscribe(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
