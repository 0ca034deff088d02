/** Small everyday commands. */
import { rfc5322Date } from '../../engine/clock';
import type { CommandSpec } from '../program';

export const basicCommands: CommandSpec[] = [
  {
    name: 'hostname',
    summary: 'show the system host name',
    run: (ctx) => ctx.print(`${ctx.args.includes('-f') ? ctx.host : ctx.host.split('.')[0]}\r\n`),
  },
  {
    name: 'whoami',
    summary: 'print the user name',
    run: (ctx) => ctx.print(`${ctx.user}\r\n`),
  },
  {
    name: 'echo',
    summary: 'display a line of text',
    run: (ctx) => {
      const noNewline = ctx.args[0] === '-n';
      const words = noNewline ? ctx.args.slice(1) : ctx.args;
      ctx.printUntrusted(words.join(' ') + (noNewline ? '' : '\n'));
    },
  },
  {
    name: 'date',
    summary: 'print the (virtual) date and time',
    run: (ctx) => ctx.print(`${rfc5322Date(ctx.world.epoch, ctx.world.clock.now)}\r\n`),
  },
  {
    name: 'clear',
    summary: 'clear the terminal screen',
    run: (ctx) => ctx.clear(),
  },
  {
    name: 'history',
    summary: 'show the commands typed in this terminal',
    run: (ctx) =>
      ctx.printUntrusted(
        ctx
          .history()
          .map((line, i) => `${String(i + 1).padStart(5)}  ${line}\n`)
          .join(''),
      ),
  },
];
