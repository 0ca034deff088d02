/** `postconf` and `postfix` (kept short: this module is in the first bundle); the programs are in postconf-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';
import { isMailHost } from './transport';

const load = () => import('./postconf-program');

export const postconfCommand: CommandSpec = {
  name: 'postconf',
  summary: 'Postfix configuration utility',
  availableOn: isMailHost,
  man: {
    synopsis: ['postconf [-n] [-h] [NAME...]', "postconf -e 'NAME = VALUE'..."],
    description: [
      'Show main.cf: the smtpd policy, the queue timings and who may relay. Change it with -e (root only; the lab changes message_size_limit, mynetworks and smtpd_relay_restrictions). The server reads it on postfix reload.',
    ],
    examples: [
      ["postconf -e 'mynetworks = 127.0.0.0/8'", 'Trust only this host to relay.'],
      ['postconf -e message_size_limit=20480000', 'Take messages up to 20 MB (SIZE, RFC 1870).'],
    ],
  },
  run: lazyRun(() => load().then((m) => m.postconf)),
};

export const postfixCommand: CommandSpec = {
  name: 'postfix',
  summary: 'Postfix control program',
  availableOn: isMailHost,
  man: {
    synopsis: ['postfix reload|check|flush'],
    description: [
      'reload: new connections get the settings in main.cf; flush: retry the queue now. Root only.',
    ],
  },
  run: lazyRun(() => load().then((m) => m.postfix)),
};
