import { describe, expect, it } from 'vitest';
import { text } from '../../../src/engine/bytes';
import { hostFileSystem } from '../../../src/shell/fs';
import { decodeBase64 } from '../../../src/shell/commands/base64';
import { lab, run, screen } from './support';

const P = 'alice@laptop:~$';

describe('echo and printf', () => {
  it('builds the AUTH PLAIN string with echo -ne and base64, NUL bytes intact', () => {
    expect(
      run([
        `echo -ne '\\0alice\\0wonderland' | base64`,
        'echo -ne "\\0alice\\0wonderland" | base64',
      ]),
    ).toBe(
      screen(
        `${P} echo -ne '\\0alice\\0wonderland' | base64`,
        'AGFsaWNlAHdvbmRlcmxhbmQ=',
        `${P} echo -ne "\\0alice\\0wonderland" | base64`,
        'AGFsaWNlAHdvbmRlcmxhbmQ=',
        P,
      ),
    );
  });

  it('takes only -n, -e and -E as options, and only before the text', () => {
    expect(
      run([
        'echo -n no newline',
        'echo -x -n',
        "echo -e 'a\\tb\\x41\\0102\\cgone'",
        'echo -E "\\t"',
        'echo',
      ]),
    ).toBe(
      screen(
        `${P} echo -n no newline`,
        `no newline${P} echo -x -n`,
        '-x -n',
        `${P} echo -e 'a\\tb\\x41\\0102\\cgone'`,
        `a       bAB${P} echo -E "\\t"`,
        '\\t',
        `${P} echo`,
        '',
        P,
      ),
    );
  });

  it('printf reuses its format, pads, and complains about bad numbers like bash', () => {
    expect(
      run([
        "printf '%s=%d\\n' a 1 b 2",
        "printf '[%5s|%-5s|%05d|%x|%o|%c|%%]\\n' ab cd 42 255 8 xyz",
        "printf '%.2f %e\\n' 3.14159 12345",
        "printf '%b|%s\\n' 'a\\tb' 'a\\tb'",
        "printf '%d\\n' abc; echo $?",
        'printf',
      ]),
    ).toBe(
      screen(
        `${P} printf '%s=%d\\n' a 1 b 2`,
        'a=1',
        'b=2',
        `${P} printf '[%5s|%-5s|%05d|%x|%o|%c|%%]\\n' ab cd 42 255 8 xyz`,
        '[   ab|cd   |00042|ff|10|x|%]',
        `${P} printf '%.2f %e\\n' 3.14159 12345`,
        '3.14 1.234500e+04',
        `${P} printf '%b|%s\\n' 'a\\tb' 'a\\tb'`,
        'a       b|a\\tb',
        `${P} printf '%d\\n' abc; echo $?`,
        '-bash: printf: abc: invalid number',
        '0',
        '1',
        `${P} printf`,
        '-bash: printf: usage: printf [-v var] format [arguments]',
        P,
      ),
    );
  });

  it('printf writes NUL bytes from \\0 in its format', () => {
    expect(run("printf '\\0alice\\0wonderland' | base64\n")).toContain(
      '\nAGFsaWNlAHdvbmRlcmxhbmQ=\n',
    );
  });
});

describe('base64', () => {
  it('encodes, wraps at 76 columns by default, and decodes', () => {
    expect(
      run([
        'echo -n alice | base64',
        "printf '%060d' 0 | base64",
        "printf '%060d' 0 | base64 -w 0",
        "printf '%060d' 0 | base64 --wrap=20",
        'echo VXNlcm5hbWU6 | base64 -d; echo',
        'echo YWxp | base64 --decode | base64',
      ]),
    ).toBe(
      screen(
        `${P} echo -n alice | base64`,
        'YWxpY2U=',
        `${P} printf '%060d' 0 | base64`,
        'MDAw'.repeat(19),
        'MDAw',
        `${P} printf '%060d' 0 | base64 -w 0`,
        'MDAw'.repeat(20),
        `${P} printf '%060d' 0 | base64 --wrap=20`,
        ...Array.from({ length: 4 }, () => 'MDAw'.repeat(5)),
        `${P} echo VXNlcm5hbWU6 | base64 -d; echo`,
        'Username:',
        `${P} echo YWxp | base64 --decode | base64`,
        'YWxp',
        P,
      ),
    );
  });

  it('reports invalid input and bad options as GNU base64 does', () => {
    expect(
      run([
        'echo "YWxp!" | base64 -d; echo " $?"',
        'echo YWxpY | base64 -d',
        'base64 -x',
        'base64 a b',
        'base64 -w x',
        'base64 nosuch',
      ]),
    ).toBe(
      screen(
        `${P} echo "YWxp!" | base64 -d; echo " $?"`,
        'alibase64: invalid input',
        ' 1',
        `${P} echo YWxpY | base64 -d`,
        'alibase64: invalid input',
        `${P} base64 -x`,
        "base64: invalid option -- 'x'",
        "Try 'base64 --help' for more information.",
        `${P} base64 a b`,
        'base64: extra operand ‘b’',
        "Try 'base64 --help' for more information.",
        `${P} base64 -w x`,
        'base64: invalid wrap size: ‘x’',
        `${P} base64 nosuch`,
        'base64: nosuch: No such file or directory',
        P,
      ),
    );
  });

  it('round-trips every byte value', () => {
    const l = lab();
    const fs = hostFileSystem(l.world, 'laptop.alpha.example');
    fs.write(
      '/home/alice/bytes',
      'alice',
      Uint8Array.from({ length: 256 }, (_, i) => i),
      false,
    );
    run(['base64 bytes > b64', 'base64 -d b64 > back'], l);
    const back = fs.read('/home/alice/back', 'alice');
    expect(back.ok && [...back.value]).toEqual(Array.from({ length: 256 }, (_, i) => i));
    const b64 = fs.read('/home/alice/b64', 'alice');
    expect(
      b64.ok &&
        text(b64.value)
          .split('\n')
          .map((l) => l.length),
    ).toEqual([76, 76, 76, 76, 40, 0]);
  });

  it('decodes padded groups one after another and ignores garbage only when told', () => {
    expect(decodeBase64(new TextEncoder().encode('YQ==Yg==\n'), false)).toEqual({
      bytes: Uint8Array.from([97, 98]),
      valid: true,
    });
    expect(decodeBase64(new TextEncoder().encode('Y*Q=*='), true)).toEqual({
      bytes: Uint8Array.from([97]),
      valid: true,
    });
  });
});

describe('files: cat, ls, cd, pwd, mkdir, rm, touch, redirections', () => {
  it('writes, appends, lists and reads files in the home directory', () => {
    expect(
      run([
        'echo hello > notes.txt; echo again >> notes.txt',
        'cat notes.txt',
        'cat -n notes.txt notes.txt',
        'ls',
        'ls -l',
        'cat < notes.txt | base64',
        'cat nosuch notes.txt; echo $?',
      ]),
    ).toBe(
      screen(
        `${P} echo hello > notes.txt; echo again >> notes.txt`,
        `${P} cat notes.txt`,
        'hello',
        'again',
        `${P} cat -n notes.txt notes.txt`,
        '     1\thello'.replace('\t', '  '),
        '     2  again',
        '     3  hello',
        '     4  again',
        `${P} ls`,
        'notes.txt',
        `${P} ls -l`,
        'total 4',
        '-rw-r--r-- 1 alice alice 12 Jan  5 09:00 notes.txt',
        `${P} cat < notes.txt | base64`,
        'aGVsbG8KYWdhaW4K',
        `${P} cat nosuch notes.txt; echo $?`,
        'cat: nosuch: No such file or directory',
        'hello',
        'again',
        '1',
        P,
      ),
    );
  });

  it('lists in columns on a terminal and one per line into a pipe; -a shows dot files', () => {
    expect(run(['touch b a c "with space"', 'ls', 'ls | cat', 'ls -a', 'ls -A ~ | cat'])).toBe(
      screen(
        `${P} touch b a c "with space"`,
        `${P} ls`,
        "a  b  c  'with space'",
        `${P} ls | cat`,
        'a',
        'b',
        'c',
        'with space',
        `${P} ls -a`,
        ".  ..  a  b  .bashrc  c  .profile  'with space'",
        `${P} ls -A ~ | cat`,
        'a',
        'b',
        '.bashrc',
        'c',
        '.profile',
        'with space',
        P,
      ),
    );
  });

  it('moves around with cd and shows the directory in the prompt', () => {
    expect(
      run([
        'cd /var/mail',
        'pwd',
        'cd -',
        'cd /nowhere',
        'cd ~/.bashrc',
        'cd /root',
        'mkdir -p a/b/c && cd a/b/c && pwd',
        'cd',
        'cd a b',
      ]),
    ).toBe(
      screen(
        `${P} cd /var/mail`,
        'alice@laptop:/var/mail$ pwd',
        '/var/mail',
        'alice@laptop:/var/mail$ cd -',
        '/home/alice',
        `${P} cd /nowhere`,
        '-bash: cd: /nowhere: No such file or directory',
        `${P} cd ~/.bashrc`,
        '-bash: cd: /home/alice/.bashrc: Not a directory',
        `${P} cd /root`,
        '-bash: cd: /root: Permission denied',
        `${P} mkdir -p a/b/c && cd a/b/c && pwd`,
        '/home/alice/a/b/c',
        'alice@laptop:~/a/b/c$ cd',
        `${P} cd a b`,
        '-bash: cd: too many arguments',
        P,
      ),
    );
  });

  it('says what mkdir, rm and touch say when they cannot', () => {
    expect(
      run([
        'mkdir d; mkdir d',
        'rm d',
        'rm -r d nosuch',
        'rm -f nosuch; echo $?',
        'touch /etc/x',
        'rm',
      ]),
    ).toBe(
      screen(
        `${P} mkdir d; mkdir d`,
        'mkdir: cannot create directory ‘d’: File exists',
        `${P} rm d`,
        "rm: cannot remove 'd': Is a directory",
        `${P} rm -r d nosuch`,
        "rm: cannot remove 'nosuch': No such file or directory",
        `${P} rm -f nosuch; echo $?`,
        '0',
        `${P} touch /etc/x`,
        "touch: cannot touch '/etc/x': Permission denied",
        `${P} rm`,
        'rm: missing operand',
        "Try 'rm --help' for more information.",
        P,
      ),
    );
  });

  it('reports redirection failures as bash does, without running the command', () => {
    expect(
      run([
        'echo hi > /etc/hosts; echo $?',
        'cat < nosuch',
        'echo x > /nodir/f',
        'echo x > /tmp',
        'echo $? >&2',
      ]),
    ).toBe(
      screen(
        `${P} echo hi > /etc/hosts; echo $?`,
        '-bash: /etc/hosts: Permission denied',
        '1',
        `${P} cat < nosuch`,
        '-bash: nosuch: No such file or directory',
        `${P} echo x > /nodir/f`,
        '-bash: /nodir/f: No such file or directory',
        `${P} echo x > /tmp`,
        '-bash: /tmp: Is a directory',
        `${P} echo $? >&2`,
        '1',
        P,
      ),
    );
  });

  it('sends stderr where 2> and 2>&1 say, in order', () => {
    const l = lab();
    run(
      [
        'cat nosuch > out 2>&1',
        'cat nosuch 2>&1 > out2',
        'cat nosuch 2> err',
        'cat nosuch &> all',
        'cat nosuch 2>/dev/null',
      ],
      l,
    );
    const fs = hostFileSystem(l.world, 'laptop.alpha.example');
    const file = (name: string) => {
      const r = fs.read(`/home/alice/${name}`, 'alice');
      return r.ok ? text(r.value) : r.error;
    };
    const message = 'cat: nosuch: No such file or directory\n';
    expect([file('out'), file('out2'), file('err'), file('all')]).toEqual([
      message,
      '',
      message,
      message,
    ]);
  });

  it('reads here documents and here strings', () => {
    expect(
      run([
        'cat <<EOF > msg.txt',
        'Subject: from $USER',
        '',
        'Hi \\$USER',
        'EOF',
        'cat msg.txt',
        "base64 <<< 'hi'",
      ]),
    ).toBe(
      screen(
        `${P} cat <<EOF > msg.txt`,
        '> Subject: from $USER',
        '> ',
        '> Hi \\$USER',
        '> EOF',
        `${P} cat msg.txt`,
        'Subject: from alice',
        '',
        'Hi $USER',
        `${P} base64 <<< 'hi'`,
        'aGkK',
        P,
      ).replace('> \n', '>\n'),
    );
  });

  it('shows a file with control characters through the escaping sink', () => {
    const l = lab();
    hostFileSystem(l.world, 'laptop.alpha.example').write(
      '/home/alice/evil',
      'alice',
      new TextEncoder().encode('\x1b]0;owned\x07\x1b[2Jtext\r\n'),
      false,
    );
    expect(run(['cat evil'], l)).toBe(screen(`${P} cat evil`, '^[]0;owned^G^[[2Jtext', P));
  });
});
