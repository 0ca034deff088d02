import { describe, expect, it } from 'vitest';
import { lab, run, screen } from './support';

const P = 'alice@laptop:~$';
const EHLO_REPLY = [
  '250-mx1.beta.example',
  '250-PIPELINING',
  '250-SIZE 10240000',
  '250-STARTTLS',
  '250-ENHANCEDSTATUSCODES',
  '250-8BITMIME',
  '250-DSN',
  '250-SMTPUTF8',
  '250 CHUNKING',
];

/** What the client sent on the wire, in order (net.data from `host`). */
function sent(l: ReturnType<typeof lab>, host = 'laptop.alpha.example'): string {
  return l.world.trace.events
    .flatMap((e) => (e.type === 'net.data' && e.from === host ? [e.text] : []))
    .join('');
}

describe('nc (netcat-openbsd)', () => {
  it('sends piped input with -C and prints only what the server says', () => {
    expect(run(["printf 'EHLO x\\r\\nQUIT\\r\\n' | nc -C mx1.beta.example 25; echo $?"])).toBe(
      screen(
        `${P} printf 'EHLO x\\r\\nQUIT\\r\\n' | nc -C mx1.beta.example 25; echo $?`,
        '220 mx1.beta.example ESMTP SMTP Lab',
        ...EHLO_REPLY,
        '221 2.0.0 Bye',
        '0',
        P,
      ),
    );
  });

  it('is silent about the connection unless -v, and takes a service name for the port', () => {
    expect(
      run(['nc -v mx1.beta.example smtp', 'HELO laptop.alpha.example', 'QUIT', 'echo $?']),
    ).toBe(
      screen(
        `${P} nc -v mx1.beta.example smtp`,
        'Connection to mx1.beta.example (203.0.113.25) 25 port [tcp/smtp] succeeded!',
        '220 mx1.beta.example ESMTP SMTP Lab',
        'HELO laptop.alpha.example',
        '250 mx1.beta.example',
        'QUIT',
        '221 2.0.0 Bye',
        `${P} echo $?`,
        '0',
        P,
      ),
    );
  });

  it('sends typed lines with a bare LF, or CRLF with -C (each LF once)', () => {
    const plain = lab();
    run(['nc mx1.beta.example 25', 'HELO a', 'QUIT'], plain);
    expect(sent(plain)).toBe('HELO a\nQUIT\n');
    const crlf = lab();
    run(["printf 'HELO a\\r\\nNOOP\\nQUIT\\n' | nc -C mx1.beta.example 25"], crlf);
    expect(sent(crlf)).toBe('HELO a\r\nNOOP\r\nQUIT\r\n');
  });

  it('a bare LF does not end DATA: the message waits; with -C it is accepted', () => {
    const session = [
      'HELO laptop.alpha.example',
      'MAIL FROM:<alice@alpha.example>',
      'RCPT TO:<bob@beta.example>',
      'DATA',
      'Subject: hi',
      '',
      'hello',
      '.',
    ];
    const plain = lab();
    const out = run(['nc mx1.beta.example 25', ...session], plain);
    expect(out).toContain('354 End data with <CR><LF>.<CR><LF>\nSubject: hi\n\nhello\n.\n');
    expect(out).not.toContain('queued as');
    expect(plain.world.trace.events.some((e) => e.type === 'mail.accepted')).toBe(false);

    const crlf = lab();
    expect(run(['nc -C mx1.beta.example 25', ...session, 'QUIT'], crlf)).toContain(
      '.\n250 2.0.0 Ok: queued as A08FF49B6F\nQUIT\n221 2.0.0 Bye\n',
    );
  });

  it('-z only checks the port; failures are reported with -v only', () => {
    expect(
      run([
        'nc -zv mail.alpha.example 587; echo $?',
        'nc -zv 192.0.2.25 465; echo $?',
        'nc -v mx1.beta.example 2525; echo $?',
        'nc mx1.beta.example 2525; echo $?',
        'nc -z mail.alpha.example 25; echo $?',
      ]),
    ).toBe(
      screen(
        `${P} nc -zv mail.alpha.example 587; echo $?`,
        'Connection to mail.alpha.example (192.0.2.25) 587 port [tcp/submission] succeeded!',
        '0',
        `${P} nc -zv 192.0.2.25 465; echo $?`,
        'Connection to 192.0.2.25 465 port [tcp/submissions] succeeded!',
        '0',
        `${P} nc -v mx1.beta.example 2525; echo $?`,
        'nc: connect to mx1.beta.example (203.0.113.25) port 2525 (tcp) failed: Connection refused',
        '1',
        `${P} nc mx1.beta.example 2525; echo $?`,
        '1',
        `${P} nc -z mail.alpha.example 25; echo $?`,
        '0',
        P,
      ),
    );
  });

  it('says what netcat says about names, ports and usage', () => {
    expect(
      run([
        'nc nosuch.example 25',
        'nc mx1.beta.example nope',
        'nc mx1.beta.example 99999',
        'nc -x',
        'nc mx1.beta.example',
      ]),
    ).toBe(
      screen(
        `${P} nc nosuch.example 25`,
        'nc: getaddrinfo for host "nosuch.example" port 25: Name or service not known',
        `${P} nc mx1.beta.example nope`,
        'nc: getaddrinfo for host "mx1.beta.example" port nope: Servname not supported for ai_socktype',
        `${P} nc mx1.beta.example 99999`,
        'nc: port number invalid: 99999',
        `${P} nc -x`,
        "nc: invalid option -- 'x'",
        'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]',
        '          [-m minttl] [-O length] [-P proxy_username] [-p source_port]',
        '          [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]',
        '          [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]',
        '          [destination] [port]',
        `${P} nc mx1.beta.example`,
        'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]',
        '          [-m minttl] [-O length] [-P proxy_username] [-p source_port]',
        '          [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]',
        '          [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]',
        '          [destination] [port]',
        P,
      ),
    );
  });

  it('-N closes its side at the end of piped input; -q quits a while after', () => {
    const out = run(["printf 'NOOP\\n' | nc -N mx1.beta.example 25; echo $?"]);
    expect(out).toContain('220 mx1.beta.example ESMTP SMTP Lab\n250 2.0.0 Ok\n0\n');
    expect(run(["printf 'NOOP\\n' | nc -q 1 mx1.beta.example 25; echo $?"])).toContain(
      '250 2.0.0 Ok\n0\n',
    );
  });

  it('is installed everywhere, with --help and a manual page', () => {
    const out = run(['#! host mx2.beta.example', 'nc --help', 'man nc']);
    expect(out).toContain('Usage: nc [-CNvz] [-q SECONDS] [-w SECONDS] HOST PORT\n');
    expect(out).toContain('NC(1)');
    expect(out).toContain('-C     send CRLF as line ending');
  });
});
