/** cat [-nbsE] [FILE]..., as GNU coreutils: FILE `-` or none is standard input. */
import { text, utf8 } from '../../engine/bytes';
import { PENDING, type CommandSpec } from '../program';
import { getopt, tryHelp } from './args';
import { readFile, readInput } from './input';

export const catCommand: CommandSpec = {
  name: 'cat',
  summary: 'concatenate files and print on the standard output',
  man: {
    synopsis: ['cat [OPTION]... [FILE]...'],
    description: [
      'Concatenate FILE(s) to standard output. With no FILE, or when FILE is -, read standard input (from the terminal: type lines, then Ctrl-D on an empty line to end).',
      'A mailbox such as /var/mail/bob is a plain file in mbox format: each message begins with a "From SENDER DATE" line.',
    ],
    options: [
      ['-n, --number', 'number all output lines'],
      ['-b, --number-nonblank', 'number nonempty output lines, overrides -n'],
      ['-s, --squeeze-blank', 'suppress repeated empty output lines'],
      ['-E, --show-ends', 'display $ at end of each line'],
    ],
    examples: [
      ['cat /var/mail/bob', "Show bob's mailbox (on mx1.beta.example)."],
      ['cat message.txt | base64', 'Feed a file into another command.'],
      ['cat /etc/resolv.conf', 'Which name server this host asks.'],
    ],
    seeAlso: ['ls(1)'],
  },
  run(ctx) {
    const parsed = getopt(ctx.args, [
      { key: 'n', short: 'n', long: 'number' },
      { key: 'b', short: 'b', long: 'number-nonblank' },
      { key: 's', short: 's', long: 'squeeze-blank' },
      { key: 'E', short: 'E', long: 'show-ends' },
    ]);
    if (!parsed.ok) {
      ctx.stderr.write(`cat: ${parsed.message}\n${tryHelp('cat')}`);
      return 1;
    }
    const { options } = parsed;
    const operands = parsed.operands.length ? parsed.operands : ['-'];
    const plain = !['n', 'b', 's', 'E'].some((o) => options.has(o));
    // Line numbering and squeezing carry on across files, as GNU cat's do.
    let lineNo = 0;
    let blankRun = 0;
    let atLineStart = true;
    const emit = (data: Uint8Array) => {
      if (plain) return ctx.stdout.write(data);
      let out = '';
      for (const piece of text(data).split(/(?<=\n)/)) {
        const blank = atLineStart && piece === '\n';
        blankRun = blank ? blankRun + 1 : piece === '' ? blankRun : 0;
        if (options.has('s') && blank && blankRun > 1) continue;
        if (atLineStart && (options.has('b') ? !blank : options.has('n'))) {
          out += `${String(++lineNo).padStart(6)}\t`;
        }
        out += options.has('E') ? piece.replace(/\n$/, '$\n') : piece;
        atLineStart = piece.endsWith('\n');
      }
      ctx.stdout.write(utf8(out));
    };
    let status = 0;
    let stdinRead = false;
    const next = (i: number): number | typeof PENDING => {
      for (; i < operands.length; i++) {
        const operand = operands[i]!;
        if (operand === '-' && stdinRead) continue; // already at end of file
        if (operand === '-') {
          stdinRead = true;
          const result = readInput(ctx, emit, () => {
            const rest = next(i + 1);
            return rest === PENDING ? status : rest;
          });
          return result;
        }
        const data = readFile(ctx, operand);
        if (data) emit(data);
        else status = 1;
      }
      return status;
    };
    return next(0);
  },
};
