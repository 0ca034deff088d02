import { describe, expect, it } from 'vitest';
import { lab, run, screen, terminal } from './support';

const P = 'alice@laptop:~$';
const R = 'root@mx1:~#';

/** A typed command line as the 80-column terminal wraps it. */
function typed(command: string): string[] {
  return `${P} ${command}`.match(/.{1,80}/g)!.map((row) => row.trimEnd());
}

/** The SMTP commands the server on `host`:`port` received, in order. */
function commands(l: ReturnType<typeof lab>, server: string): string[] {
  return l.world.trace.events.flatMap((e) =>
    e.type === 'smtp.command' && e.server === server ? [e.line] : [],
  );
}

describe('mail: sending', () => {
  it('submits from the laptop as a mail client does: 587, STARTTLS, AUTH as alice', () => {
    const l = lab();
    expect(
      run(["echo 'See you at noon.' | mail -s Lunch -b carol@beta.example bob@beta.example"], l),
    ).toBe(
      screen(
        ...typed("echo 'See you at noon.' | mail -s Lunch -b carol@beta.example bob@beta.example"),
        P,
      ),
    );
    expect(commands(l, 'mail.alpha.example').slice(0, 6)).toEqual([
      'EHLO laptop.alpha.example',
      'STARTTLS',
      'EHLO laptop.alpha.example',
      'AUTH PLAIN ****',
      'MAIL FROM:<alice@alpha.example> SIZE=170',
      'RCPT TO:<bob@beta.example>',
    ]);
    const store = l.world.mailstore('mx1.beta.example')!;
    const [toBob] = store.messages('bob');
    expect(toBob?.raw).toMatch(
      /\r\nFrom: alice@alpha\.example\r\nTo: bob@beta\.example\r\nSubject: Lunch\r\n[^]*\r\n\r\nSee you at noon\.\r\n$/,
    );
    // Bcc: in the envelope only.
    expect(store.messages('carol')).toHaveLength(1);
    expect(toBob?.raw).not.toMatch(/^bcc:/im);
  });

  it('reads a typed body until a single dot, asking Subject: and Cc: (ask, askcc)', () => {
    const l = lab();
    expect(
      run(
        [
          'mail bob@beta.example',
          'Lunch?',
          'See you at noon.',
          '.',
          'carol@beta.example',
          'echo $?',
        ],
        l,
      ),
    ).toBe(
      screen(
        `${P} mail bob@beta.example`,
        'Subject: Lunch?',
        'See you at noon.',
        '.',
        'Cc: carol@beta.example',
        `${P} echo $?`,
        '0',
        P,
      ),
    );
    const [message] = l.world.mailstore('mx1.beta.example')!.messages('carol');
    expect(message?.raw).toContain('\r\nCc: carol@beta.example\r\nSubject: Lunch?\r\n');
  });

  it('ends the body with Ctrl-D too, and Ctrl-C twice kills the letter into ~/dead.letter', () => {
    const t = terminal();
    t.session.type('mail -s hi bob@beta.example');
    t.session.input('first line\r\x04');
    expect(t.screen.text().split('\n').slice(-2)).toEqual(['first line', 'Cc:']);
    t.session.input('\r');
    expect(t.lab.world.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);

    t.session.type('mail -s oops bob@beta.example');
    t.session.input('draft\r\x03\x03');
    t.session.type('cat dead.letter');
    expect(t.screen.text()).toContain(
      'draft\n^C\n(Interrupt -- one more to kill letter)\n^C\nalice@laptop:~$ cat dead.letter\ndraft\n',
    );
    expect(t.lab.world.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
  });

  it('warns about an empty body, and -E does not send it', () => {
    const l = lab();
    expect(
      run(
        [
          'mail -s hi bob@beta.example < /dev/null; echo $?',
          'mail -E -s hi bob@beta.example < /dev/null',
        ],
        l,
      ),
    ).toBe(
      screen(
        `${P} mail -s hi bob@beta.example < /dev/null; echo $?`,
        "Null message body; hope that's ok",
        '0',
        `${P} mail -E -s hi bob@beta.example < /dev/null`,
        P,
      ),
    );
    expect(l.world.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
  });

  it('reports a refused submission as msmtp does (here: a wrong password in ~/.msmtprc)', () => {
    const out = run([
      "printf 'account default\\nhost mail.alpha.example\\nport 587\\n' > ~/.msmtprc",
      "printf 'auth on\\nuser alice\\npassword nope\\ntls on\\n' >> ~/.msmtprc",
      'echo hi | mail -s x bob@beta.example; echo $?',
    ]);
    expect(out).toContain(
      [
        `${P} echo hi | mail -s x bob@beta.example; echo $?`,
        'sendmail: authentication failed (method PLAIN)',
        'sendmail: server message: 535 5.7.8 Error: authentication failed: authentication failure',
        'sendmail: could not send mail (account default from /home/alice/.msmtprc)',
        '77',
      ].join('\n'),
    );
  });

  it('on a mail host, queues the message locally (pickup), as Postfix’s sendmail does', () => {
    const l = lab();
    run(
      ['#! host mx1.beta.example', 'echo hello | mail -s local bob', 'tail -n 5 /var/log/mail.log'],
      l,
    );
    const [message] = l.world.mailstore('mx1.beta.example')!.messages('bob');
    expect(message?.raw).toMatch(
      /^Return-Path: <root@mx1\.beta\.example>\r\nDelivered-To: bob@beta\.example\r\nReceived: by mx1\.beta\.example \(SMTP Lab, from userid 0\)\r\n\tid ([0-9A-F]{10}); Mon, 5 Jan 2026 09:00:00 \+0000\r\nTo: bob\r\nSubject: local\r\nMessage-Id: <20260105090000\.\1@mx1\.beta\.example>\r\nDate: Mon, 5 Jan 2026 09:00:00 \+0000\r\nFrom: root <root@mx1\.beta\.example>\r\n\r\nhello\r\n$/,
    );
    const log = l.world.trace.events.flatMap((e) =>
      e.type === 'log' ? [`${e.program}: ${e.text}`] : [],
    );
    expect(log.slice(0, 2)).toEqual([
      'postfix/pickup: A08FF49B6F: uid=0 from=<root>',
      'postfix/cleanup: A08FF49B6F: message-id=<20260105090000.A08FF49B6F@mx1.beta.example>',
    ]);
  });

  it('rejects bad usage as bsd-mailx does', () => {
    expect(run(['mail -z', 'mail -s'])).toBe(
      screen(
        `${P} mail -z`,
        "mail: invalid option -- 'z'",
        'Usage: mail [-EIinv] [-a header] [-b bcc-addr] [-c cc-addr] [-s subject] to-addr ...',
        '       [- sendmail-options ...]',
        '       mail [-EIiNnv] -f [name]',
        '       mail [-EIiNnv] [-u user]',
        `${P} mail -s`,
        "mail: option requires an argument -- 's'",
        'Usage: mail [-EIinv] [-a header] [-b bcc-addr] [-c cc-addr] [-s subject] to-addr ...',
        '       [- sendmail-options ...]',
        '       mail [-EIiNnv] -f [name]',
        '       mail [-EIiNnv] [-u user]',
        P,
      ),
    );
  });
});

describe('mail: reading', () => {
  /** bob gets two messages from alice, then the terminal moves to mx1. */
  const SEND = [
    'echo hi | mail -s first bob@beta.example',
    "echo 'See you at noon.' | mail -s Lunch? bob@beta.example",
    '#! host mx1.beta.example',
  ];

  it('lists, reads, deletes and quits like bsd-mailx, and the deletion is real', () => {
    const l = lab();
    const out = run([...SEND, 'mail -u bob', '2', 'n', 'd 1', 'h', 'q', 'mail -u bob', 'x'], l);
    expect(out.slice(out.indexOf('== mx1'))).toBe(
      screen(
        '== mx1.beta.example ==',
        `${R} mail -u bob`,
        'Mail version 8.1.2 01/15/2001.  Type ? for help.',
        '"/var/mail/bob": 2 messages 2 new',
        '>N  1 alice@alpha.examp  Mon Jan  5 09:00   17/638   first',
        ' N  2 alice@alpha.examp  Mon Jan  5 09:00   17/655   Lunch?',
        '& 2',
        'Message 2:',
        'From alice@alpha.example  Mon Jan  5 09:00:00 2026',
        'Date: Mon, 5 Jan 2026 09:00:00 +0000',
        'From: alice@alpha.example',
        'To: bob@beta.example',
        'Subject: Lunch?',
        '',
        'See you at noon.',
        '',
        '& n',
        'At EOF',
        '& d 1',
        '& h',
        '>   2 alice@alpha.examp  Mon Jan  5 09:00   17/655   Lunch?',
        '& q',
        'Held 1 message in /var/mail/bob',
        `${R} mail -u bob`,
        'Mail version 8.1.2 01/15/2001.  Type ? for help.',
        '"/var/mail/bob": 1 message',
        '>   1 alice@alpha.examp  Mon Jan  5 09:00   17/655   Lunch?',
        '& x',
        R,
      ),
    );
    const left = l.world.mailstore('mx1.beta.example')!.messages('bob');
    expect(left.map((m) => m.raw.match(/Subject: (.*)\r\n/)?.[1])).toEqual(['Lunch?']);
  });

  it('x leaves without deleting; unread messages come back as U; P shows every header', () => {
    const l = lab();
    const out = run(
      [
        ...SEND,
        'mail -u bob',
        'd *',
        'x',
        'mail -u bob',
        'q',
        'mail -u bob',
        'P 1',
        'q',
        'mail -N -u bob',
        'q',
      ],
      l,
    );
    expect(out).toContain(
      '& d *\n& x\nroot@mx1:~# mail -u bob\nMail version 8.1.2 01/15/2001.  Type ? for help.\n"/var/mail/bob": 2 messages 2 new\n',
    );
    expect(out).toContain('"/var/mail/bob": 2 messages 2 unread\n>U  1 alice@alpha.examp');
    expect(out).toContain(
      '& P 1\nMessage 1:\nFrom alice@alpha.example  Mon Jan  5 09:00:00 2026\nReturn-Path: <alice@alpha.example>\nDelivered-To: bob@beta.example\nReceived: from mail.alpha.example',
    );
    expect(out).toContain(
      'Held 2 messages in /var/mail/bob\nroot@mx1:~# mail -N -u bob\nMail version 8.1.2 01/15/2001.  Type ? for help.\n"/var/mail/bob": 2 messages 1 unread\n& q\n',
    );
    expect(l.world.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(2);
  });

  it('says "No mail for alice" on the laptop: her mailbox is on mail.alpha.example', () => {
    const out = run([
      'echo hi | mail -s note alice@alpha.example',
      'mail; echo $?',
      'ssh alice@mail.alpha.example',
      'mail',
      'q',
    ]);
    expect(out).toContain(`${P} mail; echo $?\nNo mail for alice\n1\n`);
    expect(out).toContain(
      'alice@mail:~$ mail\nMail version 8.1.2 01/15/2001.  Type ? for help.\n"/var/mail/alice": 1 message 1 new\n>N  1 alice@alpha.examp  Mon Jan  5 09:00',
    );
  });

  it('saves to a file, reads an mbox file with -f, and explains mistakes', () => {
    const out = run([
      ...SEND,
      'mail -u bob',
      's 1 saved',
      's 2 saved',
      '7',
      'frobnicate',
      'x',
      'mail -f saved',
      'd 2',
      'q',
      'mail -f saved',
      'x',
      'mail -f nothing.here',
    ]);
    expect(out).toContain(
      '& s 1 saved\n"saved" [New file] 17/638\n& s 2 saved\n"saved" [Appended] 17/655\n',
    );
    expect(out).toContain(
      '& 7\n7: Invalid message number\n& frobnicate\nUnknown command: "frobnicate"\n',
    );
    expect(out).toContain(
      `${R} mail -f saved\nMail version 8.1.2 01/15/2001.  Type ? for help.\n"saved": 2 messages 2 new\n`,
    );
    expect(out).toContain('& q\n"saved" complete\n');
    expect(out).toContain(
      '"saved": 1 message 1 new\n>N  1 alice@alpha.examp  Mon Jan  5 09:00   17/638   first\n& x\n',
    );
    expect(out).toContain(`${R} mail -f nothing.here\nnothing.here: No such file or directory\n`);
  });

  it('replies with R: To: the sender, Subject: Re:', () => {
    const l = lab();
    const out = run([...SEND, 'mail -u bob', 'R 1', 'Thanks!', '.', '', 'q'], l);
    expect(out).toContain(
      '& R 1\nTo: alice@alpha.example\nSubject: Re: first\n\nThanks!\n.\nCc:\n& q\n',
    );
    const reply = l.world.mailstore('mail.alpha.example')!.messages('alice').at(-1);
    expect(reply?.raw).toContain('\r\nSubject: Re: first\r\n');
  });

  it('only root reads other people’s mail', () => {
    const out = run(['ssh alice@mx1.beta.example', 'mail -u bob'], lab());
    expect(out).toContain('Permission denied (publickey).');
    expect(run(['#! host mx1.beta.example', 'mail -u nobody; echo $?'])).toContain(
      'No mail for nobody\n1\n',
    );
  });

  it('has help, a manual page, and is missing where no mail system is', () => {
    const out = run(['man mail', '#! host ns.example', 'mail']);
    expect(out).toContain('MAIL(1)');
    expect(out).toContain('-bash: mail: command not found');
  });
});
