import { describe, expect, it } from 'vitest';
import { complete, commonPrefix, type CompletionSource } from '../../../src/shell/complete';
import { terminal } from './support';

const P = 'alice@laptop:~$';

/** Type `keys` on a fresh laptop terminal; the screen's last line and the bells rung. */
function typeKeys(keys: string, setup: string[] = []) {
  const t = terminal();
  for (const line of setup) t.session.type(line);
  const before = t.raw.length;
  t.session.input(keys);
  const bells = t.raw.slice(before).join('').split('\x07').length - 1;
  return { lines: t.screen.text().split('\n'), last: t.screen.text().split('\n').at(-1), bells };
}

describe('Tab completion in the terminal', () => {
  it('completes a command name, adding a space', () => {
    expect(typeKeys('pi\t|').last).toBe(`${P} ping |`);
    expect(typeKeys('nsl\t|').last).toBe(`${P} nslookup |`);
  });

  it('completes host names and addresses from the world after a network command', () => {
    expect(typeKeys('ping mx1\t|').last).toBe(`${P} ping mx1.beta.example |`);
    expect(typeKeys('telnet 192.0.2.2\t|').last).toBe(`${P} telnet 192.0.2.25 |`);
    expect(typeKeys('dig @198\t|').last).toBe(`${P} dig @198.51.100.53 |`);
    expect(typeKeys('dig MX be\t|').last).toBe(`${P} dig MX beta.example |`);
    expect(typeKeys('ssh alice@mai\t|').last).toBe(`${P} ssh alice@mail.alpha.example |`);
    expect(typeKeys('nc mx2\t|').last).toBe(`${P} nc mx2.beta.example |`);
  });

  it('rings on the first ambiguous Tab and lists the candidates on the second, like bash', () => {
    const once = typeKeys('telnet m\t');
    expect([once.last, once.bells]).toEqual([`${P} telnet m`, 1]);
    const twice = typeKeys('telnet m\t\t');
    expect(twice.lines.slice(-3)).toEqual([
      `${P} telnet m`,
      'mail.alpha.example  mx1.beta.example  mx2.beta.example',
      `${P} telnet m`,
    ]);
  });

  it('inserts the common prefix first', () => {
    expect(typeKeys('ping 203\t').last).toBe(`${P} ping 203.0.113.2`);
    expect(typeKeys('ping 203\t\t').lines.slice(-2)).toEqual([
      '203.0.113.25  203.0.113.26',
      `${P} ping 203.0.113.2`,
    ]);
  });

  it('completes file names, directories with a slash, and quotes spaces', () => {
    expect(typeKeys('cat /etc/ho\t').last).toBe(`${P} cat /etc/host`);
    expect(typeKeys('cat /etc/ho\t\t').lines.slice(-2)).toEqual([
      'hostname  hosts',
      `${P} cat /etc/host`,
    ]);
    expect(typeKeys('cd /v\tm\t').last).toBe(`${P} cd /var/mail/`);
    expect(typeKeys('ls ~/.b\t|').last).toBe(`${P} ls ~/.bashrc |`);
    expect(typeKeys('cat my\t|', ['touch "my notes.txt"']).last).toBe(`${P} cat my\\ notes.txt |`);
    expect(typeKeys('echo hi > no\t|', ['touch notes.txt']).last).toBe(
      `${P} echo hi > notes.txt |`,
    );
  });

  it('offers only the commands this host has', () => {
    const all = typeKeys('\t\t').lines.join('\n');
    expect(all).toContain('base64');
    expect(all).toContain('telnet');
    expect(all).not.toContain('mailq');
  });

  it('completes in the middle of a line, leaving the rest', () => {
    expect(typeKeys('ping mx1 -c 1\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\t').last).toBe(
      `${P} ping mx1.beta.example  -c 1`,
    );
  });

  it('does nothing in a program reading lines (telnet)', () => {
    const t = terminal();
    t.session.type('telnet mx1.beta.example 25');
    t.session.input('HE\t');
    expect(t.screen.text().split('\n').at(-1)).toBe('HE');
  });
});

describe('the completion function', () => {
  const source: CompletionSource = {
    commands: () => ['cat', 'cd', 'dig'],
    hosts: () => ['mx1.beta.example', 'beta.example'],
    list: (dir) =>
      dir === '/home/alice'
        ? [
            { name: 'notes.txt', dir: false },
            { name: 'mail', dir: true },
          ]
        : undefined,
    argumentKind: (name) => (name === 'dig' ? 'hosts' : name === 'cd' ? 'dirs' : 'files'),
    resolve: (path) => (path === '.' ? '/home/alice' : path),
  };

  it('completes commands after a pipe or a semicolon, arguments elsewhere', () => {
    expect(complete('echo x | c', 10, source).candidates.map((c) => c.text)).toEqual(['cat', 'cd']);
    expect(complete('true; di', 8, source).candidates.map((c) => c.text)).toEqual(['dig']);
    expect(complete('cat n', 5, source).candidates.map((c) => c.text)).toEqual(['notes.txt']);
    expect(complete('cd ', 3, source).candidates.map((c) => c.display)).toEqual(['mail/']);
    expect(complete('dig b', 5, source).candidates.map((c) => c.text)).toEqual(['beta.example']);
  });

  it('finds the common prefix', () => {
    expect(commonPrefix(['mx1.beta', 'mx2.beta'])).toBe('mx');
    expect(commonPrefix([])).toBe('');
  });
});
