import { describe, expect, it } from 'vitest';
import { run, screen, terminal } from './support';

const P = 'alice@laptop:~$';
const TWELVE = "printf '1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n9\\n10\\n11\\n12\\n' > n.txt";

describe('tail', () => {
  it('prints the last lines or bytes, as GNU tail does', () => {
    expect(
      run([
        TWELVE,
        'tail n.txt',
        'tail -n 3 n.txt',
        'tail -2 n.txt',
        'tail -n +11 n.txt',
        'tail -c 6 n.txt',
        'cat n.txt | tail -n 2',
      ]),
    ).toBe(
      screen(
        `${P} ${TWELVE}`,
        `${P} tail n.txt`,
        ...['3', '4', '5', '6', '7', '8', '9', '10', '11', '12'],
        `${P} tail -n 3 n.txt`,
        '10',
        '11',
        '12',
        `${P} tail -2 n.txt`,
        '11',
        '12',
        `${P} tail -n +11 n.txt`,
        '11',
        '12',
        `${P} tail -c 6 n.txt`,
        '11',
        '12',
        `${P} cat n.txt | tail -n 2`,
        '11',
        '12',
        P,
      ),
    );
  });

  it('names the files when there are several (unless -q), and reports errors', () => {
    expect(
      run([
        TWELVE,
        "printf 'a\\nb\\n' > b.txt",
        'tail -n 1 b.txt n.txt',
        'tail -q -n 1 b.txt n.txt',
        'tail nope.txt; echo $?',
        'tail /tmp; echo $?',
        'tail -n x n.txt',
        'tail --bogus',
      ]),
    ).toBe(
      screen(
        `${P} ${TWELVE}`,
        `${P} printf 'a\\nb\\n' > b.txt`,
        `${P} tail -n 1 b.txt n.txt`,
        '==> b.txt <==',
        'b',
        '',
        '==> n.txt <==',
        '12',
        `${P} tail -q -n 1 b.txt n.txt`,
        'b',
        '12',
        `${P} tail nope.txt; echo $?`,
        "tail: cannot open 'nope.txt' for reading: No such file or directory",
        '1',
        `${P} tail /tmp; echo $?`,
        "tail: error reading '/tmp': Is a directory",
        '1',
        `${P} tail -n x n.txt`,
        'tail: invalid number of lines: ‘x’',
        `${P} tail --bogus`,
        "tail: unrecognized option '--bogus'",
        "Try 'tail --help' for more information.",
        P,
      ),
    );
  });

  it('shows /var/log/mail.log on a mail host, in syslog form, to root only', () => {
    const out = run([
      'swaks --to bob@beta.example -s mx1.beta.example --quit-after rcpt > /dev/null',
      '#! host mx1.beta.example',
      'ls -l /var/log/mail.log',
      'tail -n 4 /var/log/mail.log',
      '#! host laptop.alpha.example',
      'ssh alice@mail.alpha.example tail /var/log/mail.log',
      'ls /var/log',
    ]);
    expect(out).toContain(
      [
        'root@mx1:~# tail -n 4 /var/log/mail.log',
        'Jan  5 09:00:00 mx1 postfix/smtpd[25098]: connect from laptop.alpha.example[192.0.2.10]',
        'Jan  5 09:00:00 mx1 postfix/smtpd[25098]: disconnect from laptop.alpha.example[192.0.2.10] ehlo=1 mail=1 rcpt=1 quit=1 commands=4',
      ].join('\n'),
    );
    expect(out).toMatch(/\n-rw-r----- 1 root adm \d+ Jan {2}5 09:00 \/var\/log\/mail\.log\n/);
    expect(out).toContain("tail: cannot open '/var/log/mail.log' for reading: Permission denied");
    // The laptop has no mail log.
    expect(out).toMatch(/alice@laptop:~\$ ls \/var\/log\nalice@laptop:~\$/);
  });

  it('-f follows the log until Ctrl-C in a live terminal', () => {
    const t = terminal('mx1.beta.example');
    t.session.type('tail -f -n 0 /var/log/mail.log');
    const other = t.lab.open('laptop.alpha.example', () => {}, { color: false });
    other.start();
    other.type('echo hi | mail -s follow bob@beta.example');
    // Unwrapped: what was printed, without the line editor's redraws.
    const shown = t.raw.join('').replace(/\r|\x1b\[J/g, '');
    expect(shown).toContain(
      'root@mx1:~# tail -f -n 0 /var/log/mail.log\nJan  5 09:00:00 mx1 postfix/smtpd[25098]: connect from mail.alpha.example[192.0.2.25]\n',
    );
    expect(shown).toContain('status=sent (delivered to mailbox)\n');
    t.session.input('\x03');
    t.session.type('echo $?');
    expect(t.screen.text()).toMatch(/\n\^C\nroot@mx1:~# echo \$\?\n130\nroot@mx1:~#$/);
  });

  it('-f in a lab run script prints what is there and stops', () => {
    expect(run([TWELVE, 'tail -f -n 1 n.txt', 'echo done'])).toBe(
      screen(`${P} ${TWELVE}`, `${P} tail -f -n 1 n.txt`, '12', `${P} echo done`, 'done', P),
    );
  });
});
