import { describe, expect, it } from 'vitest';
import { expandWord, type ExpandEnv } from '../../../src/shell/expand';
import { parse, type CommandList, type SimpleCommand } from '../../../src/shell/parse';

const env = (vars: Record<string, string> = {}, files: string[] = []): ExpandEnv => ({
  param: (name) => vars[name],
  home: (user) => (user === '' ? '/home/alice' : user === 'root' ? '/root' : undefined),
  list: (dir) =>
    dir === '/home/alice' ? files : dir === '/var/mail' ? ['bob', 'carol'] : undefined,
  exists: (path) =>
    path === '/home/alice' ||
    files.some((f) => path === `/home/alice/${f}`) ||
    /^\/var\/mail\/(bob|carol)$/.test(path),
  cwd: '/home/alice',
});

function list(line: string): CommandList {
  const result = parse(line);
  if (result.kind !== 'ok') throw new Error(`${line}: ${JSON.stringify(result)}`);
  return result.list;
}

function commands(line: string): SimpleCommand[] {
  return list(line).items.flatMap((i) =>
    [i.andOr.first, ...i.andOr.rest.map((r) => r.pipeline)].flatMap((p) => p.commands),
  );
}

/** The fields of the first command, expanded. */
function words(line: string, e = env()): string[] {
  return commands(line)[0]!.words.flatMap((w) => expandWord(w, e));
}

describe('quoting', () => {
  it.each([
    ['telnet mx1.beta.example 25', ['telnet', 'mx1.beta.example', '25']],
    ['  spaced   out  ', ['spaced', 'out']],
    [`echo 'single $quoted'`, ['echo', 'single $quoted']],
    ['echo "double \\"q\\" \\\\"', ['echo', 'double "q" \\']],
    ['echo "keeps \\0 and \\n"', ['echo', 'keeps \\0 and \\n']],
    ['echo a\\ b', ['echo', 'a b']],
    [`echo ''`, ['echo', '']],
    [`echo x'y'"z"`, ['echo', 'xyz']],
    ["echo $'a\\tb\\x41'", ['echo', 'a\tbA']],
    ["echo $'cut\\0here'", ['echo', 'cut']],
    ['echo a#b # a comment', ['echo', 'a#b']],
    ['echo "$"', ['echo', '$']],
  ])('%s', (line, expected) => {
    expect(words(line)).toEqual(expected);
  });
});

describe('expansion', () => {
  const vars = { USER: 'alice', TWO: 'a  b', EMPTY: '', '?': '1' };

  it('expands parameters inside double quotes but not single quotes', () => {
    expect(words(`echo "$USER" '$USER' \${USER}x $?`, env(vars))).toEqual([
      'echo',
      'alice',
      '$USER',
      'alicex',
      '1',
    ]);
  });

  it('splits unquoted expansions into fields and drops empty ones, as IFS does', () => {
    expect(words('set $TWO "$TWO" $EMPTY "$EMPTY"', env(vars))).toEqual([
      'set',
      'a',
      'b',
      'a  b',
      '',
    ]);
  });

  it('expands ~ at the start of a word only', () => {
    expect(words('ls ~ ~/notes ~root a~ "~" ~nobody', env())).toEqual([
      'ls',
      '/home/alice',
      '/home/alice/notes',
      '/root',
      'a~',
      '~',
      '~nobody',
    ]);
  });

  it('expands globs against the file system, sorted; no match leaves the pattern', () => {
    const e = env({}, ['b.txt', 'a.txt', '.hidden.txt', 'notes']);
    expect(words('cat *.txt /var/mail/* n?tes *.eml "*.txt"', e)).toEqual([
      'cat',
      'a.txt',
      'b.txt',
      '/var/mail/bob',
      '/var/mail/carol',
      'notes',
      '*.eml',
      '*.txt',
    ]);
  });
});

describe('command structure', () => {
  it('parses pipelines, lists and and-or chains', () => {
    const parsed = list('echo -n hi | base64 | cat; false || echo no && echo yes');
    expect(parsed.items).toHaveLength(2);
    expect(parsed.items[0]!.andOr.first.commands).toHaveLength(3);
    expect(parsed.items[1]!.andOr.rest.map((r) => r.op)).toEqual(['||', '&&']);
  });

  it('parses redirections with their descriptors', () => {
    const [command] = commands('cat < in.txt > out.txt 2>&1 2>>err.log &>all >|force');
    expect(command!.redirects.map((r) => [r.fd, r.op])).toEqual([
      [0, '<'],
      [1, '>'],
      [2, '>&'],
      [2, '>>'],
      [1, '&>'],
      [1, '>|'],
    ]);
    expect(command!.words).toHaveLength(1);
  });

  it('reads a digit word directly before > as the descriptor, not after a space', () => {
    const [a] = commands('echo 2>x');
    const [b] = commands('echo 2 >x');
    expect([a!.words.length, a!.redirects[0]!.fd]).toEqual([1, 2]);
    expect([b!.words.length, b!.redirects[0]!.fd]).toEqual([2, 1]);
  });

  it('reads here documents and here strings', () => {
    const [heredoc] = commands('cat <<EOF\nhello $USER\nEOF\n');
    expect(heredoc!.redirects[0]!.body?.parts).toEqual([
      { kind: 'text', text: 'hello ', quoted: true },
      { kind: 'param', name: 'USER', quoted: true },
      { kind: 'text', text: '\n', quoted: true },
    ]);
    const [quoted] = commands("cat <<'EOF'\nhello $USER\nEOF");
    expect(quoted!.redirects[0]!.body?.parts).toEqual([
      { kind: 'text', text: 'hello $USER\n', quoted: true },
    ]);
    const [tabs] = commands('cat <<-END\n\tindented\n\tEND');
    expect(tabs!.redirects[0]!.body?.parts).toEqual([
      { kind: 'text', text: 'indented\n', quoted: true },
    ]);
    expect(commands('base64 <<< hello')[0]!.redirects[0]!.op).toBe('<<<');
  });

  it('marks a background command', () => {
    expect(list('ping -c 1 x &').items[0]!.background).toBe(true);
  });
});

describe('incomplete input and syntax errors', () => {
  it.each([
    `echo 'open`,
    'echo "open',
    'echo a |',
    'true &&',
    'false ||\n',
    'echo \\',
    'cat <<EOF\nline',
    "echo $'x",
  ])('%j needs more input', (line) => {
    expect(parse(line)).toEqual({ kind: 'incomplete' });
  });

  it.each([
    ['| cat', '|'],
    ['echo a | | cat', '|'],
    ['; echo', ';'],
    ['echo a ;; echo b', ';;'],
    ['&& echo', '&&'],
    ['echo >', 'newline'],
    ['echo > | cat', '|'],
    ['cat <<', 'newline'],
    ['(echo)', '('],
  ])('%j is a syntax error near %j', (line, token) => {
    expect(parse(line)).toEqual({
      kind: 'error',
      message: `syntax error near unexpected token \`${token}'`,
    });
  });

  it('accepts empty lines, comments and a trailing semicolon', () => {
    expect(list('').items).toEqual([]);
    expect(list('   # just a comment').items).toEqual([]);
    expect(list('echo a;').items).toHaveLength(1);
  });

  it('refuses command substitution clearly', () => {
    expect(parse('echo $(date)')).toEqual({
      kind: 'error',
      message: 'command substitution is not supported in this shell',
    });
    expect(parse('echo `date`')).toMatchObject({ kind: 'error' });
  });
});
