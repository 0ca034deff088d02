/**
 * Name resolution as the C library does it for ordinary programs (ping, telnet): an
 * address literal, then /etc/hosts ("files"), then the host's stub resolver ("dns"), as
 * nsswitch.conf's "hosts: files dns" orders them.
 */
import { text } from '../../engine/bytes';
import { reverseName } from '../../engine/dns/records';
import type { CommandContext } from '../program';

export const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export type Resolved = { ok: true; address: string } | { ok: false; problem: string };

/** `/etc/hosts` as [address, names] pairs (IPv4 only: the lab has no IPv6). */
function hostsFile(ctx: CommandContext): [string, string[]][] {
  const read = ctx.fs.read('/etc/hosts', 'root');
  if (!read.ok) return [];
  return text(read.value)
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().split(/\s+/))
    .filter((fields): fields is [string, ...string[]] => fields.length > 1 && IPV4.test(fields[0]!))
    .map(([address, ...names]) => [address, names.map((n) => n.toLowerCase())]);
}

/** getaddrinfo(3) for an IPv4 address, with glibc's gai_strerror texts. */
export function getaddrinfo(
  ctx: CommandContext,
  name: string,
  done: (result: Resolved) => void,
): void {
  if (IPV4.test(name)) return done({ ok: true, address: name });
  const wanted = name.toLowerCase().replace(/\.$/, '');
  const listed = hostsFile(ctx).find(([, names]) => names.includes(wanted));
  if (listed) return done({ ok: true, address: listed[0] });
  ctx.world.resolver(ctx.host).lookup(name, 'A', (result) => {
    if (!result.ok || result.rcode === 'SERVFAIL' || result.rcode === 'REFUSED') {
      return done({ ok: false, problem: 'Temporary failure in name resolution' });
    }
    const a = result.answers.find((r) => r.type === 'A');
    done(a ? { ok: true, address: a.value } : { ok: false, problem: 'Name or service not known' });
  });
}

/** getnameinfo(3): the name for an address (/etc/hosts, then PTR), or the address itself. */
export function getnameinfo(
  ctx: CommandContext,
  address: string,
  done: (name: string) => void,
): void {
  const listed = hostsFile(ctx).find(([a]) => a === address);
  if (listed) return done(listed[1][0]!);
  ctx.world.resolver(ctx.host).lookup(reverseName(address), 'PTR', (result) => {
    const ptr = result.ok ? result.answers.find((r) => r.type === 'PTR') : undefined;
    done(ptr ? ptr.value : address);
  });
}

/** Where a connection to `address` really goes: 127.0.0.0/8 is this host itself. */
export function routeTo(ctx: CommandContext, address: string): string {
  return address.startsWith('127.') ? (ctx.world.host(ctx.host)?.address ?? address) : address;
}
