/** The shell's own builtins: history, clear, exit and logout, true and false. */
import type { CommandContext, CommandSpec } from '../program';

export const historyCommand: CommandSpec = {
  name: 'history',
  summary: 'display the command history list',
  builtin: true,
  man: {
    synopsis: ['history [N]', 'history -c'],
    description: [
      'Show the commands typed in this terminal, numbered, oldest first. Each terminal keeps its own history; Up and Down recall its lines.',
    ],
    options: [
      ['N', 'list only the last N lines'],
      ['-c', 'clear the history list'],
    ],
    examples: [['history 5', 'The last five commands.']],
  },
  run(ctx) {
    const { history } = ctx.session;
    const [arg, extra] = ctx.args;
    if (arg === '-c') {
      history.length = 0;
      return 0;
    }
    if (extra !== undefined) {
      ctx.stderr.write('-bash: history: too many arguments\n');
      return 1;
    }
    if (arg !== undefined && !/^\d+$/.test(arg)) {
      ctx.stderr.write(`-bash: history: ${arg}: numeric argument required\n`);
      return 1;
    }
    const from = arg === undefined ? 0 : Math.max(0, history.length - Number(arg));
    ctx.stdout.write(
      history
        .slice(from)
        .map((line, i) => `${String(from + i + 1).padStart(5)}  ${line}\n`)
        .join(''),
    );
    return 0;
  },
};

export const clearCommand: CommandSpec = {
  name: 'clear',
  summary: 'clear the terminal screen',
  man: {
    synopsis: ['clear'],
    description: [
      'Clear the screen and its scrollback. Ctrl-L clears the screen too, keeping the line being typed.',
    ],
    examples: [['clear', 'Start from an empty screen.']],
  },
  run(ctx) {
    if (ctx.stdout.isTerminal) ctx.session.clear();
    else ctx.stdout.write('\x1b[H\x1b[2J\x1b[3J');
    return 0;
  },
};

function leave(ctx: CommandContext): number {
  const [arg] = ctx.args;
  if (ctx.args.length > 1) {
    ctx.stderr.write(`-bash: ${ctx.name}: too many arguments\n`);
    return 1;
  }
  let status = 0;
  if (arg !== undefined) {
    if (/^-?\d+$/.test(arg)) status = ((Number(arg) % 256) + 256) % 256;
    else {
      ctx.stderr.write(`-bash: ${ctx.name}: ${arg}: numeric argument required\n`);
      status = 2;
    }
  }
  ctx.session.logout(status);
  return status;
}

export const exitCommand: CommandSpec = {
  name: 'exit',
  summary: 'exit the shell',
  builtin: true,
  man: {
    synopsis: ['exit [N]'],
    description: [
      'End this login session with exit status N. The terminal then starts a fresh login shell on the same host; files and history stay.',
    ],
    examples: [['exit', 'Log out (Ctrl-D on an empty line does the same).']],
    seeAlso: ['logout(1)'],
  },
  run: leave,
};

export const logoutCommand: CommandSpec = {
  ...exitCommand,
  name: 'logout',
  summary: 'exit a login shell',
  man: { ...exitCommand.man, synopsis: ['logout [N]'], seeAlso: ['exit(1)'] },
};

export const trueCommand: CommandSpec = {
  name: 'true',
  summary: 'do nothing, successfully',
  builtin: true,
  man: {
    synopsis: ['true'],
    description: ['Exit with a status code indicating success.'],
    examples: [['true && echo yes', 'Prints yes.']],
  },
  run: () => 0,
};

export const falseCommand: CommandSpec = {
  name: 'false',
  summary: 'do nothing, unsuccessfully',
  builtin: true,
  man: {
    synopsis: ['false'],
    description: ['Exit with a status code indicating failure.'],
    examples: [['false || echo no', 'Prints no.']],
  },
  run: () => 1,
};
