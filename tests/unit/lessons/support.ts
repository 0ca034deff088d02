import type { TraceEvent, TraceEventBody } from '../../../src/engine/trace';
import { parseCheck, type Check } from '../../../src/lessons/check';

/** Number events 1, 2, 3 … with a time 10 ms apart, as a Trace would. */
export function trace(...bodies: TraceEventBody[]): TraceEvent[] {
  return bodies.map((body, i) => ({ ...body, id: i + 1, t: i * 10 }) as TraceEvent);
}

/** A check from its YAML-shaped object; fails the test if it does not validate. */
export function check(input: unknown): Check {
  const result = parseCheck(input);
  if (!result.check)
    throw new Error(result.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  return result.check;
}

const endpoint = (host: string, address: string, port: number) => ({ host, address, port });

/** A short SMTP session from `client` to mx1 port `port`, as connection `conn`. */
export function session(conn: string, client: string, port = 25): TraceEventBody[] {
  const server = 'mx1.beta.example';
  return [
    {
      type: 'net.connect',
      conn,
      from: endpoint(client, '192.0.2.10', 49153),
      to: endpoint(server, '203.0.113.25', port),
    },
    { type: 'net.established', conn },
    { type: 'smtp.reply', conn, server, code: 220, lines: [`220 ${server} ESMTP`] },
    { type: 'smtp.command', conn, server, verb: 'EHLO', line: 'EHLO laptop.alpha.example' },
    {
      type: 'smtp.reply',
      conn,
      server,
      code: 250,
      lines: [`250-${server}`, '250-PIPELINING', '250 SIZE 10240000'],
    },
    { type: 'smtp.command', conn, server, verb: 'MAIL', line: 'MAIL FROM:<alice@alpha.example>' },
    { type: 'smtp.reply', conn, server, code: 250, lines: ['250 2.1.0 Ok'] },
    { type: 'smtp.command', conn, server, verb: 'RCPT', line: 'RCPT TO:<nobody@beta.example>' },
    {
      type: 'smtp.reply',
      conn,
      server,
      code: 550,
      lines: ['550 5.1.1 <nobody@beta.example>: User unknown'],
    },
    { type: 'smtp.command', conn, server, verb: 'RCPT', line: 'RCPT TO:<bob@beta.example>' },
    { type: 'smtp.reply', conn, server, code: 250, lines: ['250 2.1.5 Ok'] },
    { type: 'smtp.command', conn, server, verb: 'DATA', line: 'DATA' },
    { type: 'smtp.reply', conn, server, code: 354, lines: ['354 End data with <CR><LF>.<CR><LF>'] },
    { type: 'smtp.data', conn, server, bytes: 26, lines: 3 },
    {
      type: 'mail.accepted',
      host: server,
      conn,
      queueId: 'Q1',
      from: 'alice@alpha.example',
      to: ['bob@beta.example'],
      bytes: 213,
    },
    { type: 'smtp.reply', conn, server, code: 250, lines: ['250 2.0.0 Ok: queued as Q1'] },
    { type: 'mail.delivered', host: server, queueId: 'Q1', user: 'bob', mailbox: '/var/mail/bob' },
    { type: 'smtp.command', conn, server, verb: 'QUIT', line: 'QUIT' },
    { type: 'smtp.reply', conn, server, code: 221, lines: ['221 2.0.0 Bye'] },
    { type: 'net.close', conn, by: server },
  ];
}
