/** `printf`: its manual page; the program is in printf-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

export const printfCommand: CommandSpec = {
  name: 'printf',
  summary: 'format and print data',
  builtin: true,
  man: {
    synopsis: ['printf FORMAT [ARGUMENT]...'],
    description: [
      'Print ARGUMENT(s) according to FORMAT. FORMAT is reused as often as needed to consume all the arguments; missing arguments count as empty strings or zero.',
      'FORMAT may contain the escapes \\n, \\t, \\r, \\\\, \\" and \\NNN (a byte in octal, so \\0 is NUL) and \\xHH, and the conversions %s (string), %b (string with echo -e escapes), %c (character), %d and %i (decimal), %o, %u, %x, %X (octal, unsigned, hexadecimal), %e, %f, %g (floating point) and %% (a percent sign), each with optional flags (-, +, space, #, 0), width and precision.',
    ],
    examples: [
      ["printf '\\0alice\\0wonderland' | base64", 'The SASL PLAIN string for AUTH PLAIN.'],
      [
        "printf 'Subject: %s\\n\\n%s\\n' 'hello' 'Hi Bob!' > message.txt",
        'Write a small message file.',
      ],
      ["printf '%-10s|%5d|\\n' mx1 25", 'Pad to columns: "mx1       |   25|".'],
    ],
    seeAlso: ['echo(1)'],
  },
  run: lazyRun(() => import('./printf-program').then((m) => m.run)),
};
