/**
 * ssh [-l USER] [-p PORT] [USER@]HOST [COMMAND]: a login shell on another host of the lab,
 * in this same terminal (OpenSSH 9.2 as Debian 12 ships it). Which account to use comes
 * from USER@, -l, or /etc/ssh/ssh_config.d/smtp-lab.conf (root on the servers, alice on
 * her laptop); the lab's keys are trusted everywhere, so no password is asked. The first
 * connection to a host adds its key to ~/.ssh/known_hosts (StrictHostKeyChecking
 * accept-new). `exit` or Ctrl-D comes back: "Connection to HOST closed."
 */
import { base64Encode } from '../../engine/base64';
import { text, utf8 } from '../../engine/bytes';
import { hostFileSystem } from '../fs';
import { PENDING, type CommandContext } from '../program';
import { getaddrinfo, routeTo } from './resolve';

const USAGE = `usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]
           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]
           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]
           [-i identity_file] [-J [user@]host[:port]] [-L address]
           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option]
           [-P tag] [-p port] [-Q query_option] [-R address]
           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]
           destination [command [argument ...]]
`;

/** ssh_config(5): the User of the first Host block whose patterns match `host`. */
function configuredUser(ctx: CommandContext, host: string): string | undefined {
  const files = [`${ctx.fs.home(ctx.user)}/.ssh/config`, '/etc/ssh/ssh_config.d/smtp-lab.conf'];
  for (const file of files) {
    const read = ctx.fs.read(file, ctx.user);
    if (!read.ok) continue;
    let matching = true;
    for (const raw of text(read.value).split('\n')) {
      const [key = '', ...values] = raw.trim().split(/\s+/);
      if (key.toLowerCase() === 'host') {
        matching = values.some((p) => glob(p, host.toLowerCase()));
      } else if (matching && key.toLowerCase() === 'user' && values[0]) return values[0];
    }
  }
  return undefined;
}

function glob(pattern: string, name: string): boolean {
  const re = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

/** The host key line for known_hosts: "NAME ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI…". */
function hostKey(host: string): string {
  let state = 2166136261;
  for (const c of `${host}/ssh`) state = Math.imul(state ^ c.charCodeAt(0), 16777619) >>> 0;
  const key: number[] = [];
  for (let i = 0; i < 32; i++) {
    state = Math.imul(state ^ (state >>> 15), 2246822507) >>> 0;
    state = Math.imul(state ^ (state >>> 13), 3266489909) >>> 0;
    key.push((state ^ (state >>> 16)) & 0xff);
  }
  const blob = [0, 0, 0, 11, ...utf8('ssh-ed25519'), 0, 0, 0, 32, ...key];
  return `ssh-ed25519 ${base64Encode(Uint8Array.from(blob))}`;
}

export function run(ctx: CommandContext): number | typeof PENDING {
  let login: string | undefined;
  let port = 22;
  let quiet = false;
  const operands: string[] = [];
  const args = ctx.args;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (operands.length > 0 || !arg.startsWith('-') || arg === '-') {
      operands.push(...args.slice(i));
      break;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      if ('46AaCfGgKkMNnsTtVvXxYy'.includes(flag)) continue;
      if (flag === 'q') {
        quiet = true;
        continue;
      }
      if ('BbcDEeFIiJLlmOoPpQRSWw'.includes(flag)) {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) {
          ctx.stderr.write(`option requires an argument -- ${flag}\n${USAGE}`);
          return 255;
        }
        if (flag === 'l') login = value;
        else if (flag === 'p') {
          if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
            ctx.stderr.write(`Bad port '${value}'\n`);
            return 255;
          }
          port = Number(value);
        }
        break;
      }
      ctx.stderr.write(`unknown option -- ${flag}\n${USAGE}`);
      return 255;
    }
  }
  const [destination, ...command] = operands;
  if (destination === undefined) {
    ctx.stderr.write(USAGE);
    return 255;
  }
  const at = destination.lastIndexOf('@');
  const name = at < 0 ? destination : destination.slice(at + 1);
  const user =
    login ??
    (at < 0 ? undefined : destination.slice(0, at)) ??
    configuredUser(ctx, name) ??
    ctx.user;

  getaddrinfo(ctx, name, (resolved) => {
    if (!resolved.ok) {
      ctx.stderr.write(`ssh: Could not resolve hostname ${name}: ${resolved.problem}\n`);
      return ctx.exit(255);
    }
    const address = routeTo(ctx, resolved.address);
    const target = ctx.world.net.hostByAddress(address);
    const spec = target && ctx.world.host(target.name);
    if (!target || !spec || !target.up) {
      // No answer at all: the SYN goes unanswered until the client gives up.
      ctx.world.clock.after(30_000, () => {
        ctx.stderr.write(`ssh: connect to host ${name} port ${port}: Connection timed out\n`);
        ctx.exit(255);
      });
      return;
    }
    if (port !== 22) {
      ctx.stderr.write(`ssh: connect to host ${name} port ${port}: Connection refused\n`);
      return ctx.exit(255);
    }
    if (!hostFileSystem(ctx.world, spec.name).hasUser(user)) {
      ctx.stderr.write(`${user}@${name}: Permission denied (publickey).\n`);
      return ctx.exit(255);
    }
    remember(ctx, name, spec.name, quiet);
    if (command.length > 0 || !ctx.stdin.terminal) {
      const line =
        command.length > 0
          ? command.join(' ')
          : text(ctx.stdin.terminal ? new Uint8Array() : ctx.stdin.data);
      if (command.length === 0) {
        ctx.stderr.write(
          'Pseudo-terminal will not be allocated because stdin is not a terminal.\n',
        );
      }
      // Into a pipe or file, the remote output is plain text again.
      const output = ctx.stdout.isTerminal
        ? undefined
        : (shown: string) => ctx.stdout.write(shown.replace(/\r\n/g, '\n'));
      return ctx.session.remoteCommand(spec.name, user, line, (status) => ctx.exit(status), output);
    }
    ctx.session.remoteLogin(spec.name, user, (status) => {
      ctx.stderr.write(`Connection to ${name} closed.\n`);
      ctx.exit(status);
    });
  });
  return PENDING;
}

/** accept-new: a host seen for the first time is added to ~/.ssh/known_hosts, with a warning. */
function remember(ctx: CommandContext, typed: string, host: string, quiet: boolean): void {
  const dir = `${ctx.fs.home(ctx.user)}/.ssh`;
  const file = `${dir}/known_hosts`;
  const known = ctx.fs.read(file, ctx.user);
  const names = new Set(
    known.ok
      ? text(known.value)
          .split('\n')
          .map((l) => l.split(' ')[0]!.toLowerCase())
      : [],
  );
  if (names.has(typed.toLowerCase())) return;
  ctx.fs.mkdir(dir, ctx.user);
  ctx.fs.write(file, ctx.user, utf8(`${typed} ${hostKey(host)}\n`), true);
  if (!quiet) {
    ctx.stderr.write(
      `Warning: Permanently added '${typed}' (ED25519) to the list of known hosts.\n`,
    );
  }
}
