/**
 * `mailq`, `postqueue` and `postsuper`: their manual pages and where they are installed;
 * the programs are in postfix-program.ts.
 */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';
import { isMailHost } from './transport';

const load = () => import('./postfix-program');

export const mailqCommand: CommandSpec = {
  name: 'mailq',
  summary: 'list the mail queue (Postfix)',
  availableOn: isMailHost,
  man: {
    synopsis: ['mailq'],
    description: [
      'List the messages in this mail host’s queue, as postqueue -p does: for each message its queue ID (followed by * while it is being delivered), its size, when it arrived and its sender; then each recipient still waiting, under the reason of the last failed attempt in parentheses. The last line counts the messages. An empty queue prints "Mail queue is empty".',
      'Mail leaves the queue as soon as every recipient is delivered or bounced; what stays is waiting for a retry (postqueue -f tries again now).',
    ],
    examples: [
      ['mailq', 'What is waiting here, and why?'],
      ['postqueue -f; mailq', 'Retry everything, then look again.'],
    ],
    seeAlso: ['postqueue(1)', 'postsuper(1)', 'tail(1)'],
  },
  run: lazyRun(() => load().then((m) => m.mailq)),
};

export const postqueueCommand: CommandSpec = {
  name: 'postqueue',
  summary: 'Postfix queue control: list (-p) or flush (-f) the queue',
  availableOn: isMailHost,
  man: {
    synopsis: ['postqueue -p', 'postqueue -j', 'postqueue -f'],
    description: [
      'The Postfix user interface to the mail queue. -p lists it (what mailq prints), -j lists it as JSON, one message per line, and -f asks the queue manager to try every waiting message again now, instead of at its next retry time.',
    ],
    options: [
      ['-p', 'list the queue: ID, size, arrival time, sender, recipients and why they wait'],
      ['-j', 'the same, one JSON object per message'],
      ['-f', 'flush: attempt to deliver every queued message now'],
    ],
    examples: [
      ['postqueue -p', 'The queue listing.'],
      ['postqueue -f', 'Retry now (after fixing what made mail wait).'],
    ],
    seeAlso: ['mailq(1)', 'postsuper(1)'],
  },
  run: lazyRun(() => load().then((m) => m.postqueue)),
};

export const postsuperCommand: CommandSpec = {
  name: 'postsuper',
  summary: 'Postfix superintendent: delete messages from the queue',
  availableOn: isMailHost,
  man: {
    section: 8,
    synopsis: ['postsuper -d QUEUE_ID', 'postsuper -d ALL', 'postsuper -d -'],
    description: [
      'Delete the message with QUEUE_ID (as mailq shows it, without the * or !) from the queue, or every message with ALL; with -, read queue IDs from standard input, one per line. Its recipients get no notice: the message is simply gone. Only root may do this.',
    ],
    options: [['-d QUEUE_ID|ALL|-', 'delete one message, all of them, or those named on stdin']],
    examples: [
      ['postsuper -d 4F2A1B2C3D', 'Drop one message.'],
      ['postsuper -d ALL', 'Empty the queue.'],
    ],
    seeAlso: ['mailq(1)', 'postqueue(1)'],
  },
  run: lazyRun(() => load().then((m) => m.postsuper)),
};
