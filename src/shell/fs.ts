/**
 * A simulated file system per host, in memory for the session: the user's home, /tmp,
 * /dev/null, a few files in /etc drawn from the scenario, and /var/mail, whose mailboxes
 * are the host's mail store shown in mbox form. Permissions follow the Unix owner/group/
 * other bits closely enough that alice cannot read /root or someone else's mailbox.
 */
import type { World } from '../engine/world';
import { utf8 } from '../engine/bytes';
import { mboxOf } from './mbox';
import { mailLogText } from './syslog';

export type FsError =
  'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EACCES' | 'EEXIST' | 'ENOTEMPTY' | 'EROFS' | 'EINVAL';

/** strerror(3) as glibc words it. */
export const ERROR_TEXT: Record<FsError, string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EROFS: 'Read-only file system',
  EINVAL: 'Invalid argument',
};

export type Result<T> = { ok: true; value: T } | { ok: false; error: FsError };

interface Meta {
  mode: number;
  owner: string;
  group: string;
  /** Virtual milliseconds since the world started. */
  mtime: number;
}

type Node =
  | (Meta & { type: 'file'; data: Uint8Array })
  | (Meta & {
      type: 'dir';
      entries: Map<string, Node>;
      /** Entries the engine owns (mailboxes), listed with the others but read-only. */
      generated?: () => [string, Node][];
      /** Nothing can be created or removed here (the mail spool belongs to the mail system). */
      readOnly?: boolean;
    })
  | (Meta & { type: 'dev'; major: number; minor: number })
  | (Meta & { type: 'generated'; content: () => Uint8Array });

export interface Stat {
  type: 'file' | 'dir' | 'dev';
  mode: number;
  owner: string;
  group: string;
  size: number;
  mtime: number;
  links: number;
  device?: [number, number];
}

const S_ISVTX = 0o1000;
const S_ISGID = 0o2000;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: FsError): Result<T> => ({ ok: false, error });

export class FileSystem {
  private root: Node & { type: 'dir' };

  constructor(
    private readonly world: World,
    readonly host: string,
  ) {
    this.root = dir(0o755, 'root');
    this.populate();
  }

  /** Home directory of `user` on this host. */
  home(user: string): string {
    return user === 'root' ? '/root' : `/home/${user}`;
  }

  /** Users with a home here: the terminal's user and everyone with a mailbox. */
  hasUser(user: string): boolean {
    return user === 'root' || this.lookup(`/home/${user}`, 'root').ok;
  }

  stat(path: string, user: string): Result<Stat> {
    const found = this.lookup(path, user);
    if (!found.ok) return found;
    const node = found.value;
    const size =
      node.type === 'file'
        ? node.data.length
        : node.type === 'generated'
          ? node.content().length
          : node.type === 'dir'
            ? 4096
            : 0;
    const links =
      node.type === 'dir'
        ? 2 + [...this.entries(node).values()].filter((n) => n.type === 'dir').length
        : 1;
    return ok({
      type: node.type === 'generated' ? 'file' : node.type,
      mode: node.mode,
      owner: node.owner,
      group: node.group,
      size,
      mtime: node.mtime,
      links,
      ...(node.type === 'dev' ? { device: [node.major, node.minor] as [number, number] } : {}),
    });
  }

  /** access(2): may `user` read (4), write (2) or search/execute (1) `path`? */
  access(path: string, user: string, want: 4 | 2 | 1): boolean {
    const found = this.lookup(path, user);
    return found.ok && allowed(found.value, user, want);
  }

  read(path: string, user: string): Result<Uint8Array> {
    const found = this.lookup(path, user);
    if (!found.ok) return found;
    const node = found.value;
    if (node.type === 'dir') return fail('EISDIR');
    if (!allowed(node, user, 4)) return fail('EACCES');
    if (node.type === 'dev') return ok(new Uint8Array(0));
    return ok(node.type === 'file' ? node.data : node.content());
  }

  /** Names in a directory (without `.` and `..`). */
  list(path: string, user: string): Result<string[]> {
    const found = this.lookup(path, user);
    if (!found.ok) return found;
    const node = found.value;
    if (node.type !== 'dir') return fail('ENOTDIR');
    if (!allowed(node, user, 4)) return fail('EACCES');
    return ok([...this.entries(node).keys()]);
  }

  /** Open for writing as `>` (truncate) or `>>` (append) does, creating a 0644 file. */
  write(path: string, user: string, data: Uint8Array, append: boolean): Result<void> {
    const found = this.lookup(path, user);
    if (found.ok) {
      const node = found.value;
      if (node.type === 'dir') return fail('EISDIR');
      if (!allowed(node, user, 2)) return fail('EACCES');
      if (node.type === 'dev') return ok(undefined);
      if (node.type === 'generated') return fail('EROFS');
      node.data = append ? concat(node.data, data) : data;
      node.mtime = this.world.clock.now;
      return ok(undefined);
    }
    if (found.error !== 'ENOENT') return found;
    const parent = this.parentOf(path, user);
    if (!parent.ok) return parent;
    const { node, name } = parent.value;
    if (!allowed(node, user, 2)) return fail('EACCES');
    if (node.readOnly) return fail('EROFS');
    node.entries.set(name, {
      type: 'file',
      data,
      mode: 0o644,
      owner: user,
      group: user,
      mtime: this.world.clock.now,
    });
    node.mtime = this.world.clock.now;
    return ok(undefined);
  }

  /** Create an empty file or update its time (touch). */
  touch(path: string, user: string): Result<void> {
    const found = this.lookup(path, user);
    if (!found.ok) return this.write(path, user, new Uint8Array(0), true);
    const node = found.value;
    if (!allowed(node, user, 2)) return fail('EACCES');
    if (node.type === 'generated') return fail('EROFS');
    node.mtime = this.world.clock.now;
    return ok(undefined);
  }

  mkdir(path: string, user: string): Result<void> {
    if (this.lookup(path, user).ok) return fail('EEXIST');
    const parent = this.parentOf(path, user);
    if (!parent.ok) return parent;
    const { node, name } = parent.value;
    if (!allowed(node, user, 2)) return fail('EACCES');
    if (node.readOnly) return fail('EROFS');
    const created = dir(0o755, user);
    created.mtime = this.world.clock.now;
    node.entries.set(name, created);
    node.mtime = this.world.clock.now;
    return ok(undefined);
  }

  /** Remove a file, or a directory when `recursive` (rm -r) or it is empty (`emptyDir`). */
  remove(
    path: string,
    user: string,
    how: { recursive?: boolean; emptyDir?: boolean },
  ): Result<void> {
    const found = this.lookup(path, user);
    if (!found.ok) return found;
    const parent = this.parentOf(path, user);
    if (!parent.ok) return parent;
    const { node: dirNode, name } = parent.value;
    const node = found.value;
    if (node.type === 'dir') {
      if (!how.recursive && !how.emptyDir) return fail('EISDIR');
      if (!how.recursive && this.entries(node).size > 0) return fail('ENOTEMPTY');
      if (node === this.root) return fail('EACCES');
    }
    if (!allowed(dirNode, user, 2)) return fail('EACCES');
    if (dirNode.readOnly || node.type === 'generated' || (node.type === 'dir' && node.readOnly)) {
      return fail('EROFS');
    }
    // The sticky bit (/tmp): only the owner may remove.
    if (dirNode.mode & S_ISVTX && user !== 'root' && node.owner !== user) return fail('EACCES');
    dirNode.entries.delete(name);
    dirNode.mtime = this.world.clock.now;
    return ok(undefined);
  }

  /**
   * Show `content` at `path` (creating directories on the way), read-only: how the shell
   * exposes things the engine owns, such as a mailbox or a log.
   */
  mountGenerated(path: string, meta: Omit<Meta, 'mtime'>, content: () => Uint8Array): void {
    const names = path.split('/').filter(Boolean);
    let node = this.root;
    for (const name of names.slice(0, -1)) {
      const next = node.entries.get(name) ?? dir(0o755, 'root');
      if (next.type !== 'dir') throw new Error(`${path}: not under a directory`);
      node.entries.set(name, next);
      node = next;
    }
    node.entries.set(names.at(-1)!, { type: 'generated', ...meta, mtime: 0, content });
  }

  private entries(node: Node & { type: 'dir' }): Map<string, Node> {
    if (!node.generated) return node.entries;
    return new Map([...node.entries, ...node.generated()]);
  }

  /** Walk an absolute, normalized path; every directory on the way must be searchable. */
  private lookup(path: string, user: string): Result<Node> {
    let node: Node = this.root;
    for (const name of path.split('/').filter(Boolean)) {
      if (node.type !== 'dir') return fail('ENOTDIR');
      if (!allowed(node, user, 1)) return fail('EACCES');
      const next: Node | undefined = this.entries(node).get(name);
      if (!next) return fail('ENOENT');
      node = next;
    }
    return ok(node);
  }

  private parentOf(
    path: string,
    user: string,
  ): Result<{ node: Node & { type: 'dir' }; name: string }> {
    const names = path.split('/').filter(Boolean);
    const name = names.pop();
    if (name === undefined) return fail('EEXIST');
    const parent = this.lookup('/' + names.join('/'), user);
    if (!parent.ok) return parent;
    if (parent.value.type !== 'dir') return fail('ENOTDIR');
    return ok({ node: parent.value, name });
  }

  private populate(): void {
    const spec = this.world.host(this.host);
    const short = this.host.split('.')[0]!;
    const address = spec?.address ?? '127.0.1.1';
    const mkdirs = (path: string, mode: number, owner = 'root', group = owner) => {
      const names = path.split('/').filter(Boolean);
      let node = this.root;
      for (const name of names) {
        let next = node.entries.get(name);
        if (!next) node.entries.set(name, (next = dir(0o755, 'root')));
        node = next as Node & { type: 'dir' };
      }
      Object.assign(node, { mode, owner, group });
      return node;
    };
    const file = (
      at: Node & { type: 'dir' },
      name: string,
      text: string,
      owner = 'root',
      mode = 0o644,
    ) =>
      at.entries.set(name, { type: 'file', data: utf8(text), mode, owner, group: owner, mtime: 0 });

    for (const d of ['bin', 'usr/bin', 'usr/sbin', 'var/log', 'var/spool']) mkdirs(d, 0o755);
    mkdirs('tmp', 0o777 | S_ISVTX);
    const dev = mkdirs('dev', 0o755);
    dev.entries.set('null', {
      type: 'dev',
      major: 1,
      minor: 3,
      mode: 0o666,
      owner: 'root',
      group: 'root',
      mtime: 0,
    });

    const etc = mkdirs('etc', 0o755);
    file(etc, 'hostname', `${short}\n`);
    file(
      etc,
      'hosts',
      `127.0.0.1\tlocalhost\n${address}\t${this.host}\t${short}\n\n` +
        '# The following lines are desirable for IPv6 capable hosts\n' +
        '::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n',
    );
    const ns = this.world.scenario.hosts.find((h) => h.role === 'dns');
    file(etc, 'resolv.conf', ns ? `nameserver ${ns.address}\n` : '');
    if (spec && spec.smtp.length > 0) file(etc, 'mailname', `${this.host}\n`);
    const mta = spec !== undefined && spec.smtp.length > 0;
    const workstation = spec?.role === 'workstation';
    if (mta || workstation) file(etc, 'mail.rc', MAIL_RC);
    // ssh(1) reads the drop-ins of /etc/ssh/ssh_config.d: the account to use on each host.
    const sshConf = mkdirs('etc/ssh/ssh_config.d', 0o755);
    file(sshConf, 'smtp-lab.conf', sshConfig(this.world));
    if (workstation && spec.user !== 'root') {
      // msmtp-mta: sendmail(8) here hands mail to the submission server (RFC 6409).
      const rc = msmtprc(this.world, spec.user);
      if (rc) {
        etc.entries.set('msmtprc', {
          type: 'file',
          data: utf8(rc),
          mode: 0o640,
          owner: 'root',
          group: 'msmtp',
          mtime: 0,
        });
      }
    }
    if (mta) {
      // rsyslog's file of the mail facility (Debian: root:adm, 0640).
      this.mountGenerated('/var/log/mail.log', { mode: 0o640, owner: 'root', group: 'adm' }, () =>
        utf8(mailLogText(this.world, this.host)),
      );
    }

    const store = this.world.mailstore(this.host);
    const mailUsers = (store?.users() ?? []).filter((u) => u !== 'postmaster');
    const users = new Set([...(spec && spec.user !== 'root' ? [spec.user] : []), ...mailUsers]);
    mkdirs('home', 0o755);
    for (const user of ['root', ...users]) {
      const home = mkdirs(this.home(user).slice(1), 0o700, user);
      file(home, '.bashrc', BASHRC, user);
      file(home, '.profile', PROFILE, user);
    }

    const mail = mkdirs('var/mail', 0o775 | S_ISGID, 'root', 'mail');
    mail.readOnly = true;
    // A mailbox file exists once something was delivered to it, as with Postfix's local(8).
    mail.generated = () =>
      (store?.users() ?? []).flatMap((user): [string, Node][] => {
        const messages = store!.messages(user);
        if (messages.length === 0) return [];
        const mtime = messages.at(-1)!.deliveredAt;
        const content = () => utf8(mboxOf(messages, this.world.epoch));
        return [
          [user, { type: 'generated', mode: 0o660, owner: user, group: 'mail', mtime, content }],
        ];
      });
  }
}

/** Debian's bsd-mailx defaults, and `hold`: read mail stays in /var/mail (the lab's views show it). */
const MAIL_RC = `set ask askcc append dot save crt
ignore Received Message-Id Resent-Message-Id Status Mail-From Return-Path Via Delivered-To
# SMTP Lab: keep read messages in the system mailbox instead of moving them to ~/mbox.
set hold
`;

function sshConfig(world: World): string {
  const hosts = world.scenario.hosts.map(
    (h) => `Host ${h.name} ${h.address}\n    User ${h.user}\n`,
  );
  return (
    '# SMTP Lab: the account ssh logs in as on each host of this world.\n' +
    'StrictHostKeyChecking accept-new\n\n' +
    hosts.join('')
  );
}

/** msmtp's system configuration for `user`'s workstation, from the scenario's accounts. */
function msmtprc(world: World, user: string): string | undefined {
  const account = world.scenario.users.find((u) => u.address.split('@')[0]!.toLowerCase() === user);
  if (!account) return undefined;
  const msa =
    world.scenario.hosts.find(
      (h) => h.name === account.mailHost && h.smtp.some((s) => s.port === 587),
    ) ?? world.scenario.hosts.find((h) => h.smtp.some((s) => s.port === 587));
  if (!msa) return undefined;
  return [
    '# msmtp(1): how sendmail(8) and mail(1) on this host send mail: by submission',
    "# (RFC 6409) to the provider's server, with STARTTLS and SMTP AUTH.",
    'defaults',
    'auth           on',
    'tls            on',
    'tls_starttls   on',
    '',
    `account        ${account.address.split('@')[1]}`,
    `host           ${msa.name}`,
    'port           587',
    `from           ${account.address}`,
    `user           ${user}`,
    ...(account.password !== undefined ? [`password       ${account.password}`] : []),
    '',
    `account default : ${account.address.split('@')[1]}`,
    '',
  ].join('\n');
}

const BASHRC = `# ~/.bashrc: executed by bash(1) for non-login shells.

# If not running interactively, don't do anything
case $- in
    *i*) ;;
      *) return;;
esac

HISTCONTROL=ignoreboth
PS1='\\u@\\h:\\w\\$ '
alias ls='ls --color=auto'
`;

const PROFILE = `# ~/.profile: executed by the command interpreter for login shells.

if [ -n "$BASH_VERSION" ]; then
    if [ -f "$HOME/.bashrc" ]; then
        . "$HOME/.bashrc"
    fi
fi
`;

function dir(mode: number, owner: string): Node & { type: 'dir' } {
  return { type: 'dir', entries: new Map(), mode, owner, group: owner, mtime: 0 };
}

/** `want` is 4 (read), 2 (write) or 1 (execute/search). */
function allowed(node: Meta, user: string, want: number): boolean {
  if (user === 'root')
    return want !== 1 || (node as Node).type === 'dir' || (node.mode & 0o111) !== 0;
  const bits =
    node.owner === user ? node.mode >> 6 : node.group === user ? node.mode >> 3 : node.mode;
  return (bits & want) !== 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const systems = new WeakMap<World, Map<string, FileSystem>>();

/** The file system of `host` in `world`: one per host, shared by its terminals. */
export function hostFileSystem(world: World, host: string): FileSystem {
  let byHost = systems.get(world);
  if (!byHost) systems.set(world, (byHost = new Map()));
  let fs = byHost.get(host);
  if (!fs) byHost.set(host, (fs = new FileSystem(world, host)));
  return fs;
}

/** Make `path` absolute and normal (no `.`, `..` or doubled slashes), relative to `cwd`. */
export function resolvePath(cwd: string, path: string): string {
  const names: string[] = [];
  for (const name of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (name === '' || name === '.') continue;
    if (name === '..') names.pop();
    else names.push(name);
  }
  return '/' + names.join('/');
}
