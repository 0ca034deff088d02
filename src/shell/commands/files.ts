/** Moving around and changing files: cd and pwd (bash builtins), mkdir, rm, touch. */
import { ERROR_TEXT } from '../fs';
import type { CommandSpec } from '../program';
import { getopt, tryHelp } from './args';

export const cdCommand: CommandSpec = {
  name: 'cd',
  summary: 'change the shell working directory',
  builtin: true,
  completes: 'dirs',
  man: {
    synopsis: ['cd [DIR]'],
    description: [
      'Change the current directory to DIR. The default DIR is the value of the HOME shell variable; DIR - means the previous directory (OLDPWD), which is printed. The prompt shows the working directory, with the home directory as ~.',
    ],
    examples: [
      ['cd /var/mail', 'Go to the mail spool, where mailboxes live.'],
      ['cd', 'Back home.'],
    ],
    seeAlso: ['pwd(1)', 'ls(1)'],
  },
  run(ctx) {
    const { session } = ctx;
    if (ctx.args.length > 1) {
      ctx.stderr.write('-bash: cd: too many arguments\n');
      return 1;
    }
    let target = ctx.args[0] ?? session.vars.get('HOME');
    if (target === undefined) {
      ctx.stderr.write('-bash: cd: HOME not set\n');
      return 1;
    }
    const back = target === '-';
    if (back) {
      target = session.vars.get('OLDPWD');
      if (target === undefined) {
        ctx.stderr.write('-bash: cd: OLDPWD not set\n');
        return 1;
      }
    }
    if (target === '') return 0;
    const path = ctx.resolve(target);
    const stat = ctx.fs.stat(path, ctx.user);
    const problem = !stat.ok
      ? ERROR_TEXT[stat.error]
      : stat.value.type !== 'dir'
        ? ERROR_TEXT.ENOTDIR
        : ctx.fs.access(path, ctx.user, 1)
          ? undefined
          : ERROR_TEXT.EACCES;
    if (problem) {
      ctx.stderr.write(`-bash: cd: ${target}: ${problem}\n`);
      return 1;
    }
    session.vars.set('OLDPWD', session.cwd);
    session.cwd = path;
    session.vars.set('PWD', path);
    if (back) ctx.stdout.write(path + '\n');
    return 0;
  },
};

export const pwdCommand: CommandSpec = {
  name: 'pwd',
  summary: 'print name of current/working directory',
  builtin: true,
  man: {
    synopsis: ['pwd'],
    description: ['Print the full name of the current working directory.'],
    examples: [['pwd', 'For alice at first: /home/alice.']],
    seeAlso: ['cd(1)'],
  },
  run(ctx) {
    ctx.stdout.write(ctx.session.cwd + '\n');
    return 0;
  },
};

export const mkdirCommand: CommandSpec = {
  name: 'mkdir',
  summary: 'make directories',
  completes: 'dirs',
  man: {
    synopsis: ['mkdir [-p] DIRECTORY...'],
    description: ['Create the DIRECTORY(ies), if they do not already exist.'],
    options: [['-p, --parents', 'no error if existing, make parent directories as needed']],
    examples: [['mkdir -p ~/mail/drafts', 'Make a directory and its parents.']],
  },
  run(ctx) {
    const parsed = getopt(ctx.args, [{ key: 'p', short: 'p', long: 'parents' }]);
    if (!parsed.ok || parsed.operands.length === 0) {
      ctx.stderr.write(
        `mkdir: ${parsed.ok ? 'missing operand' : parsed.message}\n${tryHelp('mkdir')}`,
      );
      return 1;
    }
    const parents = parsed.options.has('p');
    let status = 0;
    for (const operand of parsed.operands) {
      const path = ctx.resolve(operand);
      const steps = parents
        ? path
            .split('/')
            .filter(Boolean)
            .map((_, i, all) => '/' + all.slice(0, i + 1).join('/'))
        : [path];
      for (const step of steps) {
        const made = ctx.fs.mkdir(step, ctx.user);
        if (made.ok || (parents && made.error === 'EEXIST')) continue;
        ctx.stderr.write(
          `mkdir: cannot create directory ‘${operand}’: ${ERROR_TEXT[made.error]}\n`,
        );
        status = 1;
        break;
      }
    }
    return status;
  },
};

export const rmCommand: CommandSpec = {
  name: 'rm',
  summary: 'remove files or directories',
  man: {
    synopsis: ['rm [OPTION]... [FILE]...'],
    description: [
      'Remove each FILE. Directories are removed only with -r (or -d when empty). Mailboxes under /var/mail belong to the mail system and cannot be removed here.',
    ],
    options: [
      ['-f, --force', 'ignore nonexistent files, never prompt'],
      ['-r, -R, --recursive', 'remove directories and their contents recursively'],
      ['-d, --dir', 'remove empty directories'],
    ],
    examples: [['rm message.txt', 'Delete a file.']],
  },
  run(ctx) {
    const parsed = getopt(ctx.args, [
      { key: 'f', short: 'f', long: 'force' },
      { key: 'r', short: 'r', long: 'recursive' },
      { key: 'r', short: 'R' },
      { key: 'd', short: 'd', long: 'dir' },
    ]);
    if (!parsed.ok) {
      ctx.stderr.write(`rm: ${parsed.message}\n${tryHelp('rm')}`);
      return 1;
    }
    const force = parsed.options.has('f');
    if (parsed.operands.length === 0) {
      if (force) return 0;
      ctx.stderr.write(`rm: missing operand\n${tryHelp('rm')}`);
      return 1;
    }
    let status = 0;
    for (const operand of parsed.operands) {
      const removed = ctx.fs.remove(ctx.resolve(operand), ctx.user, {
        recursive: parsed.options.has('r'),
        emptyDir: parsed.options.has('d'),
      });
      if (removed.ok || (force && removed.error === 'ENOENT')) continue;
      ctx.stderr.write(`rm: cannot remove '${operand}': ${ERROR_TEXT[removed.error]}\n`);
      status = 1;
    }
    return status;
  },
};

export const touchCommand: CommandSpec = {
  name: 'touch',
  summary: 'change file timestamps',
  man: {
    synopsis: ['touch FILE...'],
    description: [
      'Update the modification time of each FILE to the current (virtual) time. A FILE that does not exist is created empty.',
    ],
    examples: [['touch notes.txt', 'Create an empty file.']],
  },
  run(ctx) {
    if (ctx.args.length === 0) {
      ctx.stderr.write(`touch: missing file operand\n${tryHelp('touch')}`);
      return 1;
    }
    let status = 0;
    for (const operand of ctx.args) {
      const touched = ctx.fs.touch(ctx.resolve(operand), ctx.user);
      if (touched.ok) continue;
      ctx.stderr.write(`touch: cannot touch '${operand}': ${ERROR_TEXT[touched.error]}\n`);
      status = 1;
    }
    return status;
  },
};
