/** echo, as bash's builtin: options only from the set -n, -e, -E, and only up front. */
import { utf8 } from '../../engine/bytes';
import { concatBytes } from '../io';
import type { CommandSpec } from '../program';
import { decodeEscapes } from './escapes';

export const echoCommand: CommandSpec = {
  name: 'echo',
  summary: 'display a line of text',
  builtin: true,
  man: {
    synopsis: ['echo [-neE] [STRING]...'],
    description: [
      'Echo the STRING(s) to standard output, separated by single spaces and followed by a newline.',
      'With -e, these backslash escapes are interpreted: \\\\ backslash, \\a alert, \\b backspace, \\c produce no further output, \\e escape, \\f form feed, \\n new line, \\r carriage return, \\t horizontal tab, \\v vertical tab, \\0NNN the byte with octal value NNN (zero to three digits), \\xHH the byte with hexadecimal value HH (one or two digits).',
    ],
    options: [
      ['-n', 'do not output the trailing newline'],
      ['-e', 'enable interpretation of backslash escapes'],
      ['-E', 'disable interpretation of backslash escapes (the default)'],
    ],
    examples: [
      [
        "echo -ne '\\0alice\\0wonderland' | base64",
        'The SASL PLAIN string for AUTH PLAIN: NUL, user name, NUL, password, base64-encoded.',
      ],
      ["echo 'Subject: hello' > message.txt", 'Start a message file in the home directory.'],
    ],
    seeAlso: ['printf(1)', 'base64(1)'],
  },
  run(ctx) {
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < ctx.args.length && /^-[neE]+$/.test(ctx.args[i]!); i++) {
      for (const flag of ctx.args[i]!.slice(1)) {
        if (flag === 'n') newline = false;
        else escapes = flag === 'e';
      }
    }
    const text = ctx.args.slice(i).join(' ');
    if (!escapes) {
      ctx.stdout.write(utf8(text + (newline ? '\n' : '')));
      return 0;
    }
    const { bytes, stop } = decodeEscapes(text, 'echo');
    ctx.stdout.write(stop || !newline ? bytes : concatBytes([bytes, utf8('\n')]));
    return 0;
  },
};
