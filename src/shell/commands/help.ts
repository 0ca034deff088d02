/** help (the list of commands here) and man (a command's manual page). */
import { renderHelp, renderMan } from '../man';
import type { World } from '../../engine/world';
import type { CommandSpec } from '../program';

type Find = (name: string, world: World, host: string) => CommandSpec | undefined;

/** `find` looks a command up on a host; `list` gives a host's commands, sorted by name. */
export function helpCommands(
  find: Find,
  list: (world: World, host: string) => CommandSpec[],
): CommandSpec[] {
  const help: CommandSpec = {
    name: 'help',
    summary: 'list the commands available on this host',
    builtin: true,
    completes: 'commands',
    man: {
      synopsis: ['help [COMMAND]'],
      description: [
        'List the commands this host has, one line each. With COMMAND, show its usage. Every command also answers --help, and man COMMAND shows its manual page.',
      ],
      examples: [
        ['help', 'What can I type here?'],
        ['help dig', 'How to call dig.'],
      ],
      seeAlso: ['man(1)'],
    },
    run(ctx) {
      const [name] = ctx.args;
      if (name !== undefined) {
        const spec = find(name, ctx.world, ctx.host);
        if (!spec) {
          ctx.stderr.write(`-bash: help: no help topics match \`${name}'.\n`);
          return 1;
        }
        ctx.stdout.write(renderHelp(spec.name, spec.man));
        return 0;
      }
      const commands = list(ctx.world, ctx.host);
      const width = Math.max(...commands.map((c) => c.name.length));
      ctx.stdout.write(
        `Commands on ${ctx.host} (COMMAND --help or man COMMAND for more):\n\n` +
          commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n`).join(''),
      );
      return 0;
    },
  };
  const man: CommandSpec = {
    name: 'man',
    summary: 'an interface to the system reference manuals',
    completes: 'commands',
    man: {
      synopsis: ['man COMMAND'],
      description: [
        'Show the manual page of COMMAND: what it does, how to call it, and examples to try.',
      ],
      examples: [
        ['man dig', 'The manual page of dig.'],
        ['man man', 'This page.'],
      ],
      seeAlso: ['help(1)'],
    },
    run(ctx) {
      const [name] = ctx.args;
      if (name === undefined) {
        ctx.stderr.write("What manual page do you want?\nFor example, try 'man man'.\n");
        return 1;
      }
      let status = 0;
      const pages: string[] = [];
      for (const arg of ctx.args) {
        const spec = find(arg, ctx.world, ctx.host);
        if (spec) pages.push(renderMan(spec.name, spec.summary, spec.man, ctx.session.cols()));
        else {
          ctx.stderr.write(`No manual entry for ${arg}\n`);
          status = 16;
        }
      }
      ctx.stdout.write(pages.join('\n'));
      return status;
    },
  };
  return [help, man];
}
