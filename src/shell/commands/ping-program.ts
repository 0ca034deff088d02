/**
 * ping (iputils): ICMP echo simulated over the lab's links. A reply comes back after the
 * round trip of the link's latency when the host is up; a down or unknown host stays
 * silent. Without -c, ping runs until Ctrl-C in a browser terminal, and sends 4 in a
 * `lab run` script, where nobody can press Ctrl-C.
 */
import { PENDING, type CommandContext } from '../program';
import { getaddrinfo, getnameinfo, IPV4, routeTo } from './resolve';

const HEADLESS_COUNT = 4;
/** iputils' MAXWAIT: how long ping waits for late replies after the last probe. */
const LINGER_S = 10;
const TTL = 64;

/** iputils prints 3 decimals under 1 ms, 2 under 10, 1 under 100, none above. */
function rttText(ms: number): string {
  if (ms >= 100) return String(Math.round(ms));
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** printf's %g: up to 6 significant digits, no trailing zeros. */
function g(n: number): string {
  return String(Number(n.toPrecision(6)));
}

interface Options {
  count: number | undefined;
  interval: number;
  linger: number;
  size: number;
  numeric: boolean;
  quiet: boolean;
  target: string;
}

function parseOptions(ctx: CommandContext): Options | string {
  const o: Options = {
    count: undefined,
    interval: 1000,
    linger: LINGER_S * 1000,
    size: 56,
    numeric: false,
    quiet: false,
    target: '',
  };
  const args = ctx.args;
  const number = (value: string, min: number, max: number): number | string => {
    if (!/^\d+(\.\d+)?$/.test(value)) return `invalid argument: '${value}'`;
    const n = Number(value);
    if (n < min || n > max)
      return `invalid argument: '${value}': out of range: ${min} <= value <= ${max}`;
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      if (o.target) return 'usage error: Only one destination address allowed';
      o.target = arg;
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      if (flag === 'n') o.numeric = true;
      else if (flag === 'q') o.quiet = true;
      else if (flag === '4') continue;
      else if ('ciWs'.includes(flag)) {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) return `option requires an argument -- '${flag}'`;
        const n =
          flag === 'c'
            ? number(value, 1, Number.MAX_SAFE_INTEGER)
            : flag === 's'
              ? number(value, 0, 65507)
              : number(value, flag === 'i' ? 0.002 : 0, 2147483);
        if (typeof n === 'string') return n;
        if (flag === 'c') o.count = Math.floor(n);
        else if (flag === 'i') o.interval = Math.round(n * 1000);
        else if (flag === 'W') o.linger = Math.round(n * 1000);
        else o.size = Math.floor(n);
        break;
      } else return `invalid option -- '${flag}'`;
    }
  }
  if (!o.target) return 'usage error: Destination address required';
  return o;
}

export function run(ctx: CommandContext): number | typeof PENDING {
  const options = parseOptions(ctx);
  if (typeof options === 'string') {
    ctx.stderr.write(`ping: ${options}\n`);
    return 2;
  }
  getaddrinfo(ctx, options.target, (resolved) => {
    if (!resolved.ok) {
      ctx.stderr.write(`ping: ${options.target}: ${resolved.problem}\n`);
      return ctx.exit(2);
    }
    const literal = IPV4.test(options.target);
    ctx.stdout.write(
      `PING ${options.target} (${resolved.address}) ${options.size}(${options.size + 28}) bytes of data.\n`,
    );
    const start = (name: string | undefined) => probe(ctx, options, resolved.address, name);
    if (options.numeric || literal) start(undefined);
    else getnameinfo(ctx, resolved.address, start);
  });
  return PENDING;
}

/** Send the probes and print the replies, then the statistics. */
function probe(ctx: CommandContext, o: Options, address: string, name: string | undefined): void {
  const { world } = ctx;
  const continuous = o.count === undefined && !ctx.headless && ctx.realTime !== undefined;
  const count = o.count ?? HEADLESS_COUNT;
  const from = name ? `${name} (${address})` : address;
  const target = world.net.hostByAddress(routeTo(ctx, address));
  const loopback = target?.name === ctx.host;
  const rtt = target ? (loopback ? 0 : 2 * world.net.latency(ctx.host, target.name)) : 0;
  const t0 = world.clock.now;
  const rtts: number[] = [];
  let sent = 0;
  let lastSent = t0;
  let finished = false;
  let linger: { cancel(): void } | undefined;
  let pacer: { cancel(): void } | undefined;

  const finish = (interrupted: boolean) => {
    if (finished) return;
    finished = true;
    linger?.cancel();
    pacer?.cancel();
    const received = rtts.length;
    const loss = sent === 0 ? 0 : ((sent - received) * 100) / sent;
    let out = `${interrupted ? '' : '\n'}--- ${o.target} ping statistics ---\n`;
    out += `${sent} packets transmitted, ${received} received, ${g(loss)}% packet loss, time ${lastSent - t0}ms\n`;
    if (received > 0) {
      const shown = rtts.map((r) => (r === 0 ? 0.04 : r));
      const avg = shown.reduce((a, b) => a + b, 0) / received;
      const mdev = Math.sqrt(shown.reduce((a, b) => a + b * b, 0) / received - avg * avg) || 0;
      const f = (n: number) => n.toFixed(3);
      out += `rtt min/avg/max/mdev = ${f(Math.min(...shown))}/${f(avg)}/${f(Math.max(...shown))}/${f(mdev)} ms\n`;
    }
    ctx.stdout.write(out);
    ctx.exit(received > 0 ? 0 : 1);
  };

  const send = () => {
    const seq = ++sent;
    lastSent = world.clock.now;
    if (target?.up) {
      world.clock.after(rtt, () => {
        if (finished) return;
        rtts.push(rtt);
        if (!o.quiet) {
          ctx.stdout.write(
            `${o.size + 8} bytes from ${from}: icmp_seq=${seq} ttl=${TTL} time=${rttText(rtt === 0 ? 0.04 : rtt)} ms\n`,
          );
        }
        if (!continuous && rtts.length === count) finish(false);
      });
    }
    if (!continuous && seq === count) {
      linger = world.clock.after(o.linger, () => finish(false));
    }
  };

  if (!continuous) {
    for (let i = 0; i < count; i++) world.clock.after(i * o.interval, send);
    return;
  }
  // Until Ctrl-C: one probe per interval of real time, each moving the world on with it.
  ctx.foreground({ prompt: () => '', line: () => {}, interrupt: () => finish(true) });
  const tick = () => {
    if (finished) return;
    const due = t0 + sent * o.interval;
    if (due > world.clock.now) world.advance(due - world.clock.now);
    send();
    ctx.settle();
    pacer = ctx.realTime!.after(o.interval, tick);
  };
  send();
  pacer = ctx.realTime!.after(o.interval, tick);
}
