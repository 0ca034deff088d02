import { describe, expect, it } from 'vitest';
import { lab, run, screen } from './support';

const P = 'alice@laptop:~$';
const M = 'root@mail:~#';

describe('sendmail on the laptop (msmtp)', () => {
  it('submits a message file as it is, adding Date: and From: when missing', () => {
    const l = lab();
    expect(
      run(
        [
          "printf 'Subject: report\\n\\nAll fine.\\n' > message.txt",
          'cat message.txt | sendmail bob@beta.example; echo $?',
        ],
        l,
      ),
    ).toBe(
      screen(
        `${P} printf 'Subject: report\\n\\nAll fine.\\n' > message.txt`,
        `${P} cat message.txt | sendmail bob@beta.example; echo $?`,
        '0',
        P,
      ),
    );
    const [message] = l.world.mailstore('mx1.beta.example')!.messages('bob');
    expect(message?.raw).toMatch(
      /\r\nSubject: report\r\nDate: Mon, 5 Jan 2026 09:00:00 \+0000\r\nFrom: alice@alpha\.example\r\n\r\nAll fine\.\r\n$/,
    );
    // Submitted with STARTTLS and AUTH, as /etc/msmtprc says.
    expect(message?.raw).toContain('by mail.alpha.example (SMTP Lab) with ESMTPSA id');
  });

  it('-t takes the recipients from the headers and drops Bcc:', () => {
    const l = lab();
    run(
      [
        "printf 'To: bob@beta.example\\nBcc: carol@beta.example\\nSubject: t\\n\\nx\\n' > m.txt",
        'sendmail -t < m.txt',
      ],
      l,
    );
    const store = l.world.mailstore('mx1.beta.example')!;
    expect(store.messages('bob')).toHaveLength(1);
    expect(store.messages('carol')).toHaveLength(1);
    expect(store.messages('carol')[0]!.raw).not.toMatch(/^bcc:/im);
  });

  it('reports what the server refused, in msmtp’s words and exit codes', () => {
    expect(
      run([
        "printf 'Subject: t\\n\\nx\\n' > m.txt",
        'sendmail nobody@alpha.example < m.txt; echo $?',
        'sendmail < m.txt; echo $?',
        "printf 'account default\\nhost mail.alpha.example\\nport 2525\\n' > ~/.msmtprc",
        'sendmail bob@beta.example < m.txt; echo $?',
      ]),
    ).toBe(
      screen(
        `${P} printf 'Subject: t\\n\\nx\\n' > m.txt`,
        `${P} sendmail nobody@alpha.example < m.txt; echo $?`,
        'sendmail: recipient address nobody@alpha.example not accepted by the server',
        'sendmail: server message: 550 5.1.1 <nobody@alpha.example>: Recipient address rejected: User unknown in local recipient table',
        'sendmail: could not send mail (account default from /etc/msmtprc)',
        '69',
        `${P} sendmail < m.txt; echo $?`,
        'sendmail: no recipients found',
        '64',
        `${P} printf 'account default\\nhost mail.alpha.example\\nport 2525\\n' >`,
        ' ~/.msmtprc',
        `${P} sendmail bob@beta.example < m.txt; echo $?`,
        'sendmail: cannot connect to mail.alpha.example, port 2525: Connection refused',
        'sendmail: could not send mail (account default from /home/alice/.msmtprc)',
        '69',
        P,
      ),
    );
  });

  it('keeps the account in /etc/msmtprc, which only msmtp (and root) can read', () => {
    const out = run(['ls -l /etc/msmtprc', 'cat /etc/msmtprc']);
    expect(out).toMatch(/\n-rw-r----- 1 root msmtp \d+ Jan {2}5 09:00 \/etc\/msmtprc\n/);
    expect(out).toContain('cat: /etc/msmtprc: Permission denied\n');
    expect(run(['#! host mx1.beta.example', 'ls /etc/msmtprc'])).toContain(
      "ls: cannot access '/etc/msmtprc': No such file or directory",
    );
  });

  it('reads the message typed at the terminal until Ctrl-D', () => {
    const l = lab();
    run(['sendmail bob@beta.example', 'Subject: typed', '', 'hello', '\x04'], l);
    expect(l.world.mailstore('mx1.beta.example')!.messages('bob')[0]?.raw).toContain(
      '\r\nSubject: typed\r\n',
    );
  });
});

describe('sendmail on a mail host (Postfix)', () => {
  it('queues locally: a single dot ends the message unless -i; -f sets the sender', () => {
    const l = lab();
    expect(
      run(
        [
          '#! host mail.alpha.example',
          "printf 'Subject: one\\n\\nline\\n.\\nafter\\n' | sendmail alice; echo $?",
          "printf 'Subject: two\\n\\nline\\n.\\nafter\\n' | sendmail -i -f postmaster@alpha.example alice",
          'tail -n 5 /var/log/mail.log',
        ],
        l,
      ),
    ).toBe(
      screen(
        '== mail.alpha.example ==',
        `${M} printf 'Subject: one\\n\\nline\\n.\\nafter\\n' | sendmail alice; echo $?`,
        '0',
        `${M} printf 'Subject: two\\n\\nline\\n.\\nafter\\n' | sendmail -i -f postmaster@alpha.example alice`.slice(
          0,
          80,
        ),
        `${M} printf 'Subject: two\\n\\nline\\n.\\nafter\\n' | sendmail -i -f postmaster@alpha.example alice`.slice(
          80,
        ),
        `${M} tail -n 5 /var/log/mail.log`,
        'Jan  5 09:00:00 mail postfix/pickup[25909]: 772632716C: uid=0 from=<postmaster@alpha.example>',
        'Jan  5 09:00:00 mail postfix/cleanup[27459]: 772632716C: message-id=<20260105090000.772632716C@mail.alpha.example>',
        'Jan  5 09:00:00 mail postfix/qmgr[8202]: 772632716C: from=<postmaster@alpha.example>, size=276, nrcpt=1 (queue active)',
        'Jan  5 09:00:00 mail postfix/local[18056]: 772632716C: to=<alice@alpha.example>, relay=local, delay=0, dsn=2.0.0, status=sent (delivered to mailbox)',
        'Jan  5 09:00:00 mail postfix/qmgr[8202]: 772632716C: removed',
        M,
      ),
    );
    const [one, two] = l.world.mailstore('mail.alpha.example')!.messages('alice');
    expect(one?.raw).toMatch(/\r\n\r\nline\r\n$/);
    expect(two?.raw).toMatch(/^Return-Path: <postmaster@alpha\.example>\r\n/);
    expect(two?.raw).toMatch(/\r\n\r\nline\r\n\.\r\nafter\r\n$/);
  });

  it('complains as Postfix does without recipients; -bp lists the queue', () => {
    expect(
      run([
        '#! host mail.alpha.example',
        'sendmail < /dev/null; echo $?',
        'sendmail -t < /dev/null',
        'sendmail -bp',
      ]),
    ).toBe(
      screen(
        '== mail.alpha.example ==',
        `${M} sendmail < /dev/null; echo $?`,
        'sendmail: fatal: root(0): Recipient addresses must be specified on the command line or via the -t option',
        '64',
        `${M} sendmail -t < /dev/null`,
        'sendmail: fatal: root(0): No recipient addresses found in message header',
        `${M} sendmail -bp`,
        'Mail queue is empty',
        M,
      ),
    );
  });

  it('has a manual page in section 8 and is missing on the name server', () => {
    const out = run(['man sendmail', '#! host ns.example', 'sendmail x']);
    expect(out).toContain('SENDMAIL(8)');
    expect(out).toContain('-bash: sendmail: command not found');
  });
});
