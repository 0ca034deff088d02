/**
 * postconf and postfix reload: main.cf shows who may relay, root edits it, and the running
 * server takes the new settings on reload — for new connections only, as Postfix's smtpd.
 */
import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../../src/engine/scenario';
import { Lab } from '../../../src/shell/lab';
import { run, screen } from './support';

const openRelay = () => new Lab(builtInScenario('open-relay'));

const RELAY_ATTEMPT = [
  'telnet mx1.beta.example 25',
  'EHLO spammer.outside.example',
  'MAIL FROM:<security@alpha.example>',
  'RCPT TO:<alice@alpha.example>',
];

describe('postconf', () => {
  it('shows main.cf as the scenario sets the host up', () => {
    expect(run(['#! host mx1.beta.example', 'postconf'], openRelay())).toBe(
      screen(
        '== mx1.beta.example ==',
        'root@mx1:~# postconf',
        'delay_warning_time = 4h',
        'disable_vrfy_command = no',
        'hopcount_limit = 50',
        'mail_version = 3.7.11',
        'maximal_backoff_time = 1h',
        'maximal_queue_lifetime = 1d',
        'message_size_limit = 10240000',
        'minimal_backoff_time = 300s',
        'mydestination = $myhostname, beta.example',
        'myhostname = mx1.beta.example',
        'mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128 0.0.0.0/0',
        'relay_domains =',
        'smtpd_banner = $myhostname ESMTP SMTP Lab',
        'smtpd_recipient_limit = 100',
        'smtpd_recipient_restrictions =',
        'smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination',
        'smtpd_sasl_auth_enable = no',
        'smtpd_tls_auth_only = no',
        'smtpd_tls_security_level = may',
        'root@mx1:~#',
      ),
    );
    expect(run(['#! host mx2.beta.example', 'postconf -h relay_domains mynetworks nope'])).toBe(
      screen(
        '== mx2.beta.example ==',
        'root@mx2:~# postconf -h relay_domains mynetworks nope',
        'beta.example',
        '127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128',
        'postconf: warning: nope: unknown parameter',
        'root@mx2:~#',
      ),
    );
  });

  it("names each scenario's policy as Postfix does", () => {
    const show = (scenario: string, host: string, names: string) =>
      run([`#! host ${host}`, `postconf -h ${names}`], new Lab(builtInScenario(scenario)))
        .split('\n')
        .slice(2, -2);
    expect(show('size-limit', 'mx1.beta.example', 'message_size_limit')).toEqual(['10000']);
    expect(show('greylisting', 'mx1.beta.example', 'smtpd_recipient_restrictions')).toEqual([
      'check_policy_service inet:127.0.0.1:10023',
    ]);
    // mail.alpha.example's port 25 is its MX service; AUTH lives on 587 (master.cf).
    expect(
      show('default', 'mail.alpha.example', 'smtpd_sasl_auth_enable smtpd_tls_security_level'),
    ).toEqual(['no', 'may']);
  });

  it('is a Postfix tool: on mail hosts only', () => {
    expect(run('postconf\npostfix reload\n')).toBe(
      screen(
        'alice@laptop:~$ postconf',
        '-bash: postconf: command not found',
        'alice@laptop:~$ postfix reload',
        '-bash: postfix: command not found',
        'alice@laptop:~$',
      ),
    );
    expect(run(['#! host spammer.outside.example', 'postconf'], openRelay())).toContain(
      '-bash: postconf: command not found',
    );
  });

  it('refuses what the lab cannot run, saying why', () => {
    const out = run(
      [
        '#! host mx1.beta.example',
        "postconf -e 'myhostname = evil.example'",
        "postconf -e 'mynetworks = everyone'",
        "postconf -e 'smtpd_relay_restrictions = permit'",
        'postconf -e message_size_limit=0',
        'postconf -e message_size_limit=10k',
        'postconf -x',
        'postconf mynetworks',
      ],
      openRelay(),
    );
    expect(out).toContain(
      'postconf: SMTP Lab: only message_size_limit, mynetworks and smtpd_relay_restrictions can be changed here',
    );
    expect(out).toContain('message_size_limit is a whole number of octets from 1, not "0"');
    expect(out).toContain('message_size_limit is a whole number of octets from 1, not "10k"');
    expect(out).toContain('postconf: fatal: mynetworks: bad net/mask pattern: "everyone"');
    expect(out).toContain('smtpd_relay_restrictions may list permit_mynetworks');
    expect(out).toContain("postconf: invalid option -- 'x'");
    // Nothing was written.
    expect(out).toMatch(
      /mynetworks = 127\.0\.0\.0\/8 \[::ffff:127\.0\.0\.0\]\/104 \[::1\]\/128 0\.0\.0\.0\/0\n/,
    );
  });
});

describe('postfix reload', () => {
  it('closes the open relay for new connections; a session already open keeps the old rules', () => {
    const lab = openRelay();
    const out = run(
      [
        '#! host spammer.outside.example',
        ...RELAY_ATTEMPT.slice(0, 3),
        '#! host mx1.beta.example',
        "postconf -e 'mynetworks = 127.0.0.0/8'",
        'postconf -n mynetworks',
        '#! host spammer.outside.example',
        // Edited, not reloaded: mx1 still relays.
        'RCPT TO:<alice@alpha.example>',
        '#! host mx1.beta.example',
        'postfix reload',
        '#! host spammer.outside.example',
        // The session that was open before the reload goes on as it began.
        'RCPT TO:<carol@alpha.example>',
        'QUIT',
        ...RELAY_ATTEMPT,
        'RCPT TO:<bob@beta.example>',
        'QUIT',
      ],
      lab,
    );
    expect(out).toContain('root@mx1:~# postconf -n mynetworks\nmynetworks = 127.0.0.0/8\n');
    expect(out).toContain(
      'root@mx1:~# postfix reload\npostfix/postfix-script: refreshing the Postfix mail system\n',
    );
    const rcpt = [...out.matchAll(/^RCPT TO:<(.*)>\n(.*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(rcpt).toEqual([
      'alice@alpha.example 250 2.1.5 Ok',
      'carol@alpha.example 250 2.1.5 Ok',
      'alice@alpha.example 554 5.7.1 <alice@alpha.example>: Relay access denied',
      'bob@beta.example 250 2.1.5 Ok',
    ]);
  });

  it('follows smtpd_relay_restrictions: without permit_sasl_authenticated a login does not relay', () => {
    const out = run([
      'ssh mail.alpha.example',
      "postconf -e 'smtpd_relay_restrictions = permit_mynetworks reject_unauth_destination'",
      'postfix reload',
      'exit',
      'telnet mail.alpha.example 587',
      'EHLO laptop.alpha.example',
      'AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=',
      'MAIL FROM:<alice@alpha.example>',
      'RCPT TO:<bob@beta.example>',
      'QUIT',
    ]);
    expect(out).toContain('235 2.7.0 Authentication successful');
    expect(out).toContain('554 5.7.1 <bob@beta.example>: Relay access denied');
  });

  it('takes a new message_size_limit: SIZE in the EHLO reply, and 552 beyond it', () => {
    const out = run([
      '#! host mx1.beta.example',
      'postconf -e message_size_limit=5000',
      'postfix reload',
      '#! host laptop.alpha.example',
      'telnet mx1.beta.example 25',
      'EHLO laptop.alpha.example',
      'MAIL FROM:<alice@alpha.example> SIZE=5001',
      'MAIL FROM:<alice@alpha.example> SIZE=5000',
      'QUIT',
    ]);
    expect(out).toContain('250-SIZE 5000\n');
    expect(out).toContain(
      'MAIL FROM:<alice@alpha.example> SIZE=5001\n552 5.3.4 Message size exceeds fixed limit\n',
    );
    expect(out).toContain('MAIL FROM:<alice@alpha.example> SIZE=5000\n250 2.1.0 Ok\n');
  });

  it("logs the reload to the mail log, as Postfix's master does", () => {
    const out = run(
      ['#! host mx1.beta.example', 'postfix reload', 'tail -n 1 /var/log/mail.log'],
      openRelay(),
    );
    expect(out).toMatch(
      /^root@mx1:~# tail -n 1 \/var\/log\/mail\.log\n\w{3} [ \d]\d \d\d:\d\d:\d\d mx1 postfix\/master\[\d+\]: reload -- version 3\.7\.11, configuration \/etc\/postfix\n/m,
    );
  });

  it('is for root, and knows check and flush', () => {
    expect(
      run(['ssh alice@mail.alpha.example', 'postfix reload', 'postconf -e mynetworks=', 'exit']),
    ).toContain('postfix: fatal: the postfix command is reserved for the superuser\n');
    expect(run(['ssh alice@mail.alpha.example', 'postconf -e mynetworks=', 'exit'])).toContain(
      'postconf: fatal: open /etc/postfix/main.cf.tmp: Permission denied\n',
    );
    expect(run(['#! host mx1.beta.example', 'postfix check', 'echo $?', 'postfix stop'])).toContain(
      "root@mx1:~# postfix check\nroot@mx1:~# echo $?\n0\nroot@mx1:~# postfix stop\npostfix/postfix-script: fatal: unknown command: 'stop'",
    );
  });
});
