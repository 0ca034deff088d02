import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/shell/lab';
import { runScript, ScriptError, parseDuration } from '../../../src/shell/script';

const run = (script: string) => runScript(new Lab(), script, 'test.script');

describe('telnet, headless (golden transcripts)', () => {
  it('prints a whole SMTP session exactly as a terminal shows it', () => {
    const script = [
      'telnet mx1.beta.example 25',
      'HELO laptop.alpha.example',
      'MAIL FROM:<alice@alpha.example>',
      'RCPT TO:<bob@beta.example>',
      'DATA',
      'Subject: test message',
      '',
      'Hello,',
      '..a line that starts with a dot',
      '.',
      'QUIT',
    ].join('\n');
    expect(run(script)).toBe(
      [
        'alice@laptop:~$ telnet mx1.beta.example 25',
        'Trying 203.0.113.25...',
        'Connected to mx1.beta.example.',
        "Escape character is '^]'.",
        '220 mx1.beta.example ESMTP SMTP Lab',
        'HELO laptop.alpha.example',
        '250 mx1.beta.example',
        'MAIL FROM:<alice@alpha.example>',
        '250 2.1.0 Ok',
        'RCPT TO:<bob@beta.example>',
        '250 2.1.5 Ok',
        'DATA',
        '354 End data with <CR><LF>.<CR><LF>',
        'Subject: test message',
        '',
        'Hello,',
        '..a line that starts with a dot',
        '.',
        '250 2.0.0 Ok: queued as A08FF49B6F',
        'QUIT',
        '221 2.0.0 Bye',
        'Connection closed by foreign host.',
        'alice@laptop:~$',
        '',
      ].join('\n'),
    );
  });

  it('delivers the typed message to bob, dot-unstuffed, with trace headers', () => {
    const lab = new Lab();
    runScript(
      lab,
      'telnet mx1.beta.example smtp\nEHLO laptop.alpha.example\nMAIL FROM:<alice@alpha.example>\nRCPT TO:<bob@beta.example>\nDATA\nSubject: hi\n\n..dot\n.\nQUIT\n',
      'test',
    );
    const [message] = lab.world.mailstore('mx1.beta.example')!.messages('bob');
    expect(message?.raw).toMatch(
      /^Return-Path: <alice@alpha\.example>\r\nDelivered-To: bob@beta\.example\r\nReceived: from laptop\.alpha\.example \(laptop\.alpha\.example \[192\.0\.2\.10\]\)\r\n\tby mx1\.beta\.example \(SMTP Lab\) with ESMTP id [0-9A-F]{10}\r\n\tfor <bob@beta\.example>; Mon, 5 Jan 2026 09:00:00 \+0000\r\nSubject: hi\r\n\r\n\.dot\r\n$/,
    );
  });

  it('says what telnet says when a port is closed, a host unknown, or a port unknown', () => {
    expect(
      run('telnet mx1.beta.example 2525\ntelnet nosuch.example 25\ntelnet mx1.beta.example nope\n'),
    ).toBe(
      [
        'alice@laptop:~$ telnet mx1.beta.example 2525',
        'Trying 203.0.113.25...',
        'telnet: Unable to connect to remote host: Connection refused',
        'alice@laptop:~$ telnet nosuch.example 25',
        'telnet: could not resolve nosuch.example/25: Name or service not known',
        'alice@laptop:~$ telnet mx1.beta.example nope',
        'telnet: could not resolve mx1.beta.example/nope: Servname not supported for ai_socktype',
        'alice@laptop:~$',
        '',
      ].join('\n'),
    );
  });

  it('shows control characters the server never sent as text, and a line over 512 octets is refused', () => {
    const out = run(`telnet mx1.beta.example 25\n${'X'.repeat(600)}\nNOOP\n`);
    expect(out).toContain('500 5.5.0 Error: line too long\n');
    expect(out).toContain('NOOP\n250 2.0.0 Ok\n');
  });

  it('leaves telnet with Ctrl-] and quit', () => {
    const lab = new Lab();
    const out = runScript(lab, 'telnet mx1.beta.example 25\n\x1dquit\nhostname\n', 'test');
    expect(out).toContain(
      '220 mx1.beta.example ESMTP SMTP Lab\n^]\ntelnet> quit\nConnection closed.\nalice@laptop:~$ hostname\nlaptop\n',
    );
  });

  it('switches hosts with #! host and advances time with #! wait', () => {
    expect(run('#! host mx1.beta.example\nhostname -f\n#! wait 90s\ndate\n')).toBe(
      '== mx1.beta.example ==\nroot@mx1:~# hostname -f\nmx1.beta.example\nroot@mx1:~# date\nMon Jan  5 09:01:30 UTC 2026\nroot@mx1:~#\n',
    );
  });

  it('rejects a bad directive, naming the script and line', () => {
    expect(() => run('hostname\n#! jump 3\n')).toThrow(
      new ScriptError(
        'test.script:2: unknown directive "#! jump 3" (use "#! host NAME", "#! wait DURATION", "#! caption TEXT" or "#! pause")',
      ),
    );
    expect(() => run('#! host nowhere.example\n')).toThrow(
      /test\.script:1: no host named "nowhere\.example"/,
    );
    expect(() => run('#! wait soon\n')).toThrow(/test\.script:1: bad duration "soon"/);
  });

  it('parses durations', () => {
    expect([
      parseDuration('90s'),
      parseDuration('30m'),
      parseDuration('2h'),
      parseDuration('500ms'),
      parseDuration('5'),
    ]).toEqual([90_000, 1_800_000, 7_200_000, 500, 5000]);
    expect(parseDuration('5 minutes')).toBeUndefined();
  });

  it('runs the same script to the same trace, byte for byte', () => {
    const script =
      'telnet mx1.beta.example 25\nHELO x\nMAIL FROM:<>\nRCPT TO:<bob@beta.example>\nDATA\nhi\n.\nQUIT\n';
    const a = new Lab();
    const b = new Lab();
    runScript(a, script, 'a');
    runScript(b, script, 'b');
    expect(JSON.stringify(a.world.trace.events)).toBe(JSON.stringify(b.world.trace.events));
  });

  it('sends piped input as CRLF lines and waits for the server to close', () => {
    expect(run("printf 'EHLO laptop\\nQUIT\\n' | telnet mx1.beta.example 25; echo $?\n")).toContain(
      '220 mx1.beta.example ESMTP SMTP Lab\n250-mx1.beta.example\n',
    );
    expect(run("printf 'QUIT\\n' | telnet mx1.beta.example 25; echo $?\n")).toContain(
      '221 2.0.0 Bye\nConnection closed by foreign host.\n1\n',
    );
  });

  it('reaches the host itself through localhost, from /etc/hosts', () => {
    expect(run('#! host mx1.beta.example\ntelnet localhost 25\nQUIT\n')).toContain(
      'root@mx1:~# telnet localhost 25\nTrying 127.0.0.1...\nConnected to localhost.\n',
    );
  });

  it('writes the session to a file when redirected, still reading the keyboard', () => {
    const lab = new Lab();
    const out = runScript(
      lab,
      'telnet mx1.beta.example 25 > session.log\nQUIT\ncat session.log\n',
      'test',
    );
    expect(out).toContain(
      'alice@laptop:~$ telnet mx1.beta.example 25 > session.log\nQUIT\nalice@laptop:~$ cat session.log\nTrying 203.0.113.25...\n',
    );
  });
});
