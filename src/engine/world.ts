/**
 * A running mail world built from a scenario: one clock, one seeded random source, one
 * trace, the network and its hosts, and the mail services each host runs.
 */
import { Scheduler, type Millis } from './clock';
import { Random } from './random';
import { Trace } from './trace';
import { Network } from './net/network';
import { Mailstore } from './agents/mailstore';
import { startSmtpd, type Smtpd, type StartTlsHook } from './agents/smtpd';
import { Mta } from './agents/mta';
import type { RecipientSpec } from './smtp/client';
import { DEFAULT_POLICY, SASL_MECHANISMS, type AuthPolicy, type ServerPolicy } from './smtp/server';
import { parseReply } from './smtp/reply';
import { formatMailbox, type Mailbox } from './smtp/address';
import type { Scenario, HostSpec, SmtpServiceSpec } from './scenario/schema';
import { Zone, DEFAULT_TTL } from './dns/zone';
import { reverseName as ptrName, type ResourceRecord } from './dns/records';
import { startDnsServer } from './dns/server';
import { Resolver } from './dns/resolver';

/** "After each typed line the world runs until nothing is due within a few seconds." */
export const SETTLE_QUIET: Millis = 5_000;

export class World {
  readonly clock = new Scheduler();
  readonly trace = new Trace(this.clock);
  readonly random: Random;
  readonly net: Network;
  readonly epoch: Millis;
  private mailstores = new Map<string, Mailstore>();
  private resolvers = new Map<string, Resolver>();
  readonly zone: Zone;
  private readonly nameServer: { host: string; address: string } | undefined;
  private mtas = new Map<string, Mta>();
  private smtpds = new Map<string, Smtpd>();
  /**
   * Told whenever an SMTP server in this world accepts STARTTLS; may take over the
   * handshake (see StartTlsHook). `lab bridge` sets it to upgrade its real socket.
   */
  onStartTls: StartTlsHook | undefined;

  constructor(readonly scenario: Scenario) {
    this.random = new Random(scenario.seed);
    this.net = new Network(this.clock, this.trace, this.random.fork('net'));
    this.epoch = Date.parse(scenario.epoch);
    const down = new Set(scenario.faults.flatMap((f) => (f.type === 'host-down' ? [f.host] : [])));
    for (const host of scenario.hosts)
      this.net.addHost({ ...host, up: host.up && !down.has(host.name) });
    for (const link of scenario.links) {
      this.net.setLatency(link.a, link.b, link.latencyMs);
      this.net.setLoss(link.a, link.b, link.lossPercent / 100);
    }
    const ns = scenario.hosts.find((h) => h.role === 'dns');
    this.nameServer = ns && { host: ns.name, address: ns.address };
    this.zone = new Zone(zoneRecords(scenario), ns?.name ?? 'ns.invalid');
    if (ns) {
      const servfail = new Set(
        scenario.faults.flatMap((f) => (f.type === 'dns-servfail' ? [f.name.toLowerCase()] : [])),
      );
      startDnsServer(this.net, ns.name, this.zone, { servfail });
    }
    for (const host of scenario.hosts) this.startHost(host);
    for (const fault of scenario.faults) {
      if (fault.type === 'host-down' && fault.forMinutes !== undefined) {
        this.clock.after(fault.forMinutes * 60_000, () => this.net.setUp(fault.host, true));
      }
    }
  }

  host(name: string): HostSpec | undefined {
    return this.scenario.hosts.find((h) => h.name === name);
  }

  /** Address → name (the PTR a server would look up), if the address is known. */
  reverseName(address: string): string | undefined {
    return this.net.hostByAddress(address)?.name;
  }

  /**
   * Put a host that the scenario does not list on the network: one that only opens
   * connections, such as the stand-in for real clients coming through `lab bridge`. A
   * scenario may list that host itself (with the same address); then it is used as is.
   * Another host already holding the name or the address is an error.
   */
  addOutsideHost(name: string, address: string): void {
    const existing = this.net.hostByName(name);
    if (existing && existing.address === address) return;
    if (existing) throw new Error(`host ${name} already exists with address ${existing.address}`);
    const holder = this.net.hostByAddress(address);
    if (holder) throw new Error(`address ${address} already belongs to ${holder.name}`);
    this.net.addHost({ name, address });
  }

  /** The stub resolver of `host`, asking the scenario's name server. */
  resolver(host: string): Resolver {
    let resolver = this.resolvers.get(host);
    if (!resolver) {
      resolver = new Resolver(
        host,
        this.nameServer,
        this.net,
        this.clock,
        this.trace,
        this.random.fork(`dns:${host}`),
      );
      this.resolvers.set(host, resolver);
    }
    return resolver;
  }

  /** The mail queue of `host` (every host has one; only mail hosts fill it). */
  mta(host: string): Mta | undefined {
    return this.mtas.get(host);
  }

  /** The SMTP service on `host`:`port`, if there is one. */
  smtpd(host: string, port: number): Smtpd | undefined {
    return this.smtpds.get(`${host}:${port}`);
  }

  mailstore(host: string): Mailstore | undefined {
    return this.mailstores.get(host);
  }

  /** The mailbox owner on `host` for `rcpt`, or undefined when there is no such user. */
  localUser(host: string, rcpt: Mailbox): string | undefined {
    const local = rcpt.local.toLowerCase();
    const domain = rcpt.domain.toLowerCase();
    const user = this.scenario.users.find((u) => {
      if (u.mailHost !== host) return false;
      const [name, userDomain] = u.address.toLowerCase().split('@');
      // As Postfix's mydestination: the host's own name is a local domain too.
      return name === local && (userDomain === domain || domain === host);
    });
    return user ? local : undefined;
  }

  /** The addresses an alias stands for (Postfix virtual_alias_maps), if `rcpt` is one. */
  aliasTargets(rcpt: Mailbox): string[] | undefined {
    const address = formatMailbox(rcpt).toLowerCase();
    return this.scenario.aliases.find((a) => a.address.toLowerCase() === address)?.to;
  }

  /**
   * Replace aliases by the addresses they stand for, as Postfix's cleanup does before the
   * queue, keeping the alias as the original recipient (RFC 3461 ORCPT) for DSNs.
   */
  expandAliases(recipients: RecipientSpec[]): RecipientSpec[] {
    const out: RecipientSpec[] = [];
    const seen = new Set<string>();
    for (const r of recipients) {
      const targets = this.aliasTargets(r.mailbox);
      const expanded = targets
        ? targets.map((t) => ({
            ...r,
            mailbox: { local: t.split('@')[0]!, domain: t.split('@')[1]! },
            orcpt: r.orcpt ?? formatMailbox(r.mailbox),
          }))
        : [r];
      for (const e of expanded) {
        const key = formatMailbox(e.mailbox).toLowerCase();
        if (!seen.has(key)) {
          seen.add(key);
          out.push(e);
        }
      }
    }
    return out;
  }

  /** A mailbox's quota in octets, if it has one. */
  quota(rcpt: Mailbox): number | undefined {
    const address = formatMailbox(rcpt).toLowerCase();
    return this.scenario.users.find((u) => u.address.toLowerCase() === address)?.quotaBytes;
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
    this.mailstores.set(spec.name, new Mailstore(spec.name, users));
    const mta = new Mta(this, spec.name, spec.localDomains);
    this.mtas.set(spec.name, mta);
    const diskFull = this.scenario.faults.find(
      (f) => f.type === 'disk-full' && f.host === spec.name,
    );
    const accounts = this.scenario.users.filter(
      (u) =>
        u.password !== undefined &&
        (u.mailHost === spec.name || spec.localDomains.includes(domainOf(u.address))),
    );
    for (const service of spec.smtp) {
      const smtpd = startSmtpd(this, {
        host: spec.name,
        port: service.port,
        policy: servicePolicy(spec, service),
        localDomains: spec.localDomains,
        relayDomains: spec.relayDomains,
        relay: service.relay ?? { open: false, authenticated: true, networks: [] },
        rejectClients: service.rejectClients,
        // DESIGN.md: the login is the address, or its local part ("alice").
        checkCredentials: (login, password) => {
          const name = login.toLowerCase();
          return accounts.some(
            (u) =>
              u.password === password &&
              (u.address.toLowerCase() === name || u.address.split('@')[0]!.toLowerCase() === name),
          );
        },
        ...(service.greylisting
          ? { greylisting: { delayMs: service.greylisting.delaySeconds * 1000 } }
          : {}),
        greetPauseMs: service.greetPauseMs,
        resets: service.resets,
        faults: service.faults.map((f) => ({
          step: f.step,
          reply: parseReply(f.reply)!,
          ...(f.times !== undefined ? { times: f.times } : {}),
        })),
        ...(diskFull?.type === 'disk-full' ? { storageFree: () => diskFull.freeBytes } : {}),
        onStartTls: (request) => this.onStartTls?.(request),
        // Postfix-like: whatever smtpd accepts goes through the queue, local or not, with
        // the DSN requests (RFC 3461) the client made.
        onMessage: (queueId, envelope, content) =>
          mta.enqueue({
            id: queueId,
            from: envelope.from,
            recipients: this.expandAliases(
              envelope.recipients.map((r) => ({
                mailbox: r.mailbox,
                ...(r.notify ? { notify: r.notify } : {}),
                ...(r.orcpt && r.orcpt.type.toLowerCase() === 'rfc822'
                  ? { orcpt: r.orcpt.address }
                  : {}),
              })),
            ),
            content,
            ...(envelope.ret ? { ret: envelope.ret } : {}),
            ...(envelope.envid !== undefined ? { envid: envelope.envid } : {}),
          }),
      });
      this.smtpds.set(`${spec.name}:${service.port}`, smtpd);
    }
  }
}

/**
 * The session policy of one service: the kind's defaults (see SmtpServiceSchema), then
 * what the scenario says.
 */
function servicePolicy(spec: HostSpec, service: SmtpServiceSpec): ServerPolicy {
  const kind =
    service.kind ??
    (service.port === 587 ? 'submission' : service.port === 465 ? 'submissions' : 'mx');
  const tls = service.tls ?? (kind === 'submissions' ? 'implicit' : 'may');
  const auth = service.auth ?? (kind === 'mx' ? false : {});
  const policy: ServerPolicy = {
    hostname: service.hostname ?? spec.name,
    banner: service.banner ?? DEFAULT_POLICY.banner,
    maxMessageSize: service.maxMessageSize ?? DEFAULT_POLICY.maxMessageSize,
    maxRecipients: service.maxRecipients ?? DEFAULT_POLICY.maxRecipients,
    extensions: service.extensions ?? DEFAULT_POLICY.extensions,
    tls,
    vrfy: service.vrfy,
    pregreet: service.pregreet,
    bareNewline: service.bareNewline,
    longLines: service.longLines,
    maxHops: service.maxHops,
    ...(service.expn ? { expn: service.expn } : {}),
  };
  if (auth !== false) {
    const authPolicy: AuthPolicy = {
      mechanisms: auth.mechanisms ?? SASL_MECHANISMS,
      required: auth.required ?? kind !== 'mx',
      tlsOnly: auth.tlsOnly ?? false,
    };
    policy.auth = authPolicy;
  }
  return policy;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** The zone's data: an A and PTR per host, each domain's MX, then the scenario's records. */
function zoneRecords(scenario: Scenario): ResourceRecord[] {
  const records: ResourceRecord[] = [];
  for (const h of scenario.hosts) {
    records.push({ name: h.name, type: 'A', ttl: DEFAULT_TTL, value: h.address });
    records.push({ name: ptrName(h.address), type: 'PTR', ttl: DEFAULT_TTL, value: h.name });
  }
  for (const d of scenario.domains) {
    for (const mx of d.mx) {
      records.push({
        name: d.name,
        type: 'MX',
        ttl: DEFAULT_TTL,
        value: mx.host,
        preference: mx.preference,
      });
    }
  }
  for (const r of scenario.records) {
    records.push({
      ...r,
      ttl: r.ttl ?? DEFAULT_TTL,
      ...(r.type === 'MX' ? { preference: r.preference } : {}),
    });
  }
  return records;
}
