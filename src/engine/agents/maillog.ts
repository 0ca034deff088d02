/**
 * The mail log: Postfix-style lines ("postfix/smtp[2301]: 4F2A…: to=<…>, status=sent (…)")
 * recorded as trace events, which `tail /var/log/mail.log` and the log panel format.
 */
import type { World } from '../world';

/** A stable pid per program on a host, so logs look like a real server's and replay alike. */
function pid(host: string, program: string): number {
  let h = 2166136261;
  for (const c of `${host}/${program}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return 1000 + ((h >>> 0) % 30000);
}

export function mailLog(world: World, host: string, program: string, text: string): void {
  world.trace.emit({
    type: 'log',
    host,
    program: `postfix/${program}`,
    pid: pid(host, program),
    text,
  });
}

/** Postfix's "delay=" figure: seconds since arrival, to two decimals. */
export function delaySeconds(world: World, arrival: number): string {
  return ((world.clock.now - arrival) / 1000).toFixed(2).replace(/\.?0+$/, '') || '0';
}
