import { describe, expect, it } from 'vitest';
import { swaksData } from '../../../src/shell/commands/swaks-program';
import { lab, run, screen } from './support';

const P = 'alice@laptop:~$';

/** A typed command line as the 80-column terminal wraps it. */
function typed(command: string): string[] {
  return `${P} ${command}`.match(/.{1,80}/g)!.map((row) => row.trimEnd());
}

const MX1_EHLO = (mark: string, tls = false) =>
  [
    '250-mx1.beta.example',
    '250-PIPELINING',
    '250-SIZE 10240000',
    ...(tls ? [] : ['250-STARTTLS']),
    '250-ENHANCEDSTATUSCODES',
    '250-8BITMIME',
    '250-DSN',
    '250-SMTPUTF8',
    '250 CHUNKING',
  ].map((l) => `${mark} ${l}`);

const MAIL_EHLO = (mark: string, starttls: boolean) =>
  [
    '250-mail.alpha.example',
    '250-PIPELINING',
    '250-SIZE 10240000',
    ...(starttls ? ['250-STARTTLS'] : []),
    '250-AUTH PLAIN LOGIN',
    '250-ENHANCEDSTATUSCODES',
    '250-8BITMIME',
    '250-DSN',
    '250-SMTPUTF8',
    '250 CHUNKING',
  ].map((l) => `${mark} ${l}`);

const TLS_STARTED = (host: string) => [
  '=== TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256',
  '=== TLS no local certificate set',
  `=== TLS peer DN="/CN=${host}"`,
];

describe('swaks', () => {
  it('sends its test message to the recipient domain’s MX, printing the transcript', () => {
    const l = lab();
    expect(run(['swaks --to bob@beta.example --from alice@alpha.example', 'echo $?'], l)).toBe(
      screen(
        `${P} swaks --to bob@beta.example --from alice@alpha.example`,
        '=== Trying mx1.beta.example:25...',
        '=== Connected to mx1.beta.example.',
        '<-  220 mx1.beta.example ESMTP SMTP Lab',
        ' -> EHLO laptop.alpha.example',
        ...MX1_EHLO('<- '),
        ' -> MAIL FROM:<alice@alpha.example>',
        '<-  250 2.1.0 Ok',
        ' -> RCPT TO:<bob@beta.example>',
        '<-  250 2.1.5 Ok',
        ' -> DATA',
        '<-  354 End data with <CR><LF>.<CR><LF>',
        ' -> Date: Mon, 05 Jan 2026 09:00:00 +0000',
        ' -> To: bob@beta.example',
        ' -> From: alice@alpha.example',
        ' -> Subject: test Mon, 05 Jan 2026 09:00:00 +0000',
        ' -> Message-Id: <20260105090000.001338@laptop.alpha.example>',
        ' -> X-Mailer: swaks v20201014.0 jetmore.org/john/code/swaks/',
        ' ->',
        ' -> This is a test mailing',
        ' ->',
        ' ->',
        ' -> .',
        '<-  250 2.0.0 Ok: queued as A08FF49B6F',
        ' -> QUIT',
        '<-  221 2.0.0 Bye',
        '=== Connection closed with remote host.',
        `${P} echo $?`,
        '0',
        P,
      ),
    );
    const [message] = l.world.mailstore('mx1.beta.example')!.messages('bob');
    expect(message?.raw).toContain(
      '\r\nX-Mailer: swaks v20201014.0 jetmore.org/john/code/swaks/\r\n',
    );
  });

  it('STARTTLS (~> and <~ once TLS is on), AUTH PLAIN, on the submission port', () => {
    const l = lab();
    const out = run(
      [
        'swaks --to bob@beta.example -s mail.alpha.example:587 --tls -a -au alice -ap wonderland',
        'echo $?',
      ],
      l,
    );
    expect(out).toBe(
      screen(
        ...typed(
          'swaks --to bob@beta.example -s mail.alpha.example:587 --tls -a -au alice -ap wonderland',
        ),
        '=== Trying mail.alpha.example:587...',
        '=== Connected to mail.alpha.example.',
        '<-  220 mail.alpha.example ESMTP SMTP Lab',
        ' -> EHLO laptop.alpha.example',
        ...MAIL_EHLO('<- ', true),
        ' -> STARTTLS',
        '<-  220 2.0.0 Ready to start TLS',
        ...TLS_STARTED('mail.alpha.example'),
        ' ~> EHLO laptop.alpha.example',
        ...MAIL_EHLO('<~ ', false),
        ' ~> AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=',
        '<~  235 2.7.0 Authentication successful',
        ' ~> MAIL FROM:<alice@laptop.alpha.example>',
        '<~  250 2.1.0 Ok',
        ' ~> RCPT TO:<bob@beta.example>',
        '<~  250 2.1.5 Ok',
        ' ~> DATA',
        '<~  354 End data with <CR><LF>.<CR><LF>',
        ' ~> Date: Mon, 05 Jan 2026 09:00:00 +0000',
        ' ~> To: bob@beta.example',
        ' ~> From: alice@laptop.alpha.example',
        ' ~> Subject: test Mon, 05 Jan 2026 09:00:00 +0000',
        ' ~> Message-Id: <20260105090000.001338@laptop.alpha.example>',
        ' ~> X-Mailer: swaks v20201014.0 jetmore.org/john/code/swaks/',
        ' ~>',
        ' ~> This is a test mailing',
        ' ~>',
        ' ~>',
        ' ~> .',
        '<~  250 2.0.0 Ok: queued as A08FF49B6F',
        ' ~> QUIT',
        '<~  221 2.0.0 Bye',
        '=== Connection closed with remote host.',
        `${P} echo $?`,
        '0',
        P,
      ),
    );
    // The MSA relayed it on to bob.
    expect(l.world.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
  });

  it('implicit TLS with --tlsc, AUTH LOGIN, and --quit-after rcpt', () => {
    expect(
      run([
        'swaks -t bob@beta.example -s mail.alpha.example --tlsc -a LOGIN -au alice -ap wonderland -q to',
      ]),
    ).toBe(
      screen(
        ...typed(
          'swaks -t bob@beta.example -s mail.alpha.example --tlsc -a LOGIN -au alice -ap wonderland -q to',
        ),
        '=== Trying mail.alpha.example:465...',
        '=== Connected to mail.alpha.example.',
        ...TLS_STARTED('mail.alpha.example'),
        '<~  220 mail.alpha.example ESMTP SMTP Lab',
        ' ~> EHLO laptop.alpha.example',
        ...MAIL_EHLO('<~ ', false),
        ' ~> AUTH LOGIN',
        '<~  334 VXNlcm5hbWU6',
        ' ~> YWxpY2U=',
        '<~  334 UGFzc3dvcmQ6',
        ' ~> d29uZGVybGFuZA==',
        '<~  235 2.7.0 Authentication successful',
        ' ~> MAIL FROM:<alice@laptop.alpha.example>',
        '<~  250 2.1.0 Ok',
        ' ~> RCPT TO:<bob@beta.example>',
        '<~  250 2.1.5 Ok',
        ' ~> QUIT',
        '<~  221 2.0.0 Bye',
        '=== Connection closed with remote host.',
        P,
      ),
    );
  });

  it('marks replies it did not expect with <** (<~* under TLS) and exits as swaks does', () => {
    expect(run(['swaks --to nobody@beta.example -s mx1.beta.example --tls; echo $?'])).toBe(
      screen(
        ...typed('swaks --to nobody@beta.example -s mx1.beta.example --tls; echo $?'),
        '=== Trying mx1.beta.example:25...',
        '=== Connected to mx1.beta.example.',
        '<-  220 mx1.beta.example ESMTP SMTP Lab',
        ' -> EHLO laptop.alpha.example',
        ...MX1_EHLO('<- '),
        ' -> STARTTLS',
        '<-  220 2.0.0 Ready to start TLS',
        ...TLS_STARTED('mx1.beta.example'),
        ' ~> EHLO laptop.alpha.example',
        ...MX1_EHLO('<~ ', true),
        ' ~> MAIL FROM:<alice@laptop.alpha.example>',
        '<~  250 2.1.0 Ok',
        ' ~> RCPT TO:<nobody@beta.example>',
        '<~* 550 5.1.1 <nobody@beta.example>: Recipient address rejected: User unknown in local recipient table',
        ' ~> QUIT',
        '<~  221 2.0.0 Bye',
        '=== Connection closed with remote host.',
        '24',
        P,
      ),
    );
  });

  it('a failed AUTH is 28, with the reason on standard error', () => {
    const out = run([
      'swaks --to bob@beta.example -s mail.alpha.example:587 -a -au alice -ap wrong > /dev/null',
      'echo $?',
      'swaks --to bob@beta.example -s mx1.beta.example -a -au alice -ap x 2>&1 | tail -n 5',
    ]);
    expect(out).toContain('*** No authentication type succeeded\nalice@laptop:~$ echo $?\n28\n');
    expect(out).toContain(
      '<-  250 CHUNKING\n*** Host did not advertise authentication\n -> QUIT\n<-  221 2.0.0 Bye\n',
    );
  });

  it('--tls against a server that does not offer STARTTLS is 29', () => {
    const l = lab({
      hosts: [
        { name: 'laptop.alpha.example', address: '192.0.2.10', role: 'workstation', user: 'alice' },
        {
          name: 'mx1.beta.example',
          address: '203.0.113.25',
          role: 'mx',
          smtp: [{ port: 25, tls: 'none' }],
          localDomains: ['beta.example'],
        },
        { name: 'ns.example', address: '198.51.100.53', role: 'dns' },
      ],
      domains: [{ name: 'beta.example', mx: [{ preference: 10, host: 'mx1.beta.example' }] }],
      users: [{ address: 'bob@beta.example', mailHost: 'mx1.beta.example' }],
    });
    const out = run(['swaks --to bob@beta.example --tls 2>&1 | tail -n 5', 'echo $?'], l);
    expect(out).toContain(
      '<-  250 CHUNKING\n*** Host did not advertise STARTTLS\n -> QUIT\n<-  221 2.0.0 Bye\n=== Connection closed with remote host.\n',
    );
    expect(run(['swaks --to bob@beta.example --tls > /dev/null 2>&1; echo $?'], l)).toContain(
      '\n29\n',
    );
  });

  it('pipelines MAIL, RCPT and DATA with --pipeline; --header and --h-NAME change headers', () => {
    const out = run([
      "swaks -t bob@beta.example -s mx1.beta.example --pipeline --h-Subject Hi --header 'X-Lab: 1'",
    ]);
    expect(out).toContain(
      [
        ' -> MAIL FROM:<alice@laptop.alpha.example>',
        ' -> RCPT TO:<bob@beta.example>',
        ' -> DATA',
        '<-  250 2.1.0 Ok',
        '<-  250 2.1.5 Ok',
        '<-  354 End data with <CR><LF>.<CR><LF>',
        ' -> Date: Mon, 05 Jan 2026 09:00:00 +0000',
        ' -> To: bob@beta.example',
        ' -> From: alice@laptop.alpha.example',
        ' -> Subject: Hi',
        ' -> Message-Id: <20260105090000.001338@laptop.alpha.example>',
        ' -> X-Mailer: swaks v20201014.0 jetmore.org/john/code/swaks/',
        ' -> X-Lab: 1',
        ' ->',
        ' -> This is a test mailing',
      ].join('\n'),
    );
  });

  it('--data sends the given DATA (\\n for line breaks, @FILE, dots quoted); -n counts lines', () => {
    const l = lab();
    const out = run(
      [
        "printf 'Subject: from a file\\n\\n.hidden\\nend\\n' > msg.txt",
        'swaks --to bob@beta.example -s mx1.beta.example --data @msg.txt',
        "swaks --to bob@beta.example -s mx1.beta.example -d 'Subject: x\\n\\nhi' -n",
      ],
      l,
    );
    expect(out).toContain(
      ' -> Subject: from a file\n ->\n -> ..hidden\n -> end\n ->\n -> .\n<-  250 2.0.0 Ok: queued as',
    );
    expect(out).toContain('<-  354 End data with <CR><LF>.<CR><LF>\n -> 4 lines sent\n');
    const [first] = l.world.mailstore('mx1.beta.example')!.messages('bob');
    expect(first?.raw).toMatch(/\r\nSubject: from a file\r\n\r\n\.hidden\r\nend\r\n\r\n$/);
  });

  it('--quit-after stops at the stage named, saying QUIT', () => {
    const out = run([
      'swaks -s mx1.beta.example --quit-after banner',
      'swaks -s mx1.beta.example --quit-after STARTTLS --tls',
    ]);
    expect(out).toContain(
      '<-  220 mx1.beta.example ESMTP SMTP Lab\n -> QUIT\n<-  221 2.0.0 Bye\n=== Connection closed with remote host.\n',
    );
    expect(out).toContain(
      '=== TLS peer DN="/CN=mx1.beta.example"\n ~> QUIT\n<~  221 2.0.0 Bye\n=== Connection closed with remote host.\n',
    );
  });

  it('asks for what is missing, as swaks does', () => {
    expect(run(['swaks -s mx1.beta.example --quit-after rcpt', 'bob@beta.example'])).toContain(
      `${P} swaks -s mx1.beta.example --quit-after rcpt\nTo: bob@beta.example\n=== Trying mx1.beta.example:25...\n`,
    );
    expect(
      run([
        'swaks -t bob@beta.example -s mail.alpha.example:587 -a -q auth',
        'alice',
        'wonderland',
      ]),
    ).toContain('Username: alice\nPassword: wonderland\n=== Trying mail.alpha.example:587...\n');
  });

  it('reports connection and usage errors with swaks’ exit codes', () => {
    expect(
      run([
        'swaks --to bob@beta.example -s mx1.beta.example:2525; echo $?',
        'swaks --to bob@beta.example -s nosuch.example; echo $?',
        'swaks --to bob@beta.example --quit-after foo; echo $?',
        'swaks --bogus; echo $?',
        'swaks -t bob@beta.example -a CRAM-MD5 -au a -ap b; echo $?',
        'swaks --version',
      ]),
    ).toBe(
      screen(
        `${P} swaks --to bob@beta.example -s mx1.beta.example:2525; echo $?`,
        '=== Trying mx1.beta.example:2525...',
        '*** Error connecting to mx1.beta.example:2525:',
        '***     IO::Socket::INET6: connect: Connection refused',
        '2',
        `${P} swaks --to bob@beta.example -s nosuch.example; echo $?`,
        '=== Trying nosuch.example:25...',
        '*** Error connecting to nosuch.example:25:',
        '***     IO::Socket::INET6: getaddrinfo: Name or service not known',
        '2',
        `${P} swaks --to bob@beta.example --quit-after foo; echo $?`,
        '*** Unknown quit_after value foo, exiting',
        '1',
        `${P} swaks --bogus; echo $?`,
        'Unknown option: bogus',
        '1',
        `${P} swaks -t bob@beta.example -a CRAM-MD5 -au a -ap b; echo $?`,
        "*** CRAM-MD5 is not supported by the lab's servers",
        '*** No auth types supported',
        '1',
        `${P} swaks --version`,
        'swaks version 20201014.0',
        '',
        '        Copyright (c) 2003-2008,2010-2020 John Jetmore <jj33@pobox.com>',
        '',
        P,
      ),
    );
  });

  it('builds DATA as swaks does: header replacement, %NEW_HEADERS%, two blank lines after the body', () => {
    const base = {
      data: undefined,
      body: 'Body',
      headers: [] as string[],
      addHeaders: [] as string[],
      to: 'b@x',
      from: 'a@y',
      date: 'D',
      messageId: 'M@h',
    };
    expect(swaksData(base)).toBe(
      'Date: D\r\nTo: b@x\r\nFrom: a@y\r\nSubject: test D\r\nMessage-Id: <M@h>\r\n' +
        'X-Mailer: swaks v20201014.0 jetmore.org/john/code/swaks/\r\n\r\nBody\r\n\r\n\r\n',
    );
    expect(swaksData({ ...base, headers: ['Subject: S', 'X-A: 1\\nX-B: 2'] })).toContain(
      'Subject: S\r\nMessage-Id: <M@h>\r\nX-Mailer: swaks v20201014.0 jetmore.org/john/code/swaks/\r\nX-A: 1\r\nX-B: 2\r\n\r\nBody',
    );
    expect(swaksData({ ...base, data: 'Subject: x\\n\\nline\\n.\\n', headers: ['X-C: 3'] })).toBe(
      'Subject: x\r\nX-C: 3\r\n\r\nline\r\n',
    );
  });

  it('is installed on every host, with --help and a manual page', () => {
    const out = run(['#! host mx1.beta.example', 'swaks --help', 'man swaks']);
    expect(out).toContain('Usage: swaks --to RCPT[,RCPT…] [--server HOST[:PORT]] [OPTION]...\n');
    expect(out).toContain('SWAKS(1)');
    expect(out).toContain('--quit-after, -q STAGE');
  });
});
