/**
 * A running mail world built from a scenario: one clock, one seeded random source, one
 * trace, the network and its hosts, and the mail services each host runs.
 */
import { Scheduler, type Millis } from './clock';
import { Random } from './random';
import { Trace } from './trace';
import { Network } from './net/network';
import { Mailstore } from './agents/mailstore';
import { startSmtpd } from './agents/smtpd';
import { DEFAULT_POLICY } from './smtp/server';
import { formatMailbox, type Mailbox } from './smtp/address';
import type { Scenario, HostSpec } from './scenario/schema';

/** "After each typed line the world runs until nothing is due within a few seconds." */
export const SETTLE_QUIET: Millis = 5_000;

export class World {
  readonly clock = new Scheduler();
  readonly trace = new Trace(this.clock);
  readonly net = new Network(this.clock, this.trace);
  readonly random: Random;
  readonly epoch: Millis;
  private mailstores = new Map<string, Mailstore>();
  /** Messages a relay-only host accepted and holds (relaying them is the queue's job). */
  readonly held: { host: string; queueId: string; from: string; to: string[] }[] = [];

  constructor(readonly scenario: Scenario) {
    this.random = new Random(scenario.seed);
    this.epoch = Date.parse(scenario.epoch);
    for (const host of scenario.hosts) this.net.addHost(host);
    for (const link of scenario.links) this.net.setLatency(link.a, link.b, link.latencyMs);
    for (const host of scenario.hosts) this.startHost(host);
  }

  host(name: string): HostSpec | undefined {
    return this.scenario.hosts.find((h) => h.name === name);
  }

  /** Name → address, as the hosts' resolver sees it. Also accepts an address. */
  resolveName(name: string): string | undefined {
    const lower = name.toLowerCase().replace(/\.$/, '');
    if (this.net.hostByAddress(lower)) return lower;
    return this.net.hostByName(lower)?.address;
  }

  /** Address → name (the PTR a server would look up), if the address is known. */
  reverseName(address: string): string | undefined {
    return this.net.hostByAddress(address)?.name;
  }

  mailstore(host: string): Mailstore | undefined {
    return this.mailstores.get(host);
  }

  /** The mailbox owner on `host` for `rcpt`, or undefined when there is no such user. */
  localUser(host: string, rcpt: Mailbox): string | undefined {
    const address = formatMailbox(rcpt).toLowerCase();
    const user = this.scenario.users.find((u) => u.address.toLowerCase() === address);
    return user && user.mailHost === host ? rcpt.local.toLowerCase() : undefined;
  }

  /** Run until nothing is due within SETTLE_QUIET of virtual time. */
  settle(): void {
    this.clock.settle(SETTLE_QUIET);
  }

  /** Advance virtual time by `duration`, running everything due. */
  advance(duration: Millis): void {
    this.clock.runUntil(this.clock.now + duration);
  }

  private startHost(spec: HostSpec): void {
    const users = this.scenario.users
      .filter((u) => u.mailHost === spec.name)
      .map((u) => u.address.split('@')[0]!.toLowerCase());
    const store = new Mailstore(spec.name, users);
    this.mailstores.set(spec.name, store);
    for (const service of spec.smtp) {
      startSmtpd(this, {
        host: spec.name,
        port: service.port,
        policy: {
          hostname: spec.name,
          banner: service.banner ?? DEFAULT_POLICY.banner,
          maxMessageSize: service.maxMessageSize ?? DEFAULT_POLICY.maxMessageSize,
          maxRecipients: service.maxRecipients ?? DEFAULT_POLICY.maxRecipients,
        },
        localDomains: spec.localDomains,
        relayDomains: spec.relayDomains,
        onMessage: (queueId, envelope, content) => {
          const from = formatMailbox(envelope.from);
          const remote: string[] = [];
          for (const rcpt of envelope.to) {
            const user = rcpt.domain === '' ? 'postmaster' : this.localUser(spec.name, rcpt);
            if (user && store.hasUser(user)) {
              const to = formatMailbox(rcpt);
              store.deliver(user, { queueId, from, to, deliveredAt: this.clock.now }, content);
              this.trace.emit({
                type: 'mail.delivered',
                host: spec.name,
                queueId,
                user,
                mailbox: `/var/mail/${user}`,
              });
            } else {
              remote.push(formatMailbox(rcpt));
            }
          }
          if (remote.length) this.held.push({ host: spec.name, queueId, from, to: remote });
        },
      });
    }
  }
}
