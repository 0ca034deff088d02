/**
 * The mail client on a workstation: composes an RFC 5322 message and submits it to the
 * configured MSA (RFC 6409) on port 587, with STARTTLS (RFC 3207) and AUTH (RFC 4954).
 * Bcc recipients are in the envelope only, never in the header.
 */
import { rfc5322Date } from '../clock';
import { parsePath, type Mailbox } from '../smtp/address';
import { composeMessage } from '../message/compose';
import type { ConnectError } from '../net/network';
import type { DeliveryResult, StartTlsPolicy } from '../smtp/client';
import type { World } from '../world';
import { runSmtpClient } from './smtp-client';

export interface Submission {
  /** The workstation the client runs on. */
  host: string;
  server: { host: string; port: number };
  /** Log in with SMTP AUTH (submission); without it the client sends as an MTA would. */
  account?: { username: string; password: string };
  /** RFC 3207: required by default, as a mail client configured for submission does. */
  starttls?: StartTlsPolicy;
  from: string;
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  body: string;
}

export type SubmitResult =
  | { ok: true; result: DeliveryResult; messageId: string }
  | { ok: false; error: string; result?: DeliveryResult };

export function mailbox(address: string): Mailbox | undefined {
  const parsed = parsePath(`<${address}>`, { utf8: true });
  return parsed.ok && parsed.rest === '' && parsed.mailbox ? parsed.mailbox : undefined;
}

export function submit(world: World, s: Submission, done: (r: SubmitResult) => void): void {
  const from = mailbox(s.from);
  const all = [...s.to, ...(s.cc ?? []), ...(s.bcc ?? [])];
  const bad = [s.from, ...all].find((a) => !mailbox(a));
  if (!from || bad !== undefined)
    return done({ ok: false, error: `invalid address: ${bad ?? s.from}` });
  if (all.length === 0) return done({ ok: false, error: 'no recipients' });
  const messageId = `${world.clock.now}.${world.random.hex(8)}@${s.host}`;
  const content = composeMessage({
    from: s.from,
    to: s.to,
    ...(s.cc ? { cc: s.cc } : {}),
    subject: s.subject,
    body: s.body,
    date: rfc5322Date(world.epoch, world.clock.now),
    messageId,
  });
  send(world, { ...s, recipients: all, content }, from, (r) =>
    done(r.ok ? { ...r, messageId } : r),
  );
}

/** A message already written (headers and body), as sendmail(1) hands it on. */
export interface RawSubmission {
  host: string;
  server: { host: string; port: number };
  account?: { username: string; password: string };
  starttls?: StartTlsPolicy;
  /** Envelope sender. */
  from: string;
  /** Envelope recipients. */
  recipients: string[];
  content: string | Uint8Array;
}

export type RawSubmitResult =
  | { ok: true; result: DeliveryResult }
  | {
      ok: false;
      error: string;
      result?: DeliveryResult;
      /** No SMTP session: why the connection failed. */
      connect?: ConnectError;
    };

/** Submit a finished message to the MSA as it is (msmtp, nullmailer, git send-email…). */
export function submitRaw(
  world: World,
  s: RawSubmission,
  done: (r: RawSubmitResult) => void,
): void {
  const from = mailbox(s.from);
  const bad = [s.from, ...s.recipients].find((a) => !mailbox(a));
  if (!from || bad !== undefined)
    return done({ ok: false, error: `invalid address: ${bad ?? s.from}` });
  if (s.recipients.length === 0) return done({ ok: false, error: 'no recipients' });
  send(world, s, from, done);
}

function send(
  world: World,
  s: Omit<RawSubmission, 'from'>,
  from: Mailbox,
  done: (r: RawSubmitResult) => void,
): void {
  world.resolver(s.host).lookup(s.server.host, 'A', (a) => {
    const address = a.ok ? a.answers.find((r) => r.type === 'A')?.value : undefined;
    if (!address) return done({ ok: false, error: `${s.server.host}: Name or service not known` });
    runSmtpClient(
      world,
      s.host,
      address,
      s.server.port,
      {
        helo: s.host,
        from,
        recipients: s.recipients.map((r) => mailbox(r)!),
        content: s.content,
        options: {
          starttls: s.starttls ?? 'required',
          pipelining: true,
          ...(s.account ? { auth: { mechanism: 'PLAIN' as const, ...s.account } } : {}),
        },
      },
      (outcome) => {
        if (outcome.kind === 'connect-failed') {
          const why =
            outcome.reason === 'port-closed' ? 'Connection refused' : 'Connection timed out';
          return done({
            ok: false,
            error: `connect to ${s.server.host}[${address}]:${s.server.port}: ${why}`,
            connect: outcome.reason,
          });
        }
        const { result } = outcome;
        if (result.outcome === 'delivered') return done({ ok: true, result });
        const first = result.recipients.find((r) => r.kind !== 'delivered')!;
        done({
          ok: false,
          error: `${first.code} ${first.enhanced} ${first.text}`.replace(/ +/g, ' '),
          result,
        });
      },
    );
  });
}
