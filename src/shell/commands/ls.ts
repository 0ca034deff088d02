/**
 * `ls`: its manual page, and the column layout it shares with the shell's Tab completion;
 * the program is in ls-program.ts.
 */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

/** Names in columns, filled down then across, as `ls -C` lays them out. */
export function columns(names: string[], width: number): string {
  if (names.length === 0) return '';
  for (let cols = names.length; cols > 1; cols--) {
    const rows = Math.ceil(names.length / cols);
    if (Math.ceil(names.length / rows) !== cols) continue;
    const widths = Array.from({ length: cols }, (_, c) =>
      Math.max(...names.slice(c * rows, (c + 1) * rows).map((n) => n.length)),
    );
    const total = widths.reduce((a, w) => a + w + 2, 0) - 2;
    if (total > width) continue;
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) {
      let line = '';
      for (let c = 0; c < cols; c++) {
        const name = names[c * rows + r];
        if (name === undefined) continue;
        const last = c === cols - 1 || names[(c + 1) * rows + r] === undefined;
        line += last ? name : name.padEnd(widths[c]! + 2);
      }
      lines.push(line);
    }
    return lines.join('\n') + '\n';
  }
  return names.join('\n') + '\n';
}

export const lsCommand: CommandSpec = {
  name: 'ls',
  summary: 'list directory contents',
  man: {
    synopsis: ['ls [OPTION]... [FILE]...'],
    description: [
      'List information about the FILEs (the current directory by default). Entries are sorted alphabetically. On a terminal, names are shown in columns; into a pipe or a file, one per line.',
    ],
    options: [
      ['-a, --all', 'do not ignore entries starting with .'],
      ['-A, --almost-all', 'do not list implied . and ..'],
      ['-d, --directory', 'list directories themselves, not their contents'],
      ['-h, --human-readable', 'with -l, print sizes like 1K 234M 2G'],
      ['-l', 'use a long listing format: mode, links, owner, group, size, time, name'],
      ['-r, --reverse', 'reverse order while sorting'],
      ['-t', 'sort by time, newest first'],
      ['-1', 'list one file per line'],
    ],
    examples: [
      ['ls -l /var/mail', 'Which mailboxes exist on this host, their owners and sizes.'],
      ['ls -la ~', 'Everything in the home directory, hidden files too.'],
    ],
    seeAlso: ['cat(1)'],
  },
  completes: 'files',
  run: lazyRun(() => import('./ls-program').then((m) => m.run)),
};
