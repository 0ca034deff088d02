import { describe, expect, it } from 'vitest';
import { run, screen, terminal } from './support';

const P = 'alice@laptop:~$';

describe('the shell: lists, status, variables', () => {
  it('runs ; && || and ! with $? as bash does', () => {
    expect(
      run([
        'true && echo a || echo b; false && echo c || echo d',
        '! true; echo $?',
        'false; echo $? $?',
        'x=1 y="two words"; echo $x "$y" $y',
      ]),
    ).toBe(
      screen(
        `${P} true && echo a || echo b; false && echo c || echo d`,
        'a',
        'd',
        `${P} ! true; echo $?`,
        '1',
        `${P} false; echo $? $?`,
        '1 1',
        `${P} x=1 y="two words"; echo $x "$y" $y`,
        '1 two words two words',
        P,
      ),
    );
  });

  it('knows the login environment', () => {
    expect(run(['echo $HOME $USER $HOSTNAME $SHELL $PWD', 'echo $0 $$ "$UNSET"'])).toBe(
      screen(
        `${P} echo $HOME $USER $HOSTNAME $SHELL $PWD`,
        '/home/alice alice laptop.alpha.example /bin/bash /home/alice',
        `${P} echo $0 $$ "$UNSET"`,
        '-bash 1337',
        P,
      ),
    );
  });

  it('answers an unknown command as bash does, with status 127', () => {
    expect(
      run(['nosuch; echo $?', './run.sh; echo $?', '/etc; echo $?', '/etc/hosts; echo $?']),
    ).toBe(
      screen(
        `${P} nosuch; echo $?`,
        '-bash: nosuch: command not found',
        '127',
        `${P} ./run.sh; echo $?`,
        '-bash: ./run.sh: No such file or directory',
        '127',
        `${P} /etc; echo $?`,
        '-bash: /etc: Is a directory',
        '126',
        `${P} /etc/hosts; echo $?`,
        '-bash: /etc/hosts: Permission denied',
        '126',
        P,
      ),
    );
  });

  it('says "command not found" for the tools this host does not have', () => {
    const out = run([
      'mailq',
      'postqueue -p',
      'postsuper -d ALL',
      '#! host ns.example',
      'mail -s hi bob@beta.example',
      'sendmail bob@beta.example',
    ]);
    expect(out).toContain('-bash: mailq: command not found\n');
    expect(out).toContain('-bash: postqueue: command not found\n');
    expect(out).toContain('-bash: postsuper: command not found\n');
    expect(out).toContain('-bash: mail: command not found\n');
    expect(out).toContain('-bash: sendmail: command not found\n');
  });

  it('reports syntax errors and keeps going', () => {
    expect(run(['echo a | | cat', 'echo $?', 'echo $(date)'])).toBe(
      screen(
        `${P} echo a | | cat`,
        "-bash: syntax error near unexpected token `|'",
        `${P} echo $?`,
        '2',
        `${P} echo $(date)`,
        '-bash: command substitution is not supported in this shell',
        P,
      ),
    );
  });

  it('asks for more with > when a line is not complete', () => {
    expect(run(["echo 'one", "two'", 'echo a |', 'base64', 'echo a \\', 'b'])).toBe(
      screen(
        `${P} echo 'one`,
        "> two'",
        'one',
        'two',
        `${P} echo a |`,
        '> base64',
        'YQo=',
        `${P} echo a \\`,
        '> b',
        'a b',
        P,
      ),
    );
  });

  it('runs a background job in the foreground, saying so', () => {
    expect(run('echo hi &\n')).toBe(
      screen(
        `${P} echo hi &`,
        '-bash: job control is not available here; running in the foreground',
        'hi',
        P,
      ),
    );
  });
});

describe('pipes', () => {
  it('feeds each stage the bytes the previous one wrote', () => {
    expect(run(["printf 'a\\0b' | base64 | base64 -d | base64", 'echo hello | cat | cat -n'])).toBe(
      screen(
        `${P} printf 'a\\0b' | base64 | base64 -d | base64`,
        'YQBi',
        `${P} echo hello | cat | cat -n`,
        '     1  hello',
        P,
      ),
    );
  });

  it('shows errors of every stage and takes the status of the last', () => {
    expect(run(['cat nosuch | base64; echo $?', 'echo x | nosuch; echo $?'])).toBe(
      screen(
        `${P} cat nosuch | base64; echo $?`,
        'cat: nosuch: No such file or directory',
        '0',
        `${P} echo x | nosuch; echo $?`,
        '-bash: nosuch: command not found',
        '127',
        P,
      ),
    );
  });
});

describe('reading the terminal', () => {
  it('cat and base64 read typed lines until Ctrl-D', () => {
    const { session, screen: view } = terminal();
    session.type('cat');
    session.input('hello\rworld\r\x04');
    session.type('base64');
    session.input('alice\r\x04');
    session.type('echo done');
    expect(view.text()).toBe(
      [
        `${P} cat`,
        'hello',
        'hello',
        'world',
        'world',
        `${P} base64`,
        'alice',
        'YWxpY2UK',
        `${P} echo done`,
        'done',
        P,
      ].join('\n'),
    );
  });

  it('Ctrl-C stops a command reading the terminal and the rest of its line', () => {
    const { session, screen: view } = terminal();
    session.type('cat > typed.txt; echo not reached');
    session.input('partial line\r\x03');
    session.type('echo $?; cat typed.txt');
    expect(view.text()).toBe(
      [
        `${P} cat > typed.txt; echo not reached`,
        'partial line',
        '^C',
        `${P} echo $?; cat typed.txt`,
        '130',
        'partial line',
        P,
      ].join('\n'),
    );
  });
});

describe('the terminal session', () => {
  it('keeps a history, shown by history and recalled with Up', () => {
    const { session, screen: view } = terminal();
    session.type('echo one');
    session.type('echo two');
    session.type('history');
    session.input('\x1b[A\x1b[A');
    expect(view.text().split('\n').slice(-5)).toEqual(
      [
        'two',
        `${P} history`,
        '    1  echo one',
        '    2  echo two',
        '    3  history',
        `${P} echo two`,
      ].slice(-5),
    );
  });

  it('does not record lines typed to a program (telnet) in the shell history', () => {
    const { session } = terminal();
    session.type('telnet mx1.beta.example 25');
    session.type('HELO x');
    session.type('QUIT');
    session.type('history');
    expect(session.history).toEqual(['telnet mx1.beta.example 25', 'history']);
  });

  it('exit and Ctrl-D log out; a fresh login shell follows', () => {
    const { session, screen: view } = terminal();
    session.type('cd /tmp');
    session.type('exit 3; echo not reached');
    session.type('echo $? $PWD');
    session.input('\x04');
    expect(view.text()).toBe(
      [
        `${P} cd /tmp`,
        'alice@laptop:/tmp$ exit 3; echo not reached',
        'logout',
        `${P} echo $? $PWD`,
        '0 /home/alice',
        `${P} logout`,
        P,
      ].join('\n'),
    );
  });

  it('Ctrl-C at the prompt abandons the line, and a continuation', () => {
    const { session, screen: view } = terminal();
    session.input('echo abc\x03');
    session.type("echo 'open");
    session.input('\x03');
    session.type('echo ok');
    expect(view.text()).toBe(
      [`${P} echo abc^C`, `${P} echo 'open`, '> ^C', `${P} echo ok`, 'ok', P].join('\n'),
    );
  });

  it('clear wipes the screen; into a pipe it writes the escape sequence as bytes', () => {
    const { session, screen: view, raw } = terminal();
    session.type('echo before');
    session.type('clear');
    expect(view.text()).toBe(P);
    expect(raw.join('')).toContain('\x1b[H\x1b[2J\x1b[3J');
    session.type('clear | base64');
    expect(view.text()).toContain('G1tIG1syShtbM0oK'.slice(0, 12));
  });

  it('a line that exactly fills the width is not followed by an empty row', () => {
    const { session, screen: view } = terminal();
    const fill = 'x'.repeat(80 - `${P} echo `.length);
    session.type(`echo ${fill}`);
    expect(view.text()).toBe([`${P} echo ${fill}`, fill, P].join('\n'));
  });
});

describe('help, man and --help', () => {
  it('help lists the commands with one line each', () => {
    const out = run('help\n');
    expect(out).toContain(
      'Commands on laptop.alpha.example (COMMAND --help or man COMMAND for more):\n',
    );
    expect(out).toContain('\n  base64    base64 encode/decode data and print to standard output\n');
    expect(out).toContain('\n  dig       DNS lookup utility\n');
  });

  it('man shows a page in the man layout, and knows when there is none', () => {
    expect(run(['man echo', 'man nosuch', 'man'])).toBe(
      screen(
        `${P} man echo`,
        'ECHO(1)                         User Commands                          ECHO(1)',
        '',
        'NAME',
        '       echo - display a line of text',
        '',
        'SYNOPSIS',
        '       echo [-neE] [STRING]...',
        '',
        'DESCRIPTION',
        '       Echo the STRING(s) to standard output, separated by single spaces and',
        '       followed by a newline.',
        '',
        '       With -e, these backslash escapes are interpreted: \\\\ backslash, \\a',
        '       alert, \\b backspace, \\c produce no further output, \\e escape, \\f form',
        '       feed, \\n new line, \\r carriage return, \\t horizontal tab, \\v vertical',
        '       tab, \\0NNN the byte with octal value NNN (zero to three digits), \\xHH',
        '       the byte with hexadecimal value HH (one or two digits).',
        '',
        'OPTIONS',
        '       -n     do not output the trailing newline',
        '',
        '       -e     enable interpretation of backslash escapes',
        '',
        '       -E     disable interpretation of backslash escapes (the default)',
        '',
        'EXAMPLES',
        "       echo -ne '\\0alice\\0wonderland' | base64",
        '              The SASL PLAIN string for AUTH PLAIN: NUL, user name, NUL,',
        '              password, base64-encoded.',
        '',
        "       echo 'Subject: hello' > message.txt",
        '              Start a message file in the home directory.',
        '',
        'SEE ALSO',
        '       printf(1), base64(1)',
        '',
        'SMTP Lab                         January 2026                          ECHO(1)',
        `${P} man nosuch`,
        'No manual entry for nosuch',
        `${P} man`,
        'What manual page do you want?',
        "For example, try 'man man'.",
        P,
      ),
    );
  });

  it('every command has a man page with NAME, SYNOPSIS, DESCRIPTION and EXAMPLES, and --help', () => {
    const names = run('help | cat\n')
      .split('\n')
      .flatMap((line) => /^ {2}(\S+) /.exec(line)?.[1] ?? []);
    expect(names.length).toBeGreaterThan(25);
    for (const name of names) {
      const page = run(`man ${name}\n`);
      for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES']) {
        expect(page, `${name}: ${section}`).toContain(`\n${section}\n`);
      }
      expect(run(`${name} --help\n`), name).toMatch(/^\S+ \S.*\nUsage: /);
    }
  });

  it('--help prints a GNU-style usage', () => {
    expect(run('base64 --help\n')).toBe(
      screen(
        `${P} base64 --help`,
        'Usage: base64 [OPTION]... [FILE]',
        'Base64 encode or decode FILE, or standard input, to standard output. With no',
        'FILE, or when FILE is -, read standard input.',
        '',
        '  -d, --decode          decode data',
        '  -i, --ignore-garbage  when decoding, ignore non-alphabet characters',
        '  -w, --wrap=COLS       wrap encoded lines after COLS character (default 76).',
        '                        Use 0 to disable line wrapping',
        '',
        'Examples:',
        "  echo -ne '\\0alice\\0wonderland' | base64",
        '  echo -n alice | base64',
        '  echo VXNlcm5hbWU6 | base64 -d',
        '',
        'Full documentation: man base64',
        P,
      ),
    );
  });
});
