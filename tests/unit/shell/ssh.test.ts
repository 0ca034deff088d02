import { describe, expect, it } from 'vitest';
import { builtInScenario } from '../../../src/engine/scenario';
import { Lab } from '../../../src/shell/lab';
import { run, screen, terminal } from './support';

const P = 'alice@laptop:~$';
const USAGE = [
  'usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]',
  '           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]',
  '           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]',
  '           [-i identity_file] [-J [user@]host[:port]] [-L address]',
  '           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option]',
  '           [-P tag] [-p port] [-Q query_option] [-R address]',
  '           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]',
  '           destination [command [argument ...]]',
];

describe('ssh', () => {
  it('opens a shell on another host in the same terminal, and exit comes back', () => {
    expect(
      run([
        'ssh mail.alpha.example',
        'hostname -f',
        'whoami',
        'exit',
        'ssh mail.alpha.example',
        'exit 3',
        'echo $?',
        'cat .ssh/known_hosts',
      ]),
    ).toBe(
      screen(
        `${P} ssh mail.alpha.example`,
        "Warning: Permanently added 'mail.alpha.example' (ED25519) to the list of known hosts.",
        'root@mail:~# hostname -f',
        'mail.alpha.example',
        'root@mail:~# whoami',
        'root',
        'root@mail:~# exit',
        'logout',
        'Connection to mail.alpha.example closed.',
        `${P} ssh mail.alpha.example`,
        'root@mail:~# exit 3',
        'logout',
        'Connection to mail.alpha.example closed.',
        `${P} echo $?`,
        '3',
        `${P} cat .ssh/known_hosts`,
        'mail.alpha.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGp7+JzBhrH9Q2bSVNamLrPIiaZLlTWuoysxOspD5E6c',
        P,
      ),
    );
  });

  it('logs in as USER@ or -l, as the lab’s ssh_config says otherwise; nests', () => {
    expect(
      run([
        'ssh -q root@ns.example',
        'ssh -l alice laptop.alpha.example',
        'whoami',
        'logout',
        'exit',
        'cat /etc/ssh/ssh_config.d/smtp-lab.conf',
      ]),
    ).toBe(
      screen(
        `${P} ssh -q root@ns.example`,
        'root@ns:~# ssh -l alice laptop.alpha.example',
        "Warning: Permanently added 'laptop.alpha.example' (ED25519) to the list of known hosts.",
        `${P} whoami`,
        'alice',
        `${P} logout`,
        'logout',
        'Connection to laptop.alpha.example closed.',
        'root@ns:~# exit',
        'logout',
        'Connection to ns.example closed.',
        `${P} cat /etc/ssh/ssh_config.d/smtp-lab.conf`,
        '# SMTP Lab: the account ssh logs in as on each host of this world.',
        'StrictHostKeyChecking accept-new',
        '',
        'Host laptop.alpha.example 192.0.2.10',
        '    User alice',
        'Host mail.alpha.example 192.0.2.25',
        '    User root',
        'Host ns.example 198.51.100.53',
        '    User root',
        'Host mx1.beta.example 203.0.113.25',
        '    User root',
        'Host mx2.beta.example 203.0.113.26',
        '    User root',
        P,
      ),
    );
  });

  it('runs a COMMAND there and comes back with its status; its output can be piped', () => {
    expect(
      run([
        'ssh -q mx1.beta.example hostname; echo $?',
        "ssh -q mx1.beta.example 'false'; echo $?",
        "ssh -q mx1.beta.example 'hostname; hostname -f' | tail -n 1",
        'echo hostname | ssh -q mx2.beta.example',
      ]),
    ).toBe(
      screen(
        `${P} ssh -q mx1.beta.example hostname; echo $?`,
        'mx1',
        '0',
        `${P} ssh -q mx1.beta.example 'false'; echo $?`,
        '1',
        `${P} ssh -q mx1.beta.example 'hostname; hostname -f' | tail -n 1`,
        'mx1.beta.example',
        `${P} echo hostname | ssh -q mx2.beta.example`,
        'Pseudo-terminal will not be allocated because stdin is not a terminal.',
        'mx2',
        P,
      ),
    );
  });

  it('waits for a COMMAND that takes time, and hands typed lines to one that reads them', () => {
    expect(
      run([
        'ssh -q mx1.beta.example dig +short MX beta.example; echo $?',
        'ssh -q mx1.beta.example telnet localhost 25',
        'QUIT',
        'echo back',
      ]),
    ).toBe(
      screen(
        `${P} ssh -q mx1.beta.example dig +short MX beta.example; echo $?`,
        '10 mx1.beta.example.',
        '20 mx2.beta.example.',
        '0',
        `${P} ssh -q mx1.beta.example telnet localhost 25`,
        'Trying 127.0.0.1...',
        'Connected to localhost.',
        "Escape character is '^]'.",
        '220 mx1.beta.example ESMTP SMTP Lab',
        'QUIT',
        '221 2.0.0 Bye',
        'Connection closed by foreign host.',
        `${P} echo back`,
        'back',
        P,
      ),
    );
  });

  it('says what OpenSSH says when it cannot log in', () => {
    expect(
      run([
        'ssh bob@mail.alpha.example; echo $?',
        'ssh nosuch.example; echo $?',
        'ssh -p 2222 mx1.beta.example; echo $?',
        'ssh -z',
        'ssh; echo $?',
      ]),
    ).toBe(
      screen(
        `${P} ssh bob@mail.alpha.example; echo $?`,
        'bob@mail.alpha.example: Permission denied (publickey).',
        '255',
        `${P} ssh nosuch.example; echo $?`,
        'ssh: Could not resolve hostname nosuch.example: Name or service not known',
        '255',
        `${P} ssh -p 2222 mx1.beta.example; echo $?`,
        'ssh: connect to host mx1.beta.example port 2222: Connection refused',
        '255',
        `${P} ssh -z`,
        'unknown option -- z',
        ...USAGE,
        `${P} ssh; echo $?`,
        ...USAGE,
        '255',
        P,
      ),
    );
  });

  it('times out on a host that is down', () => {
    expect(run(['ssh mx1.beta.example; echo $?'], new Lab(builtInScenario('mx-fallback')))).toBe(
      screen(
        `${P} ssh mx1.beta.example; echo $?`,
        'ssh: connect to host mx1.beta.example port 22: Connection timed out',
        '255',
        P,
      ),
    );
  });

  it('hands every key to the remote shell: Tab completion, its own history, Ctrl-D', () => {
    const t = terminal();
    t.session.type('ssh -q mx1.beta.example');
    t.session.input('mail\t\t');
    expect(t.screen.text().split('\n').slice(-2)).toEqual(['mail  mailq', 'root@mx1:~# mail']);
    t.session.input('\x15hostname\r');
    t.session.input('\x1b[A');
    expect(t.screen.text().split('\n').at(-1)).toBe('root@mx1:~# hostname');
    t.session.input('\x15\x04');
    expect(t.screen.text().split('\n').slice(-3)).toEqual([
      'root@mx1:~# logout',
      'Connection to mx1.beta.example closed.',
      P,
    ]);
    // The laptop's own history has the ssh line, not what was typed on mx1.
    t.session.input('\x1b[A');
    expect(t.screen.text().split('\n').at(-1)).toBe(`${P} ssh -q mx1.beta.example`);
    expect(t.session.innermost).toBe(t.session);
  });

  it('keeps a script typing into the remote shell across #! host switches', () => {
    expect(
      run([
        'ssh -q mx2.beta.example',
        '#! host mx1.beta.example',
        'hostname',
        '#! host laptop.alpha.example',
        'hostname',
      ]),
    ).toBe(
      screen(
        `${P} ssh -q mx2.beta.example`,
        'root@mx2:~#',
        '== mx1.beta.example ==',
        'root@mx1:~# hostname',
        'mx1',
        'root@mx1:~#',
        '== laptop.alpha.example ==',
        'root@mx2:~# hostname',
        'mx2',
        'root@mx2:~#',
      ),
    );
  });

  it('is installed everywhere, with a manual page', () => {
    expect(run(['#! host ns.example', 'man ssh'])).toContain('SSH(1)');
  });
});
