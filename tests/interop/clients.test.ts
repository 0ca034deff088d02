/**
 * Real SMTP clients deliver through `lab bridge` (issue 3, "The bridge and real clients"):
 * swaks, Python's smtplib and nodemailer each hand a message for bob@beta.example to a
 * simulated server of the default world, and the test then finds it in bob's simulated
 * mailbox on mx1.beta.example.
 *
 * One world, three bridges, as a mail provider would run them:
 * - mx1.beta.example:25, the MX: plaintext, or STARTTLS (RFC 3207);
 * - mail.alpha.example:587, submission (RFC 6409): AUTH PLAIN LOGIN required, STARTTLS
 *   offered, AUTH offered before and after it;
 * - mail.alpha.example:465, submissions (RFC 8314): implicit TLS, AUTH required.
 * What is submitted to mail.alpha.example goes through its queue, an MX lookup and a relay
 * to mx1, hence `deliveredMail`, which settles the world before looking.
 */
import { format } from 'node:util';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src/cli/bridge';
import { builtInScenario } from '../../src/engine/scenario';
import { World } from '../../src/engine/world';
import {
  ALICE,
  deliveredMail,
  eventsOf,
  findMail,
  lastConn,
  marker,
  MSA,
  OUTSIDE_ADDRESS,
  runProcess,
} from './support';

let mx: Bridge;
let submission: Bridge;
let submissions: Bridge;

beforeAll(async () => {
  const world = new World(builtInScenario('default'));
  const listen = { host: '127.0.0.1', port: 0 };
  const log = () => {};
  [mx, submission, submissions] = await Promise.all([
    startBridge({ world, listen, log }),
    startBridge({ world, listen, to: { host: MSA, port: 587 }, log }),
    startBridge({ world, listen, to: { host: MSA, port: 465 }, log }),
  ]);
});
afterAll(async () => {
  await Promise.all([mx?.close(), submission?.close(), submissions?.close()]);
});

// --- swaks ----------------------------------------------------------------------------

/** swaks to `bridge`, from `from`, with the options every run shares; extras go last. */
function swaks(bridge: Bridge, from: string, tag: string, ...extra: string[]) {
  return runProcess('swaks', [
    ...['--server', '127.0.0.1', '--port', String(bridge.port)],
    ...['--helo', 'swaks.outside.example', '--from', from, '--to', 'bob@beta.example'],
    ...['--header', `Subject: ${tag}`, '--body', `Sent by swaks (${tag}).`],
    ...['--timeout', '10'],
    ...extra,
  ]);
}

/** swaks as alice, authenticating with `mechanism`. */
function swaksAuth(bridge: Bridge, mechanism: string, tag: string, ...extra: string[]) {
  return swaks(
    bridge,
    ALICE.address,
    tag,
    ...['--auth', mechanism, '--auth-user', ALICE.user, '--auth-password', ALICE.password],
    ...extra,
  );
}

// --- Python's smtplib -----------------------------------------------------------------

/**
 * One smtplib session, configured by a JSON argument: `plain`, `starttls` (after a first
 * EHLO) or `ssl` (SMTP_SSL, implicit TLS); login() when a user is given; then sendmail().
 * The certificate is verified against the bridge's (its subjectAltName has 127.0.0.1).
 * The transcript (debug level 1) goes to stderr; a summary as JSON to stdout.
 */
const SMTPLIB = `
import json, smtplib, ssl, sys
c = json.loads(sys.argv[1])
ctx = ssl.create_default_context(cadata=c["ca"])
opts = dict(local_hostname="python.outside.example", timeout=10)
if c["mode"] == "ssl":
    s = smtplib.SMTP_SSL("127.0.0.1", c["port"], context=ctx, **opts)
else:
    s = smtplib.SMTP("127.0.0.1", c["port"], **opts)
out = {}
with s:
    s.set_debuglevel(1)
    s.ehlo()
    out["offered"] = sorted(s.esmtp_features)
    if c["mode"] == "starttls":
        s.starttls(context=ctx)
        s.ehlo()
        out["after"] = sorted(s.esmtp_features)
    if c["mode"] != "plain":
        out["version"] = s.sock.version()
    if c.get("user"):
        code, text = s.login(c["user"], c["password"])
        out["login"] = [code, text.decode()]
    message = (
        f"From: {c['from']}\\r\\nTo: bob@beta.example\\r\\nSubject: {c['tag']}\\r\\n\\r\\n"
        "Sent by smtplib.\\r\\n.a line that starts with a dot\\r\\n"
    )
    out["refused"] = s.sendmail(c["from"], ["bob@beta.example"], message)
print(json.dumps(out))
`;

interface SmtplibRun {
  mode: 'plain' | 'starttls' | 'ssl';
  from: string;
  user?: string;
  password?: string;
}

async function smtplib(bridge: Bridge, tag: string, run: SmtplibRun) {
  const config = { ...run, tag, port: bridge.port, ca: bridge.certificate };
  const result = await runProcess('python3', ['-c', SMTPLIB, JSON.stringify(config)]);
  const summary =
    result.code === 0
      ? (JSON.parse(result.stdout) as {
          offered: string[];
          after?: string[];
          version?: string;
          login?: [number, string];
          refused: Record<string, unknown>;
        })
      : undefined;
  return { ...result, summary };
}

// --- nodemailer -----------------------------------------------------------------------

/** Send one message with nodemailer; the SMTP transcript is collected in `transcript`. */
async function nodemailerSend(
  bridge: Bridge,
  from: string,
  tag: string,
  options: SMTPTransport.Options,
  transcript: string[] = [],
) {
  const record = (_data: unknown, message: string, ...args: unknown[]) =>
    void transcript.push(format(message, ...args));
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: bridge.port,
    name: 'nodemailer.outside.example',
    connectionTimeout: 10_000,
    tls: { ca: bridge.certificate },
    // A bunyan-like logger that keeps the SMTP transcript (debug: true logs the traffic).
    logger: {
      level: () => {},
      ...{ trace: record, debug: record, info: record },
      ...{ warn: record, error: record, fatal: record },
    },
    debug: true,
    ...options,
  });
  try {
    return await transport.sendMail({
      from,
      to: 'bob@beta.example',
      subject: tag,
      text: `Sent by nodemailer (${tag}).`,
    });
  } finally {
    transport.close();
  }
}

const AUTH = { user: ALICE.user, pass: ALICE.password };
/** The Received: line mail.alpha.example adds for an authenticated client (RFC 3848). */
const RECEIVED_ESMTPA = (helo: string) =>
  new RegExp(
    `^Received: from ${helo.replace(/\./g, '\\.')} \\(client\\.outside\\.example \\[198\\.51\\.100\\.77\\]\\)\\r\\n\\tby mail\\.alpha\\.example \\(SMTP Lab\\) with ESMTPA id `,
    'm',
  );
const RECEIVED_ESMTPSA = (helo: string) =>
  new RegExp(RECEIVED_ESMTPA(helo).source.replace('ESMTPA', 'ESMTPSA'), 'm');

// --- the tests ------------------------------------------------------------------------

describe('plaintext to the MX (mx1.beta.example:25)', { timeout: 30_000 }, () => {
  it('swaks', async () => {
    const tag = marker('swaks');
    const result = await swaks(mx, 'swaks@outside.example', tag);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/<- {2}250 2\.0\.0 Ok: queued as [0-9A-F]+/);
    const mail = findMail(mx, tag);
    expect(mail?.from).toBe('swaks@outside.example');
    expect(mail?.raw).toMatch(/^Received: from swaks\.outside\.example /m);
    expect(mail?.raw).toContain(`[${OUTSIDE_ADDRESS}]`);
  });

  it('swaks --pipeline', async () => {
    const tag = marker('swaks-pipeline');
    const result = await swaks(mx, 'swaks@outside.example', tag, '--pipeline');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // With PIPELINING, swaks sends MAIL, RCPT and DATA before reading any of their replies.
    expect(result.stdout).toMatch(
      / -> MAIL FROM:<swaks@outside\.example>\n -> RCPT TO:<bob@beta\.example>\n -> DATA\n/,
    );
    expect(findMail(mx, tag)?.raw).toContain(`Sent by swaks (${tag}).`);
  });

  it("Python's smtplib sendmail()", async () => {
    const tag = marker('smtplib');
    const result = await smtplib(mx, tag, { mode: 'plain', from: 'python@outside.example' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.summary?.refused).toEqual({});
    expect(result.summary?.offered).toContain('pipelining');
    const mail = findMail(mx, tag);
    expect(mail?.from).toBe('python@outside.example');
    // smtplib dot-stuffs the line; the server removes the extra dot again (RFC 5321 §4.5.2).
    expect(mail?.raw).toContain('\r\n.a line that starts with a dot\r\n');
  });

  it('nodemailer', async () => {
    const tag = marker('nodemailer');
    const info = await nodemailerSend(mx, 'nodemailer@outside.example', tag, {
      secure: false,
      ignoreTLS: true,
    });
    expect(info.accepted).toEqual(['bob@beta.example']);
    expect(info.rejected).toEqual([]);
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as /);
    const mail = findMail(mx, tag);
    expect(mail?.from).toBe('nodemailer@outside.example');
    expect(mail?.raw).toMatch(/^Received: from nodemailer\.outside\.example /m);
  });
});

describe('STARTTLS to the MX (mx1.beta.example:25)', { timeout: 30_000 }, () => {
  it('swaks --tls', async () => {
    const tag = marker('swaks-tls');
    const result = await swaks(mx, 'swaks@outside.example', tag, '--tls');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/<- {2}220 2\.0\.0 Ready to start TLS\n=== TLS started with /);
    expect(result.stdout).toMatch(/=== TLS peer DN="\/CN=mx1\.beta\.example"/);
    expect(result.stdout).toMatch(/~> MAIL FROM:<swaks@outside\.example>/); // "~>": over TLS
    expect(findMail(mx, tag)?.raw).toMatch(/\tby mx1\.beta\.example \(SMTP Lab\) with ESMTPS /);
    expect(eventsOf(mx, lastConn(mx)).some((e) => e.type === 'tls.handshake')).toBe(true);
  });

  it("Python's smtplib starttls()", async () => {
    const tag = marker('smtplib-tls');
    const result = await smtplib(mx, tag, { mode: 'starttls', from: 'python@outside.example' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.summary?.offered).toContain('starttls');
    expect(result.summary?.version).toMatch(/^TLSv1\.[23]$/);
    expect(result.summary?.after).not.toContain('starttls');
    expect(findMail(mx, tag)?.raw).toMatch(/ with ESMTPS /);
  });

  it('nodemailer with requireTLS', async () => {
    const tag = marker('nodemailer-tls');
    const info = await nodemailerSend(mx, 'nodemailer@outside.example', tag, {
      secure: false,
      requireTLS: true,
    });
    expect(info.accepted).toEqual(['bob@beta.example']);
    expect(findMail(mx, tag)?.raw).toMatch(/ with ESMTPS /);
  });
});

describe('submission with AUTH (mail.alpha.example:587)', { timeout: 30_000 }, () => {
  it('swaks without --auth gets 530 and nothing is sent', async () => {
    const tag = marker('swaks-noauth');
    const result = await swaks(submission, ALICE.address, tag);
    expect(result.code).toBe(23); // swaks: error in the MAIL transaction
    expect(result.stdout).toMatch(/<\*\* 530 5\.7\.0 /);
    expect(deliveredMail(submission, tag)).toBeUndefined();
  });

  it('swaks --auth PLAIN', async () => {
    const tag = marker('swaks-plain');
    const result = await swaksAuth(submission, 'PLAIN', tag);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ -> AUTH PLAIN \S+\n<- {2}235 2\.7\.0 /);
    const mail = deliveredMail(submission, tag);
    expect(mail?.from).toBe(ALICE.address);
    expect(mail?.raw).toMatch(RECEIVED_ESMTPA('swaks.outside.example'));
    // Relayed on to mx1 over STARTTLS (mail.alpha.example's client takes it when offered).
    expect(mail?.raw).toMatch(
      /^Received: from mail\.alpha\.example .*\r\n\tby mx1\.beta\.example .* with ESMTPS /m,
    );
  });

  it('swaks --auth LOGIN', async () => {
    const tag = marker('swaks-login');
    const result = await swaksAuth(submission, 'LOGIN', tag);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // RFC 4954 §4 with the LOGIN mechanism: "Username:" and "Password:", base64-encoded.
    expect(result.stdout).toMatch(/<- {2}334 VXNlcm5hbWU6\n -> \S+\n<- {2}334 UGFzc3dvcmQ6\n/);
    expect(result.stdout).toMatch(/<- {2}235 2\.7\.0 /);
    expect(deliveredMail(submission, tag)?.raw).toMatch(RECEIVED_ESMTPA('swaks.outside.example'));
  });

  it('swaks --auth PLAIN --pipeline', async () => {
    const tag = marker('swaks-auth-pipeline');
    const result = await swaksAuth(submission, 'PLAIN', tag, '--pipeline');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      / -> MAIL FROM:<alice@alpha\.example>\n -> RCPT TO:<bob@beta\.example>\n -> DATA\n/,
    );
    expect(deliveredMail(submission, tag)?.raw).toContain(`Sent by swaks (${tag}).`);
  });

  it('swaks --tls --auth PLAIN (AUTH after STARTTLS: ESMTPSA)', async () => {
    const tag = marker('swaks-tls-auth');
    const result = await swaksAuth(submission, 'PLAIN', tag, '--tls');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/=== TLS started with /);
    expect(result.stdout).toMatch(/ ~> AUTH PLAIN \S+\n<~ {2}235 2\.7\.0 /);
    expect(deliveredMail(submission, tag)?.raw).toMatch(RECEIVED_ESMTPSA('swaks.outside.example'));
  });

  it("Python's smtplib login() then sendmail()", async () => {
    const tag = marker('smtplib-login');
    const result = await smtplib(submission, tag, {
      mode: 'plain',
      from: ALICE.address,
      user: ALICE.address, // the full address works as the login too
      password: ALICE.password,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.summary?.offered).toEqual(expect.arrayContaining(['auth', 'starttls']));
    expect(result.summary?.login).toEqual([235, '2.7.0 Authentication successful']);
    expect(result.summary?.refused).toEqual({});
    expect(deliveredMail(submission, tag)?.raw).toMatch(RECEIVED_ESMTPA('python.outside.example'));
  });

  it("Python's smtplib starttls() then login()", async () => {
    const tag = marker('smtplib-tls-login');
    const result = await smtplib(submission, tag, {
      mode: 'starttls',
      from: ALICE.address,
      user: ALICE.user,
      password: ALICE.password,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.summary?.after).toContain('auth');
    expect(result.summary?.after).not.toContain('starttls');
    expect(result.summary?.login?.[0]).toBe(235);
    expect(deliveredMail(submission, tag)?.raw).toMatch(RECEIVED_ESMTPSA('python.outside.example'));
  });

  it('nodemailer with auth and requireTLS', async () => {
    const tag = marker('nodemailer-auth');
    const transcript: string[] = [];
    const info = await nodemailerSend(
      submission,
      ALICE.address,
      tag,
      { secure: false, requireTLS: true, auth: AUTH, authMethod: 'LOGIN' },
      transcript,
    );
    expect(info.accepted).toEqual(['bob@beta.example']);
    expect(transcript.join('\n')).toMatch(/STARTTLS/);
    expect(transcript.join('\n')).toMatch(/AUTH LOGIN/);
    expect(deliveredMail(submission, tag)?.raw).toMatch(
      RECEIVED_ESMTPSA('nodemailer.outside.example'),
    );
  });
});

describe('implicit TLS (mail.alpha.example:465)', { timeout: 30_000 }, () => {
  it('swaks --tlsc --auth LOGIN', async () => {
    const tag = marker('swaks-tlsc');
    const result = await swaksAuth(submissions, 'LOGIN', tag, '--tlsc');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // The TLS handshake comes first; the greeting already arrives over TLS ("<~").
    expect(result.stdout).toMatch(/=== TLS started with [^\n]*\n(?:===[^\n]*\n)*<~ {2}220 /);
    expect(result.stdout).not.toContain('STARTTLS');
    expect(deliveredMail(submissions, tag)?.raw).toMatch(RECEIVED_ESMTPSA('swaks.outside.example'));
    expect(eventsOf(submissions, lastConn(submissions))).toContainEqual(
      expect.objectContaining({ type: 'tls.handshake', implicit: true }),
    );
  });

  it("Python's smtplib SMTP_SSL with login()", async () => {
    const tag = marker('smtplib-ssl');
    const result = await smtplib(submissions, tag, {
      mode: 'ssl',
      from: ALICE.address,
      user: ALICE.user,
      password: ALICE.password,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.summary?.version).toMatch(/^TLSv1\.[23]$/);
    expect(result.summary?.offered).not.toContain('starttls');
    expect(result.summary?.login?.[0]).toBe(235);
    expect(deliveredMail(submissions, tag)?.raw).toMatch(
      RECEIVED_ESMTPSA('python.outside.example'),
    );
  });

  it('nodemailer with secure: true', async () => {
    const tag = marker('nodemailer-secure');
    const info = await nodemailerSend(submissions, ALICE.address, tag, {
      secure: true,
      auth: AUTH,
    });
    expect(info.accepted).toEqual(['bob@beta.example']);
    expect(deliveredMail(submissions, tag)?.raw).toMatch(
      RECEIVED_ESMTPSA('nodemailer.outside.example'),
    );
  });
});

describe('a bad password fails with 535 and nothing is delivered', { timeout: 30_000 }, () => {
  /** The simulated server's 535 on the connection the client just used. */
  function replied535(bridge: Bridge): boolean {
    return eventsOf(bridge, lastConn(bridge)).some(
      (e) => e.type === 'smtp.reply' && e.code === 535 && e.lines[0]!.startsWith('535 5.7.8 '),
    );
  }

  it('swaks --auth PLAIN', async () => {
    const tag = marker('swaks-badpass');
    const result = await swaks(
      submission,
      ALICE.address,
      tag,
      ...['--auth', 'PLAIN', '--auth-user', ALICE.user, '--auth-password', 'tweedledum'],
    );
    expect(result.code).toBe(28); // swaks: error in the AUTH transaction
    expect(result.stdout).toMatch(/<\*\* 535 5\.7\.8 /);
    expect(result.stdout + result.stderr).toMatch(/No authentication type succeeded/);
    expect(result.stdout).not.toContain('MAIL FROM');
    expect(replied535(submission)).toBe(true);
    expect(deliveredMail(submission, tag)).toBeUndefined();
  });

  it("Python's smtplib login() raises SMTPAuthenticationError", async () => {
    const tag = marker('smtplib-badpass');
    const result = await smtplib(submissions, tag, {
      mode: 'ssl',
      from: ALICE.address,
      user: ALICE.user,
      password: 'tweedledum',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/smtplib\.SMTPAuthenticationError: \(535, b'5\.7\.8 /);
    expect(result.stderr).toMatch(/reply: retcode \(535\)/); // smtplib's transcript
    expect(replied535(submissions)).toBe(true);
    expect(deliveredMail(submissions, tag)).toBeUndefined();
  });

  it('nodemailer rejects with EAUTH', async () => {
    const tag = marker('nodemailer-badpass');
    const transcript: string[] = [];
    const sent = nodemailerSend(
      submission,
      ALICE.address,
      tag,
      { secure: false, requireTLS: true, auth: { user: ALICE.user, pass: 'tweedledum' } },
      transcript,
    );
    await expect(sent).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
    expect(transcript.join('\n')).toMatch(/535 5\.7\.8 /);
    expect(replied535(submission)).toBe(true);
    expect(deliveredMail(submission, tag)).toBeUndefined();
  });
});
