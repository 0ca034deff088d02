/** `hostname`, `whoami`, `date` and `sleep`: their manual pages; the programs are in system-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

const load = () => import('./system-program');

export const hostnameCommand: CommandSpec = {
  name: 'hostname',
  summary: 'show the system host name',
  man: {
    synopsis: ['hostname [-f|-s|-d|-i|-I]'],
    description: ['Print the name of this host: the short name by default.'],
    options: [
      ['-f, --fqdn, --long', 'the fully qualified domain name'],
      ['-s, --short', 'the short host name (up to the first dot)'],
      ['-d, --domain', 'the DNS domain name'],
      ['-i, --ip-address', 'the address(es) the host name resolves to'],
      ['-I, --all-ip-addresses', 'all addresses of the host’s network interfaces'],
    ],
    examples: [['hostname -f', 'laptop.alpha.example on alice’s laptop.']],
    seeAlso: ['ip(8)'],
  },
  run: lazyRun(() => load().then((m) => m.hostname)),
};

export const whoamiCommand: CommandSpec = {
  name: 'whoami',
  summary: 'print effective user name',
  man: {
    synopsis: ['whoami'],
    description: ['Print the user name associated with the current effective user ID.'],
    examples: [['whoami', 'alice on the laptop, root on the servers.']],
  },
  run: lazyRun(() => load().then((m) => m.whoami)),
};

export const dateCommand: CommandSpec = {
  name: 'date',
  summary: 'print the system date and time',
  man: {
    synopsis: ['date [-u] [-R|-I[FMT]] [+FORMAT]'],
    description: [
      'Display the current time of the lab’s virtual clock, in UTC. Virtual time starts at the scenario’s epoch and moves only as the world runs: with each command, with sleep, and with "#! wait" in a script.',
      'FORMAT takes the strftime conversions, among them %Y year, %m month, %d day, %H hour, %M minute, %S second, %a and %b weekday and month names, %s seconds since the epoch, %F (%Y-%m-%d) and %T (%H:%M:%S).',
    ],
    options: [
      ['-u, --utc', 'print Coordinated Universal Time (the lab’s only zone)'],
      ['-R, --rfc-email', 'output date and time in RFC 5322 format, as in a Date: header'],
      [
        '-I[FMT], --iso-8601[=FMT]',
        "output date/time in ISO 8601 format; FMT is 'date' (the default), 'hours', 'minutes', 'seconds' or 'ns'",
      ],
    ],
    examples: [
      ['date -R', 'Mon, 05 Jan 2026 09:00:00 +0000 — the form of a Date: header.'],
      ["date +'%F %T'", '2026-01-05 09:00:00'],
    ],
    seeAlso: ['sleep(1)'],
  },
  run: lazyRun(() => load().then((m) => m.date)),
};

export const sleepCommand: CommandSpec = {
  name: 'sleep',
  summary: 'delay for a specified amount of time',
  man: {
    synopsis: ['sleep NUMBER[SUFFIX]...'],
    description: [
      "Pause for NUMBER seconds of virtual time. SUFFIX may be 's' for seconds (the default), 'm' for minutes, 'h' for hours or 'd' for days. NUMBER may be a fraction; given several arguments, sleep pauses for their sum.",
      'While it sleeps, the world goes on: queued mail is retried, greylisting windows pass, DNS cache entries expire.',
    ],
    examples: [
      ['sleep 5m', 'Let five virtual minutes pass (a queue retry, say).'],
      ['sleep 90; date', 'Show that time moved.'],
    ],
    seeAlso: ['date(1)'],
  },
  run: lazyRun(() => load().then((m) => m.sleep)),
};
