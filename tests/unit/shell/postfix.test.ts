import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../../src/engine/scenario';
import { Lab } from '../../../src/shell/lab';
import { run, screen } from './support';

const M = 'root@mail:~#';
const DNS_REASON =
  '(Host or domain name not found. Name service error for name=beta.example type=MX: Host not found, try again)';

/** mail.alpha.example cannot resolve beta.example: what it sends waits in its queue. */
const stuck = () => new Lab(builtInScenario('dns-failure'));

describe('mailq and postqueue -p', () => {
  it('list the queue as Postfix does: ID (* while active), size, arrival, sender, reasons', () => {
    expect(
      run(
        [
          '#! host mail.alpha.example',
          'mailq',
          'echo hi | mail -s test bob@beta.example',
          "printf 'Subject: two\\n\\nx\\n' | sendmail bob@beta.example carol@beta.example",
          'mailq',
          'postqueue -p | tail -n 1',
        ],
        stuck(),
      ),
    ).toBe(
      screen(
        '== mail.alpha.example ==',
        `${M} mailq`,
        'Mail queue is empty',
        `${M} echo hi | mail -s test bob@beta.example`,
        `${M} printf 'Subject: two\\n\\nx\\n' | sendmail bob@beta.example carol@beta`,
        '.example',
        `${M} mailq`,
        '-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------',
        'A08FF49B6F      286 Mon Jan  5 09:00:00  root@mail.alpha.example',
        DNS_REASON,
        '                                         bob@beta.example',
        '',
        '772632716C      262 Mon Jan  5 09:00:00  root@mail.alpha.example',
        DNS_REASON,
        '                                         bob@beta.example',
        '                                         carol@beta.example',
        '',
        '-- 0 Kbytes in 2 Requests.',
        `${M} postqueue -p | tail -n 1`,
        '-- 0 Kbytes in 2 Requests.',
        M,
      ),
    );
  });

  it('mark a message being delivered with *, and show the backup MX holding mail for a host that is down', () => {
    const out = run(
      [
        '#! host mail.alpha.example',
        'echo hi | mail -s down bob@beta.example',
        'mailq',
        '#! host mx2.beta.example',
        'sleep 1m',
        'mailq',
      ],
      new Lab(builtInScenario('mx-fallback')),
    );
    expect(out).toContain(
      'A08FF49B6F*     286 Mon Jan  5 09:00:00  root@mail.alpha.example\n                                         bob@beta.example\n\n-- 0 Kbytes in 1 Request.\n',
    );
    expect(out).toContain(
      '772632716C      471 Mon Jan  5 09:00:30  root@mail.alpha.example\n(connect to mx1.beta.example[203.0.113.25]:25: Connection timed out)\n                                         bob@beta.example\n',
    );
  });

  it('postqueue -j prints one JSON object per message', () => {
    const out = run(
      ['#! host mail.alpha.example', 'echo hi | mail -s t bob@beta.example', 'postqueue -j'],
      stuck(),
    );
    const line = out.split('\n').find((l) => l.startsWith('{'))!;
    expect(JSON.parse(line)).toEqual({
      queue_name: 'deferred',
      queue_id: 'A08FF49B6F',
      arrival_time: Date.parse('2026-01-05T09:00:00Z') / 1000,
      message_size: 283,
      forced_expire: false,
      sender: 'root@mail.alpha.example',
      recipients: [{ address: 'bob@beta.example', delay_reason: DNS_REASON.slice(1, -1) }],
    });
  });

  it('postqueue -f tries every waiting message again now', () => {
    const lab = stuck();
    run(['#! host mail.alpha.example', 'echo hi | mail -s t bob@beta.example'], lab);
    const attempts = () => lab.world.trace.events.filter((e) => e.type === 'queue.deferred').length;
    expect(attempts()).toBe(1);
    run(['#! host mail.alpha.example', 'postqueue -f'], lab);
    expect(attempts()).toBe(2);
  });

  it('are only on mail hosts, and complain about usage as Postfix does', () => {
    expect(
      run([
        'mailq',
        '#! host mx1.beta.example',
        'postqueue; echo $?',
        'postqueue -x',
        'postqueue -i',
      ]),
    ).toBe(
      screen(
        'alice@laptop:~$ mailq',
        '-bash: mailq: command not found',
        'alice@laptop:~$',
        '== mx1.beta.example ==',
        'root@mx1:~# postqueue; echo $?',
        'postqueue: fatal: usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site',
        '64',
        'root@mx1:~# postqueue -x',
        "postqueue: invalid option -- 'x'",
        'postqueue: fatal: usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site',
        'root@mx1:~# postqueue -i',
        'postqueue: fatal: option -i requires an argument',
        'root@mx1:~#',
      ),
    );
  });
});

describe('postsuper -d', () => {
  it('deletes one message, or ALL, saying so on standard error', () => {
    const lab = stuck();
    expect(
      run(
        [
          '#! host mail.alpha.example',
          'echo 1 | mail -s one bob@beta.example',
          'echo 2 | mail -s two bob@beta.example',
          'echo 3 | mail -s three bob@beta.example',
          'postsuper -d A08FF49B6F',
          'postsuper -d A08FF49B6F',
          'postsuper -d no/such',
          'postsuper -d ALL',
          'mailq',
        ],
        lab,
      ),
    ).toBe(
      screen(
        '== mail.alpha.example ==',
        `${M} echo 1 | mail -s one bob@beta.example`,
        `${M} echo 2 | mail -s two bob@beta.example`,
        `${M} echo 3 | mail -s three bob@beta.example`,
        `${M} postsuper -d A08FF49B6F`,
        'postsuper: A08FF49B6F: removed',
        'postsuper: Deleted: 1 message',
        `${M} postsuper -d A08FF49B6F`,
        `${M} postsuper -d no/such`,
        'postsuper: warning: invalid mail queue id: no/such',
        `${M} postsuper -d ALL`,
        'postsuper: Deleted: 2 messages',
        `${M} mailq`,
        'Mail queue is empty',
        M,
      ),
    );
    const removed = lab.world.trace.events.filter((e) => e.type === 'queue.removed');
    expect(removed.map((e) => e.type === 'queue.removed' && e.how)).toEqual([
      'deleted',
      'deleted',
      'deleted',
    ]);
  });

  it('reads queue IDs from standard input with -d -', () => {
    const out = run(
      [
        '#! host mail.alpha.example',
        'echo 1 | mail -s one bob@beta.example',
        'echo A08FF49B6F | postsuper -d -',
      ],
      stuck(),
    );
    expect(out).toContain('postsuper: A08FF49B6F: removed\npostsuper: Deleted: 1 message\n');
  });

  it('is for root only', () => {
    expect(run(['ssh alice@mail.alpha.example', 'postsuper -d ALL; echo $?', 'mailq'])).toContain(
      'alice@mail:~$ postsuper -d ALL; echo $?\npostsuper: fatal: use of this command is reserved for the superuser\n1\nalice@mail:~$ mailq\nMail queue is empty\n',
    );
  });

  it('has manual pages', () => {
    const out = run(['#! host mx2.beta.example', 'man mailq postqueue postsuper']);
    expect(out).toContain('MAILQ(1)');
    expect(out).toContain('POSTQUEUE(1)');
    expect(out).toContain('POSTSUPER(8)');
  });
});
