/**
 * openssl s_client: a TLS client for by-hand sessions (OpenSSL 3.0). With -starttls smtp
 * it first speaks plain SMTP itself, as the real one does (reads the greeting, sends EHLO,
 * sends STARTTLS, reads the 220), then does the (simulated) handshake; on an implicit-TLS
 * port such as 465 the handshake comes first. It prints the certificate and session
 * summary, then connects the terminal to the secured connection. As in the real tool, a
 * line starting with Q quits, R renegotiates (which TLS 1.3 refuses) and K updates keys —
 * unless -quiet or -ign_eof; so type "rcpt to:" in lower case, or use -quiet.
 */
import { text } from '../../engine/bytes';
import { tlsHandshake } from '../../engine/agents/smtp-client';
import type { Socket } from '../../engine/net/socket';
import { PENDING, type CommandContext } from '../program';
import { LAB_CA, hostCertificate, opensslDate, pem } from './certificate';
import { getaddrinfo, routeTo } from './resolve';
import { SERVICES } from './telnet';

const VERSION = 'OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)';
/** The thread id OpenSSL prefixes its error lines with (fixed: runs replay alike). */
const THREAD = '4057B154A07F0000';
const CIPHER = 'TLS_AES_256_GCM_SHA384';
/** What OpenSSL's -starttls smtp says in EHLO unless -name says otherwise. */
const EHLO_NAME = 'mail.example.com';
const STARTTLS_PROTOCOLS = [
  'smtp',
  'pop3',
  'imap',
  'ftp',
  'xmpp',
  'xmpp-server',
  'irc',
  'postgres',
  'mysql',
  'lmtp',
  'nntp',
  'sieve',
  'ldap',
];

const ERRNO: Record<string, [number, string]> = {
  'port-closed': [111, 'Connection refused'],
  'host-down': [110, 'Connection timed out'],
  'no-route': [113, 'No route to host'],
};

interface Options {
  host: string;
  port: number;
  starttls: string | undefined;
  crlf: boolean;
  quiet: boolean;
  brief: boolean;
  ignoreEof: boolean;
  showcerts: boolean;
  name: string;
}

const S_CLIENT_HELP = `Usage: s_client [options] [host:port]

General options:
 -help                      Display this summary

Network options:
 -connect val               TCP/IP where to connect; default: 4433)

Protocol and version options:
 -starttls val              Use the appropriate STARTTLS command before starting TLS
 -name val                  Hostname to use for "-starttls lmtp", "-starttls smtp" or "-starttls xmpp[-server]"

Session options:
 -crlf                      Convert LF from terminal into CRLF
 -quiet                     No s_client output
 -brief                     Restrict output to brief summary of connection parameters
 -ign_eof                   Ignore input eof (default when -quiet)
 -no_ign_eof                Don't ignore input eof
 -showcerts                 Show all certificates sent by the server
`;

function parseOptions(args: readonly string[]): Options | string {
  const o: Options = {
    host: 'localhost',
    port: 4433,
    starttls: undefined,
    crlf: false,
    quiet: false,
    brief: false,
    ignoreEof: false,
    showcerts: false,
    name: EHLO_NAME,
  };
  let target: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string | undefined => args[++i];
    switch (arg) {
      case '-connect':
      case '-starttls':
      case '-name':
      case '-servername':
      case '-CAfile':
      case '-CApath':
      case '-verify': {
        const v = value();
        if (v === undefined)
          return `s_client: Option ${arg} needs a value\ns_client: Use -help for summary.\n`;
        if (arg === '-connect') target = v;
        else if (arg === '-starttls') {
          if (!STARTTLS_PROTOCOLS.includes(v)) {
            return `s_client: Value must be one of:\n${STARTTLS_PROTOCOLS.map((p) => `\t${p}\n`).join('')}`;
          }
          if (v !== 'smtp') return `s_client: -starttls ${v}: this lab's servers speak only SMTP\n`;
          o.starttls = v;
        } else if (arg === '-name') o.name = v;
        break;
      }
      case '-help':
        return S_CLIENT_HELP;
      case '-crlf':
        o.crlf = true;
        break;
      case '-quiet':
        o.quiet = o.ignoreEof = true;
        break;
      case '-brief':
        o.brief = o.quiet = o.ignoreEof = true;
        break;
      case '-ign_eof':
        o.ignoreEof = true;
        break;
      case '-no_ign_eof':
        o.ignoreEof = false;
        break;
      case '-showcerts':
        o.showcerts = true;
        break;
      case '-tls1_3':
      case '-verify_return_error':
      case '-no_ssl3':
      case '-no_tls1':
      case '-no_tls1_1':
      case '-4':
        break;
      default:
        if (!arg.startsWith('-') && target === undefined) target = arg;
        else if (arg.startsWith('-')) {
          return `s_client: Unknown option: ${arg}\ns_client: Use -help for summary.\n`;
        } else return `s_client: Extra option: "${arg}"\ns_client: Use -help for summary.\n`;
    }
  }
  if (target !== undefined) {
    const m = /^(.*):([^:]+)$/.exec(target);
    const port = m ? (/^\d+$/.test(m[2]!) ? Number(m[2]) : SERVICES[m[2]!]) : undefined;
    if (!m || m[1] === '' || port === undefined) {
      return 's_client: -connect argument or target parameter malformed or ambiguous\n';
    }
    o.host = m[1]!.replace(/^\[(.*)\]$/, '$1');
    o.port = port;
  }
  return o;
}

function sClient(ctx: CommandContext): number | typeof PENDING {
  const o = parseOptions(ctx.args.slice(1));
  if (typeof o === 'string') {
    ctx.stderr.write(o);
    return 1;
  }
  const out = (s: string) => ctx.stdout.write(s);
  const err = (s: string) => ctx.stderr.write(s);
  let socket: Socket | undefined;
  let finished = false;
  let phase: 'greeting' | 'ehlo' | 'starttls' | 'handshake' | 'open' = o.starttls
    ? 'greeting'
    : 'handshake';
  let buffered = '';
  let lastEhloLine = '';
  let offered = false;
  const early: Uint8Array[] = [];
  const typed: string[] = [];

  const finish = (status: number) => {
    if (finished) return;
    finished = true;
    socket?.close();
    ctx.exit(status);
  };

  const fail = (read: number) => {
    // No TLS server on the other end: the "record" read is plaintext SMTP.
    err(
      `${THREAD}:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354:\n`,
    );
    if (!o.quiet) {
      out(
        '---\nno peer certificate available\n---\nNo client certificate CA names sent\n---\n' +
          `SSL handshake has read ${read} bytes and written ${o.starttls ? 324 : 297} bytes\n` +
          'Verification: OK\n---\nNew, (NONE), Cipher is (NONE)\nSecure Renegotiation IS NOT supported\n' +
          'Compression: NONE\nExpansion: NONE\nNo ALPN negotiated\nEarly data was not sent\n' +
          'Verify return code: 0 (ok)\n---\n',
      );
    }
    finish(1);
  };

  const summary = (s: Socket) => {
    const cert = hostCertificate(s.remote.host, ctx.world.epoch + ctx.world.clock.now);
    const host = s.remote.host;
    const chain = [
      ' 0 s:CN = ' + host,
      '   i:CN = ' + LAB_CA,
      '   a:PKEY: id-ecPublicKey, 256 (bit); sigalg: ecdsa-with-SHA256',
      `   v:NotBefore: ${opensslDate(cert.notBefore)}; NotAfter: ${opensslDate(cert.notAfter)}`,
    ];
    if (o.brief) {
      err(
        'CONNECTION ESTABLISHED\nProtocol version: TLSv1.3\n' +
          `Ciphersuite: ${CIPHER}\nPeer certificate: CN = ${host}\nHash used: SHA256\n` +
          'Signature type: ECDSA\nVerification: OK\nServer Temp Key: X25519, 253 bits\n',
      );
      return;
    }
    // The verify callback reports each certificate of the chain, the trust anchor first.
    err(`depth=1 CN = ${LAB_CA}\nverify return:1\ndepth=0 CN = ${host}\nverify return:1\n`);
    if (o.quiet) return;
    out(
      [
        '---',
        'Certificate chain',
        ...chain,
        ...(o.showcerts ? [pem(cert.der).trimEnd()] : []),
        '---',
        'Server certificate',
        pem(cert.der).trimEnd(),
        `subject=CN = ${host}`,
        `issuer=CN = ${LAB_CA}`,
        '---',
        'No client certificate CA names sent',
        'Peer signing digest: SHA256',
        'Peer signature type: ECDSA',
        'Server Temp Key: X25519, 253 bits',
        '---',
        `SSL handshake has read ${cert.der.length + 391} bytes and written ${o.starttls ? 410 : 377} bytes`,
        'Verification: OK',
        '---',
        `New, TLSv1.3, Cipher is ${CIPHER}`,
        'Server public key is 256 bit',
        'Secure Renegotiation IS NOT supported',
        'Compression: NONE',
        'Expansion: NONE',
        'No ALPN negotiated',
        'Early data was not sent',
        'Verify return code: 0 (ok)',
        '---',
        '',
      ].join('\n'),
    );
  };

  /** A line for the server, or one of s_client's command letters. */
  const line = (l: string) => {
    if (!socket || phase !== 'open') {
      typed.push(l);
      return;
    }
    if (!o.ignoreEof) {
      const c = l[0];
      if (c === 'Q') {
        err('DONE\n');
        return finish(0);
      }
      if (c === 'R') {
        err(
          `RENEGOTIATING\n${THREAD}:error:0A00010A:SSL routines:can_renegotiate:wrong ssl version:../ssl/ssl_lib.c:2287:\n`,
        );
        return finish(1);
      }
      if (c === 'k' || c === 'K') {
        err('KEY UPDATE\n');
        return;
      }
    }
    socket.write(`${l}${o.crlf ? '\r\n' : '\n'}`);
  };

  const endOfInput = () => {
    if (o.ignoreEof) return;
    err('DONE\n');
    finish(0);
  };

  const secured = (s: Socket) => {
    phase = 'open';
    summary(s);
    if (o.starttls && lastEhloLine) err(lastEhloLine + '\n');
    for (const data of early.splice(0)) out(text(data));
    for (const l of typed.splice(0)) {
      line(l);
      if (finished) return;
    }
    if (!ctx.stdin.terminal) endOfInput();
  };

  /** Plain SMTP before STARTTLS, line by line, as s_client's "ugly hack" reads it. */
  const smtp = (s: Socket, data: Uint8Array) => {
    buffered += text(data);
    for (;;) {
      if (phase === 'starttls') {
        // One read: whatever came is the answer to STARTTLS.
        const reply = buffered;
        buffered = '';
        if (!/^2\d\d/.test(reply)) return fail(reply.length);
        phase = 'handshake';
        return tlsHandshake(ctx.world, s, () => secured(s));
      }
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      const l = buffered.slice(0, end).replace(/\r$/, '');
      buffered = buffered.slice(end + 1);
      if (phase === 'ehlo' && l.includes('STARTTLS')) offered = true;
      if (l.length > 3 && l[3] === '-') continue;
      if (phase === 'greeting') {
        phase = 'ehlo';
        s.write(`EHLO ${o.name}\r\n`);
      } else if (phase === 'ehlo') {
        lastEhloLine = l;
        if (!offered) err("Didn't find STARTTLS in server response, trying anyway...\n");
        phase = 'starttls';
        s.write('STARTTLS\r\n');
        if (buffered === '') return;
      }
    }
  };

  if (ctx.stdin.terminal) {
    ctx.foreground({
      prompt: () => '',
      line,
      interrupt: () => finish(130),
      eof: endOfInput,
    });
  } else {
    typed.push(...text(ctx.stdin.data).replace(/\n$/, '').split('\n'));
    if (typed.length === 1 && typed[0] === '') typed.length = 0;
  }

  getaddrinfo(ctx, o.host, (resolved) => {
    if (!resolved.ok) {
      err(
        `${THREAD}:error:10080002:BIO routines:BIO_lookup_ex:system lib:../crypto/bio/bio_addr.c:746:${resolved.problem}\nconnect:errno=22\n`,
      );
      return finish(1);
    }
    ctx.world.net.connect(ctx.host, routeTo(ctx, resolved.address), o.port, {
      onError(reason) {
        const [errno, why] = ERRNO[reason]!;
        err(
          `${THREAD}:error:8000006F:system library:BIO_connect:${why}:../crypto/bio/bio_sock2.c:117:calling connect()\n` +
            `${THREAD}:error:10000067:BIO routines:BIO_connect:connect error:../crypto/bio/bio_sock2.c:119:\n` +
            `connect:errno=${errno}\n`,
        );
        finish(1);
      },
      onConnect(s) {
        if (finished) return s.close();
        socket = s;
        if (!o.quiet) out('CONNECTED(00000003)\n');
        s.on({
          onData(data) {
            if (phase === 'open') return ctx.stdout.write(data);
            if (phase === 'handshake' && !o.starttls) {
              // Plaintext where a TLS record should be: no TLS server here.
              const server = ctx.world.smtpd(s.remote.host, s.remote.port);
              if (server?.config.policy.tls !== 'implicit') return fail(5);
              early.push(data);
              return;
            }
            if (phase === 'handshake') return void early.push(data);
            smtp(s, data);
          },
          onClose() {
            if (phase === 'open' && !o.quiet) err('closed\n');
            finish(phase === 'open' ? 0 : 1);
          },
          onReset() {
            err(`${THREAD}:error:8000006B:system library:BIO_read:Connection reset by peer\n`);
            finish(1);
          },
        });
        if (!o.starttls) {
          const server = ctx.world.smtpd(s.remote.host, s.remote.port);
          if (server?.config.policy.tls === 'implicit') {
            tlsHandshake(ctx.world, s, () => secured(s));
          }
        }
      },
    });
  });
  return PENDING;
}

export function run(ctx: CommandContext): number | typeof PENDING {
  const [sub] = ctx.args;
  if (sub === undefined) {
    ctx.stderr.write('help:\n\nStandard commands\nversion           s_client\n\n');
    return 0;
  }
  if (sub === 'version') {
    ctx.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (sub === 's_client') return sClient(ctx);
  if (sub === 'help') {
    ctx.stdout.write('help:\n\nStandard commands\nversion           s_client\n\n');
    return 0;
  }
  ctx.stderr.write(`Invalid command '${sub}'; type "help" for a list.\n`);
  return 1;
}
