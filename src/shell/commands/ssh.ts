/** `ssh`: its manual page; the program is in ssh-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

export const sshCommand: CommandSpec = {
  name: 'ssh',
  summary: 'OpenSSH remote login client: a shell on another host of the lab',
  completes: 'hosts',
  man: {
    synopsis: ['ssh [-q] [-l LOGIN] [-p PORT] [USER@]HOST [COMMAND]'],
    description: [
      'Log in to HOST and run a shell there, in this terminal: the prompt shows the user and host you are on. Type exit (or press Ctrl-D) to come back; ssh then says "Connection to HOST closed." With a COMMAND, ssh runs just that command on HOST and comes back.',
      'Without USER@ or -l, ssh logs in as the account /etc/ssh/ssh_config.d/smtp-lab.conf names for that host: root on the servers, alice on her laptop. The lab’s keys are trusted everywhere, so no password is asked; an account that does not exist on HOST is refused ("Permission denied (publickey)"). The first time you reach a host, its key is added to ~/.ssh/known_hosts.',
    ],
    options: [
      ['-l LOGIN', 'the user to log in as (the same as LOGIN@HOST)'],
      ['-p PORT', 'the port of the SSH server (22)'],
      ['-q', 'quiet: no warnings'],
    ],
    examples: [
      [
        'ssh mail.alpha.example',
        'A root shell on alice’s provider’s mail server (mailq, tail /var/log/mail.log).',
      ],
      [
        'ssh alice@mail.alpha.example',
        'alice on the mail server, where her mailbox is: then mail.',
      ],
      ['ssh mx1.beta.example mailq', 'Run one command there.'],
    ],
    seeAlso: ['exit(1)', 'hostname(1)'],
  },
  run: lazyRun(() => import('./ssh-program').then((m) => m.run)),
};
