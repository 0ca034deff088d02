/**
 * The mail client on a workstation: composes an RFC 5322 message and submits it to the
 * configured MSA (RFC 6409) on port 587, with STARTTLS (RFC 3207) and AUTH (RFC 4954).
 * Bcc recipients are in the envelope only, never in the header.
 */
import { rfc5322Date } from '../clock';
import { parsePath, type Mailbox } from '../smtp/address';
import { composeMessage } from '../message/compose';
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
        recipients: all.map((r) => mailbox(r)!),
        content,
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
          });
        }
        const { result } = outcome;
        if (result.outcome === 'delivered') return done({ ok: true, result, messageId });
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
