/** The commands every terminal knows, by name. */
import type { CommandSpec } from '../program';
import { basicCommands } from './basic';
import { telnetCommand } from './telnet';

const helpCommand: CommandSpec = {
  name: 'help',
  summary: 'list the commands available here',
  run: (ctx) => {
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    ctx.print(COMMANDS.map((c) => `${c.name.padEnd(width)}  ${c.summary}\r\n`).join(''));
  },
};

const COMMANDS: CommandSpec[] = [helpCommand, telnetCommand, ...basicCommands].sort((a, b) =>
  a.name.localeCompare(b.name),
);

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function commandNames(): string[] {
  return COMMANDS.map((c) => c.name);
}
