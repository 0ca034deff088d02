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
      'Show main.cf, or change it with -e (root only; the lab changes mynetworks and smtpd_relay_restrictions). The server reads it on postfix reload.',
    ],
    examples: [["postconf -e 'mynetworks = 127.0.0.0/8'", 'Trust only this host to relay.']],
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
