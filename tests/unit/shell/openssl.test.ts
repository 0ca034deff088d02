import { describe, expect, it } from 'vitest';
import { base64Decode } from '../../../src/engine/base64';
import { text } from '../../../src/engine/bytes';
import { hostCertificate, pem } from '../../../src/shell/commands/certificate';
import { lab, run, screen } from './support';

const P = 'alice@laptop:~$';

const SUMMARY_587 = [
  'CONNECTED(00000003)',
  'depth=1 CN = SMTP Lab CA',
  'verify return:1',
  'depth=0 CN = mail.alpha.example',
  'verify return:1',
  '---',
  'Certificate chain',
  ' 0 s:CN = mail.alpha.example',
  '   i:CN = SMTP Lab CA',
  '   a:PKEY: id-ecPublicKey, 256 (bit); sigalg: ecdsa-with-SHA256',
  '   v:NotBefore: Jan  2 00:00:00 2026 GMT; NotAfter: Apr  2 00:00:00 2026 GMT',
  '---',
  'Server certificate',
  '-----BEGIN CERTIFICATE-----',
  'MIIBgTCCASigAwIBAgIQAR1YmHc1sTIyIWWhllRq2DAKBggqhkjOPQQDAjAWMRQw',
  'EgYDVQQDDAtTTVRQIExhYiBDQTAeFw0yNjAxMDIwMDAwMDBaFw0yNjA0MDIwMDAw',
  'MDBaMB0xGzAZBgNVBAMMEm1haWwuYWxwaGEuZXhhbXBsZTBZMBMGByqGSM49AgEG',
  'CCqGSM49AwEHA0IABLFA9MlcEZrrAHA1hNoqvG7gtE4nqq8R9MfVLOlrXw67Mdwb',
  '2+yrGWDkodmgN2on7e3GovmWn7Z1Z2tQJPunTyyjUTBPMAkGA1UdEwQCMAAwDgYD',
  'VR0PAQH/BAQDAgeAMBMGA1UdJQQMMAoGCCsGAQUFBwMBMB0GA1UdEQQWMBSCEm1h',
  'aWwuYWxwaGEuZXhhbXBsZTAKBggqhkjOPQQDAgNHADBEAiABW/Nuf5LpLq1YPU9L',
  'LQTLU08dpyRdOjhJFdyaUKg3ywIgArUp0R3W2DJ9T3YLXIXLe8ZrJQ4UMka8JHdf',
  '4oA2o0A=',
  '-----END CERTIFICATE-----',
  'subject=CN = mail.alpha.example',
  'issuer=CN = SMTP Lab CA',
  '---',
  'No client certificate CA names sent',
  'Peer signing digest: SHA256',
  'Peer signature type: ECDSA',
  'Server Temp Key: X25519, 253 bits',
  '---',
  'SSL handshake has read 780 bytes and written 410 bytes',
  'Verification: OK',
  '---',
  'New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384',
  'Server public key is 256 bit',
  'Secure Renegotiation IS NOT supported',
  'Compression: NONE',
  'Expansion: NONE',
  'No ALPN negotiated',
  'Early data was not sent',
  'Verify return code: 0 (ok)',
  '---',
  // s_client prints the last line of the EHLO reply it read before STARTTLS.
  '250 CHUNKING',
];

const VERIFY = (host: string) => [
  'depth=1 CN = SMTP Lab CA',
  'verify return:1',
  `depth=0 CN = ${host}`,
  'verify return:1',
];

describe('openssl s_client', () => {
  it('does the STARTTLS dance, prints the certificate and session, then talks SMTP over TLS', () => {
    expect(
      run([
        'openssl s_client -connect mail.alpha.example:587 -starttls smtp',
        'ehlo laptop.alpha.example',
        'QUIT',
        'echo $?',
      ]),
    ).toBe(
      screen(
        `${P} openssl s_client -connect mail.alpha.example:587 -starttls smtp`,
        ...SUMMARY_587,
        'ehlo laptop.alpha.example',
        '250-mail.alpha.example',
        '250-PIPELINING',
        '250-SIZE 10240000',
        '250-AUTH PLAIN LOGIN',
        '250-ENHANCEDSTATUSCODES',
        '250-8BITMIME',
        '250-DSN',
        '250-SMTPUTF8',
        '250 CHUNKING',
        // A line starting with Q is s_client's quit command: QUIT never reaches the server.
        'QUIT',
        'DONE',
        `${P} echo $?`,
        '0',
        P,
      ),
    );
  });

  it('speaks EHLO and STARTTLS itself, and the server session really is secure', () => {
    const l = lab();
    run(
      [
        'openssl s_client -connect mail.alpha.example:587 -starttls smtp -crlf -quiet',
        'EHLO laptop.alpha.example',
        'AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=',
        'MAIL FROM:<alice@alpha.example>',
        'RCPT TO:<bob@beta.example>',
        'DATA',
        'Subject: over TLS',
        '',
        'hello',
        '.',
        'QUIT',
      ],
      l,
    );
    const events = l.world.trace.events;
    const commands = events.flatMap((e) => (e.type === 'smtp.command' ? [e.line] : []));
    expect(commands.slice(0, 3)).toEqual([
      'EHLO mail.example.com',
      'STARTTLS',
      'EHLO laptop.alpha.example',
    ]);
    const handshake = events.find((e) => e.type === 'tls.handshake');
    expect(handshake).toMatchObject({
      server: 'mail.alpha.example',
      implicit: false,
      discarded: 0,
    });
    const [message] = l.world.mailstore('mx1.beta.example')!.messages('bob');
    expect(message?.raw).toContain('by mail.alpha.example (SMTP Lab) with ESMTPSA id');
  });

  it('implicit TLS on 465: the handshake first, then the greeting; -quiet shows no summary', () => {
    const l = lab();
    expect(
      run(['openssl s_client -connect mail.alpha.example:465 -quiet', 'EHLO laptop', 'QUIT'], l),
    ).toBe(
      screen(
        `${P} openssl s_client -connect mail.alpha.example:465 -quiet`,
        ...VERIFY('mail.alpha.example'),
        '220 mail.alpha.example ESMTP SMTP Lab',
        'EHLO laptop',
        '250-mail.alpha.example',
        '250-PIPELINING',
        '250-SIZE 10240000',
        '250-AUTH PLAIN LOGIN',
        '250-ENHANCEDSTATUSCODES',
        '250-8BITMIME',
        '250-DSN',
        '250-SMTPUTF8',
        '250 CHUNKING',
        'QUIT',
        '221 2.0.0 Bye',
        P,
      ),
    );
    expect(l.world.trace.events.find((e) => e.type === 'tls.handshake')).toMatchObject({
      implicit: true,
    });
  });

  it('R asks for renegotiation, which TLS 1.3 refuses: the connection ends (status 1)', () => {
    const out = run([
      'openssl s_client -connect mx1.beta.example:25 -starttls smtp -crlf > /dev/null',
      'EHLO laptop',
      'RCPT TO:<bob@beta.example>',
      'echo $?',
    ]);
    expect(out).toContain(
      [
        'EHLO laptop',
        'RCPT TO:<bob@beta.example>',
        'RENEGOTIATING',
        '4057B154A07F0000:error:0A00010A:SSL routines:can_renegotiate:wrong ssl version:../ssl/ssl_lib.c:2287:',
        `${P} echo $?`,
        '1',
      ].join('\n'),
    );
  });

  it('-ign_eof sends every line; the server closing ends the session ("closed")', () => {
    const out = run([
      'openssl s_client -connect mx1.beta.example:25 -starttls smtp -ign_eof',
      'RSET',
      'QUIT',
      'echo $?',
    ]);
    expect(out).toContain(
      'RSET\n250 2.0.0 Ok\nQUIT\n221 2.0.0 Bye\nclosed\nalice@laptop:~$ echo $?\n0\n',
    );
  });

  it('-brief: a short summary, and command letters off', () => {
    expect(run(['openssl s_client -connect 203.0.113.25:25 -starttls smtp -brief', 'quit'])).toBe(
      screen(
        `${P} openssl s_client -connect 203.0.113.25:25 -starttls smtp -brief`,
        'CONNECTION ESTABLISHED',
        'Protocol version: TLSv1.3',
        'Ciphersuite: TLS_AES_256_GCM_SHA384',
        'Peer certificate: CN = mx1.beta.example',
        'Hash used: SHA256',
        'Signature type: ECDSA',
        'Verification: OK',
        'Server Temp Key: X25519, 253 bits',
        '250 CHUNKING',
        'quit',
        '221 2.0.0 Bye',
        P,
      ),
    );
  });

  it('piped input: lines are sent after the handshake; end of input quits (DONE)', () => {
    const l = lab();
    const out = run(
      ["printf 'NOOP\\n' | openssl s_client -connect mx1.beta.example:25 -starttls smtp -quiet"],
      l,
    );
    expect(out).toContain('250 CHUNKING\n250 2.0.0 Ok\n');
    const quitting = run([
      "printf 'NOOP\\n' | openssl s_client -connect mx1.beta.example:25 -starttls smtp | tail -n 2",
    ]);
    expect(quitting).toContain('Verify return code: 0 (ok)\n---\n');
    expect(quitting).toContain('DONE\n');
  });

  it('TLS to a plaintext port fails as OpenSSL does', () => {
    expect(run(['openssl s_client -connect mx1.beta.example:25; echo $?'])).toBe(
      screen(
        `${P} openssl s_client -connect mx1.beta.example:25; echo $?`,
        'CONNECTED(00000003)',
        '4057B154A07F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354:',
        '---',
        'no peer certificate available',
        '---',
        'No client certificate CA names sent',
        '---',
        'SSL handshake has read 5 bytes and written 297 bytes',
        'Verification: OK',
        '---',
        'New, (NONE), Cipher is (NONE)',
        'Secure Renegotiation IS NOT supported',
        'Compression: NONE',
        'Expansion: NONE',
        'No ALPN negotiated',
        'Early data was not sent',
        'Verify return code: 0 (ok)',
        '---',
        '1',
        P,
      ),
    );
  });

  it('reports connection, name and usage errors in OpenSSL 3.0 words', () => {
    expect(
      run([
        'openssl s_client -connect mx1.beta.example:26',
        'openssl s_client -connect nosuch.example:25',
        'openssl s_client -connect mx1.beta.example',
        'openssl s_client -starttls gopher',
        'openssl s_client -connect',
        'openssl s_client -bogus',
        'openssl version',
        'openssl foo; echo $?',
      ]),
    ).toBe(
      screen(
        `${P} openssl s_client -connect mx1.beta.example:26`,
        '4057B154A07F0000:error:8000006F:system library:BIO_connect:Connection refused:../crypto/bio/bio_sock2.c:117:calling connect()',
        '4057B154A07F0000:error:10000067:BIO routines:BIO_connect:connect error:../crypto/bio/bio_sock2.c:119:',
        'connect:errno=111',
        `${P} openssl s_client -connect nosuch.example:25`,
        '4057B154A07F0000:error:10080002:BIO routines:BIO_lookup_ex:system lib:../crypto/bio/bio_addr.c:746:Name or service not known',
        'connect:errno=22',
        `${P} openssl s_client -connect mx1.beta.example`,
        's_client: -connect argument or target parameter malformed or ambiguous',
        `${P} openssl s_client -starttls gopher`,
        's_client: Value must be one of:',
        '        smtp',
        '        pop3',
        '        imap',
        '        ftp',
        '        xmpp',
        '        xmpp-server',
        '        irc',
        '        postgres',
        '        mysql',
        '        lmtp',
        '        nntp',
        '        sieve',
        '        ldap',
        `${P} openssl s_client -connect`,
        's_client: Option -connect needs a value',
        's_client: Use -help for summary.',
        `${P} openssl s_client -bogus`,
        's_client: Unknown option: -bogus',
        's_client: Use -help for summary.',
        `${P} openssl version`,
        'OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)',
        `${P} openssl foo; echo $?`,
        `Invalid command 'foo'; type "help" for a list.`,
        '1',
        P,
      ),
    );
  });

  it('shows a certificate that is well-formed DER for the host, issued by the lab CA', () => {
    const cert = hostCertificate('mx1.beta.example', Date.parse('2026-01-05T09:00:00Z'));
    const lines = pem(cert.der).trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
    expect(lines.slice(1, -2).every((l) => l.length === 64)).toBe(true);
    const der = base64Decode(lines.slice(1, -1).join(''))!;
    // SEQUENCE with a two-byte length that covers the rest exactly.
    expect([der[0], der[1]]).toEqual([0x30, 0x82]);
    expect((der[2]! << 8) + der[3]! + 4).toBe(der.length);
    expect(text(der)).toContain('mx1.beta.example');
    expect(text(der)).toContain('SMTP Lab CA');
    expect(cert.notBefore.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    // The same host always gets the same certificate.
    expect(hostCertificate('mx1.beta.example', Date.parse('2026-01-05T09:00:00Z')).der).toEqual(
      cert.der,
    );
  });

  it('is installed everywhere, with a manual page warning about Q and R', () => {
    const out = run(['#! host mx1.beta.example', 'man openssl', 'openssl s_client -help']);
    expect(out).toContain(' -crlf                      Convert LF from terminal into CRLF\n');
    expect(out).toContain('OPENSSL(1)');
    expect(out).toContain('rcpt to:<…>');
  });
});
