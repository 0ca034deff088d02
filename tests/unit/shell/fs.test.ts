import { describe, expect, it } from 'vitest';
import { text, utf8 } from '../../../src/engine/bytes';
import { hostFileSystem, resolvePath } from '../../../src/shell/fs';
import { lab, run, SEND_TO_BOB } from './support';

const read = (r: { ok: boolean; value?: Uint8Array; error?: string }) =>
  r.ok ? text(r.value!) : r.error;

describe('resolvePath', () => {
  it.each([
    ['/home/alice', 'notes.txt', '/home/alice/notes.txt'],
    ['/home/alice', '../bob/./x', '/home/bob/x'],
    ['/home/alice', '/etc//hosts', '/etc/hosts'],
    ['/', '../..', '/'],
    ['/var/mail', '.', '/var/mail'],
  ])('%s + %s = %s', (cwd, path, expected) => {
    expect(resolvePath(cwd, path)).toBe(expected);
  });
});

describe('the simulated file system', () => {
  it('is one per host and keeps files for the session', () => {
    const l = lab();
    const a = hostFileSystem(l.world, 'laptop.alpha.example');
    expect(hostFileSystem(l.world, 'laptop.alpha.example')).toBe(a);
    expect(hostFileSystem(l.world, 'mx1.beta.example')).not.toBe(a);
    expect(a.write('/home/alice/n.txt', 'alice', utf8('one\n'), false)).toEqual({
      ok: true,
      value: undefined,
    });
    expect(a.write('/home/alice/n.txt', 'alice', utf8('two\n'), true).ok).toBe(true);
    expect(read(a.read('/home/alice/n.txt', 'alice'))).toBe('one\ntwo\n');
    expect(a.stat('/home/alice/n.txt', 'alice')).toMatchObject({
      ok: true,
      value: { type: 'file', size: 8, owner: 'alice', group: 'alice', mode: 0o644 },
    });
  });

  it('gives the terminal user a home, and root /root', () => {
    const l = lab();
    const laptop = hostFileSystem(l.world, 'laptop.alpha.example');
    expect(laptop.home('alice')).toBe('/home/alice');
    expect(laptop.list('/home/alice', 'alice')).toEqual({
      ok: true,
      value: ['.bashrc', '.profile'],
    });
    const mx1 = hostFileSystem(l.world, 'mx1.beta.example');
    expect(mx1.home('root')).toBe('/root');
    // Mail users have homes where their mailboxes are.
    expect(mx1.list('/home', 'root')).toEqual({ ok: true, value: ['bob', 'carol'] });
  });

  it('enforces permissions for ordinary users, not for root', () => {
    const fs = hostFileSystem(lab().world, 'laptop.alpha.example');
    expect(fs.list('/root', 'alice')).toEqual({ ok: false, error: 'EACCES' });
    expect(fs.read('/root/.bashrc', 'alice')).toEqual({ ok: false, error: 'EACCES' });
    expect(fs.write('/etc/hosts', 'alice', utf8('x'), false)).toEqual({
      ok: false,
      error: 'EACCES',
    });
    expect(fs.write('/etc/motd', 'alice', utf8('x'), false)).toEqual({
      ok: false,
      error: 'EACCES',
    });
    expect(fs.write('/etc/motd', 'root', utf8('x'), false).ok).toBe(true);
    expect(fs.write('/tmp/scratch', 'alice', utf8('x'), false).ok).toBe(true);
    // /tmp is sticky: only the owner may remove a file there.
    expect(fs.remove('/tmp/scratch', 'bob', {})).toEqual({ ok: false, error: 'EACCES' });
    expect(fs.remove('/tmp/scratch', 'alice', {}).ok).toBe(true);
  });

  it('reports the errors a Unix system would', () => {
    const fs = hostFileSystem(lab().world, 'laptop.alpha.example');
    expect(fs.read('/nope', 'alice')).toEqual({ ok: false, error: 'ENOENT' });
    expect(fs.read('/etc', 'alice')).toEqual({ ok: false, error: 'EISDIR' });
    expect(fs.read('/etc/hosts/x', 'alice')).toEqual({ ok: false, error: 'ENOTDIR' });
    expect(fs.write('/nodir/x', 'root', utf8(''), false)).toEqual({ ok: false, error: 'ENOENT' });
    expect(fs.mkdir('/tmp', 'root')).toEqual({ ok: false, error: 'EEXIST' });
    fs.mkdir('/tmp/d', 'alice');
    fs.write('/tmp/d/f', 'alice', utf8('x'), false);
    expect(fs.remove('/tmp/d', 'alice', {})).toEqual({ ok: false, error: 'EISDIR' });
    expect(fs.remove('/tmp/d', 'alice', { emptyDir: true })).toEqual({
      ok: false,
      error: 'ENOTEMPTY',
    });
    expect(fs.remove('/tmp/d', 'alice', { recursive: true }).ok).toBe(true);
  });

  it('has /dev/null, which swallows writes and reads empty', () => {
    const fs = hostFileSystem(lab().world, 'laptop.alpha.example');
    expect(fs.write('/dev/null', 'alice', utf8('gone'), false).ok).toBe(true);
    expect(read(fs.read('/dev/null', 'alice'))).toBe('');
    expect(fs.stat('/dev/null', 'alice')).toMatchObject({
      ok: true,
      value: { type: 'dev', device: [1, 3] },
    });
  });

  it('writes /etc/hosts, /etc/hostname and /etc/resolv.conf from the scenario', () => {
    const fs = hostFileSystem(lab().world, 'mail.alpha.example');
    expect(read(fs.read('/etc/resolv.conf', 'root'))).toBe('nameserver 198.51.100.53\n');
    expect(read(fs.read('/etc/hostname', 'root'))).toBe('mail\n');
    expect(read(fs.read('/etc/mailname', 'root'))).toBe('mail.alpha.example\n');
    expect(read(fs.read('/etc/hosts', 'root'))).toMatch(
      /^127\.0\.0\.1\tlocalhost\n192\.0\.2\.25\tmail\.alpha\.example\tmail\n/,
    );
    const laptop = hostFileSystem(lab().world, 'laptop.alpha.example');
    expect(laptop.read('/etc/mailname', 'alice')).toEqual({ ok: false, error: 'ENOENT' });
  });

  it('shows a mailbox at /var/mail/USER once mail was delivered, in mbox form', () => {
    const l = lab();
    const fs = hostFileSystem(l.world, 'mx1.beta.example');
    expect(fs.list('/var/mail', 'root')).toEqual({ ok: true, value: [] });
    run(SEND_TO_BOB, l);
    expect(fs.list('/var/mail', 'root')).toEqual({ ok: true, value: ['bob'] });
    const mbox = read(fs.read('/var/mail/bob', 'root'))!;
    const raw = l.world.mailstore('mx1.beta.example')!.messages('bob')[0]!.raw;
    expect(mbox).toBe(
      'From alice@alpha.example  Mon Jan  5 09:00:00 2026\n' +
        raw.replace(/\r\n/g, '\n').replace('\nFrom here on', '\n>From here on') +
        '\n',
    );
    expect(fs.stat('/var/mail/bob', 'root')).toMatchObject({
      ok: true,
      value: { owner: 'bob', group: 'mail', mode: 0o660, size: utf8(mbox).length },
    });
    // The spool belongs to the mail system: not even root writes or removes there.
    expect(fs.write('/var/mail/bob', 'root', utf8('x'), false)).toEqual({
      ok: false,
      error: 'EROFS',
    });
    expect(fs.write('/var/mail/eve', 'root', utf8('x'), false)).toEqual({
      ok: false,
      error: 'EROFS',
    });
    expect(fs.remove('/var/mail/bob', 'root', {})).toEqual({ ok: false, error: 'EROFS' });
    expect(fs.read('/var/mail/bob', 'carol')).toEqual({ ok: false, error: 'EACCES' });
  });
});
