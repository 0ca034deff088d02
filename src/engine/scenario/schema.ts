/**
 * The scenario format: a JSON description of a mail world. Loading goes through this schema
 * so a broken file is reported with the field that is wrong, never half-loaded.
 *
 * Written with zod/mini (functional checks): the schema ships in the page's first bundle, and
 * the classic API would add ~80 KB gzipped to it.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { DEFAULT_MAX_HOPS } from '../smtp/limits';
import { parseReply } from '../smtp/reply';
import { EXTENSIONS, FAULT_STEPS, SASL_MECHANISMS } from '../smtp/server';

// Messages in English ("Too small: expected array to have >=1 items"), as zod classic gives.
z.config(en());

const opt = z.optional;
const withDefault = z._default;
/** An integer in [min, max]. */
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.int().check(z.minimum(min), z.maximum(max));
const matching = (pattern: RegExp, message: string) => z.string().check(z.regex(pattern, message));

const hostName = matching(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i, 'must be a host name');
const address = matching(/^[^@\s]+@[^@\s]+$/, 'must be local@domain');
const ipv4 = matching(/^(\d{1,3})(\.\d{1,3}){3}$/, 'must be an IPv4 address').check(
  z.refine((a) => a.split('.').every((o) => Number(o) <= 255), 'must be an IPv4 address'),
);

/** An IPv4 address, or a CIDR block such as 192.0.2.0/24. */
const ipv4Block = matching(
  /^(\d{1,3})(\.\d{1,3}){3}(\/(\d|[12]\d|3[0-2]))?$/,
  'must be an IPv4 address or CIDR block',
).check(
  z.refine(
    (a) =>
      a
        .split('/')[0]!
        .split('.')
        .every((o) => Number(o) <= 255),
    'must be an IPv4 address or CIDR block',
  ),
);

/** A reply as text: "451 4.3.0 Try again later" (the enhanced status code is optional). */
const replyText = z.string().check(
  z.maxLength(400),
  z.refine(
    (s) => parseReply(s) !== undefined,
    'must be a reply such as "451 4.3.0 Try again later"',
  ),
);

/** A chosen reply at a chosen step, instead of what the server would have said. */
export const SmtpFaultSchema = z
  .object({
    step: z.enum(FAULT_STEPS),
    reply: replyText,
    /** Fire this many times on the service (across connections); every time if absent. */
    times: opt(int(1)),
  })
  .check(
    z.refine((f) => Number(f.reply.slice(0, 3)) >= 400, {
      message: 'a fault is a 4xx or 5xx reply',
      path: ['reply'],
    }),
    z.refine((f) => f.step !== 'CONNECT' || /^(421|554)\b/.test(f.reply), {
      // RFC 5321 §3.1, §3.8: a connection is refused with 554, or closed with 421.
      message: 'at CONNECT the reply is 421 or 554',
      path: ['reply'],
    }),
  );

/**
 * One SMTP service (a port) and its policy. The kind sets the defaults: `mx` (port 25:
 * STARTTLS offered, no AUTH), `submission` (587, RFC 6409: AUTH PLAIN LOGIN required
 * before MAIL, STARTTLS offered), `submissions` (465, RFC 8314: implicit TLS, AUTH
 * required). Without a kind, 587 is submission, 465 submissions and anything else mx.
 */
export const SmtpServiceSchema = z.object({
  port: int(1, 65535),
  kind: opt(z.enum(['mx', 'submission', 'submissions'])),
  /** The name in the greeting and EHLO reply (default: the host's name). */
  hostname: opt(hostName),
  banner: opt(z.string().check(z.maxLength(200))),
  maxMessageSize: opt(int(1)),
  maxRecipients: opt(int(100)),
  /** The EHLO keywords to offer (default: all; STARTTLS and AUTH follow tls and auth). */
  extensions: opt(z.array(z.enum(EXTENSIONS))),
  /** none · may (STARTTLS offered) · required (530 before STARTTLS) · implicit (port 465). */
  tls: opt(z.enum(['none', 'may', 'required', 'implicit'])),
  /** SMTP AUTH, or false for none. */
  auth: opt(
    z.union([
      z.literal(false),
      z.object({
        mechanisms: opt(z.array(z.enum(SASL_MECHANISMS)).check(z.minLength(1))),
        /** MAIL before AUTH gets 530 5.7.0 (default: true except for mx). */
        required: opt(z.boolean()),
        /** AUTH only after STARTTLS, 538 5.7.11 before (Postfix smtpd_tls_auth_only). */
        tlsOnly: opt(z.boolean()),
      }),
    ]),
  ),
  /** Who may relay: open relay only when asked; authenticated clients by default. */
  relay: opt(
    z.object({
      open: withDefault(z.boolean(), false),
      authenticated: withDefault(z.boolean(), true),
      networks: withDefault(z.array(ipv4Block), []),
    }),
  ),
  /** Clients greeted with 554 and then refused everything but QUIT (RFC 5321 §3.1). */
  rejectClients: withDefault(z.array(ipv4Block), []),
  /** 451 4.7.1 for a new (client, sender, recipient), accepted after the delay. */
  greylisting: opt(z.object({ delaySeconds: withDefault(int(0, 86_400), 300) })),
  /** Wait before the greeting, to catch clients that talk first (Postfix greet pause). */
  greetPauseMs: withDefault(int(0, 60_000), 0),
  /** A client that talked first: 554 (reject), carry on (ignore), or 521 and close (drop). */
  pregreet: withDefault(z.enum(['reject', 'ignore', 'drop']), 'reject'),
  /** VRFY: 252 without looking (ambiguous), a real answer (verify), or 502 (disabled). */
  vrfy: withDefault(z.enum(['ambiguous', 'verify', 'disabled']), 'ambiguous'),
  /** EXPN: mailing lists by name; without them EXPN is not implemented (502). */
  expn: opt(
    z.record(
      matching(/^[A-Za-z0-9._+-]{1,64}$/, 'must be a list name'),
      z
        .array(matching(/^[^@\s<>]{1,64}@[A-Za-z0-9.-]{1,190}$/, 'must be local@domain'))
        .check(z.minLength(1), z.maxLength(50)),
    ),
  ),
  /** A bare CR or LF in message text: 550 after the terminator, or 521 and close. */
  bareNewline: withDefault(z.enum(['reject', 'disconnect']), 'reject'),
  /** Message lines over 1000 octets (RFC 5321 §4.5.3.1.6): accept (Postfix) or reject. */
  longLines: withDefault(z.enum(['accept', 'reject']), 'accept'),
  /** More Received: headers than this: 554 5.4.6 (Postfix hopcount_limit). */
  maxHops: withDefault(int(1, 1000), DEFAULT_MAX_HOPS),
  faults: withDefault(z.array(SmtpFaultSchema), []),
  /** The server resets the connection (RST) when the client sends this command. */
  resets: withDefault(
    z.array(
      z.object({
        command: z.enum(['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'DATA-END', 'QUIT']),
        times: opt(int(1)),
      }),
    ),
    [],
  ),
});

export const HostSchema = z.object({
  name: hostName,
  address: ipv4,
  role: z.enum(['workstation', 'msa', 'mx', 'dns']),
  up: withDefault(z.boolean(), true),
  smtp: withDefault(z.array(SmtpServiceSchema), []),
  /** Domains whose mail this host delivers into local mailboxes. */
  localDomains: withDefault(z.array(hostName), []),
  /** Domains this host accepts and passes on (a backup MX). */
  relayDomains: withDefault(z.array(hostName), []),
  /** Login name of the person at this host's terminal. */
  user: withDefault(matching(/^[a-z_][a-z0-9_-]*$/, 'must be a user name'), 'root'),
});

export const UserSchema = z.object({
  address,
  password: opt(z.string()),
  /** Where the mailbox lives. */
  mailHost: hostName,
  /** Mailbox size limit in octets (452 4.2.2 when full, RFC 3463 X.2.2). */
  quotaBytes: opt(int(1)),
});

/** Another address for one or more mailboxes (Postfix virtual_alias_maps). */
export const AliasSchema = z.object({
  address,
  to: z.array(address).check(z.minLength(1), z.maxLength(50)),
});

export const DomainSchema = z.object({
  name: hostName,
  mx: withDefault(z.array(z.object({ preference: int(0, 65535), host: hostName })), []),
});

const ttl = opt(int(0, 604_800));

export const RecordSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('A'), name: hostName, value: ipv4, ttl }),
  z.object({
    type: z.literal('AAAA'),
    name: hostName,
    value: matching(/^[0-9a-f:]+$/i, 'must be an IPv6 address'),
    ttl,
  }),
  z.object({
    type: z.literal('MX'),
    name: hostName,
    preference: int(0, 65535),
    /** An exchange host name, or "." for a null MX (RFC 7505). */
    value: z.union([hostName, z.literal('.')]),
    ttl,
  }),
  z.object({
    type: z.literal('TXT'),
    name: hostName,
    value: z.string().check(z.maxLength(255)),
    ttl,
  }),
  z.object({ type: z.literal('CNAME'), name: hostName, value: hostName, ttl }),
]);

export const FaultSchema = z.discriminatedUnion('type', [
  /** The host does not answer at all: connections time out. */
  z.object({
    type: z.literal('host-down'),
    host: hostName,
    /** The host comes back after this many minutes of virtual time; down for good if absent. */
    forMinutes: opt(z.number().check(z.positive(), z.maximum(100_000))),
  }),
  /** The name server answers SERVFAIL for this name (a temporary DNS failure). */
  z.object({ type: z.literal('dns-servfail'), name: hostName }),
  /** The host's queue has this much room (default none): 452 4.3.1 (RFC 1870 §6.1). */
  z.object({
    type: z.literal('disk-full'),
    host: hostName,
    freeBytes: withDefault(int(0), 0),
  }),
]);

export const ScenarioSchema = z.object({
  name: z.string().check(z.minLength(1)),
  description: withDefault(z.string(), ''),
  seed: withDefault(z.int(), 1),
  /** Wall-clock start of virtual time, for Date: and Received: headers. */
  epoch: withDefault(z.iso.datetime(), '2026-01-05T09:00:00Z'),
  hosts: z.array(HostSchema).check(z.minLength(1)),
  domains: withDefault(z.array(DomainSchema), []),
  users: withDefault(z.array(UserSchema), []),
  aliases: withDefault(z.array(AliasSchema), []),
  links: withDefault(
    z.array(
      z.object({
        a: hostName,
        b: hostName,
        latencyMs: z.number().check(z.minimum(0), z.maximum(600_000)),
        /** Share of segments lost; each loss costs a retransmission timeout. */
        lossPercent: withDefault(z.number().check(z.minimum(0), z.maximum(90)), 0),
      }),
    ),
    [],
  ),
  /** DNS records beyond the automatic ones (an A and PTR per host, the domains' MX). */
  records: withDefault(z.array(RecordSchema), []),
  faults: withDefault(z.array(FaultSchema), []),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type HostSpec = Scenario['hosts'][number];
export type SmtpServiceSpec = HostSpec['smtp'][number];

/** Validate `input`; errors name the source and each failing field. */
export function parseScenario(input: unknown, source: string): Scenario {
  const result = ScenarioSchema.safeParse(input);
  if (result.success) return checkReferences(result.data, source);
  const problems = result.error.issues
    .flatMap(specific)
    .map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ScenarioError(`${source}: invalid scenario\n${problems.join('\n')}`);
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] };

/**
 * A value that matches no branch of a union (`auth: false` or an object) is reported by
 * zod as "Invalid input" on the union; when one branch got further than the others, its
 * own problems say more.
 */
function specific(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
  const depth = (branch: Issue[]) => Math.max(0, ...branch.map((i) => i.path.length));
  const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
  if (depth(best) === 0) return [issue];
  return best.flatMap((i) => specific({ ...i, path: [...issue.path, ...i.path] }));
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

function checkReferences(s: Scenario, source: string): Scenario {
  const names = new Set(s.hosts.map((h) => h.name));
  const problems: string[] = [];
  s.users.forEach((u, i) => {
    if (!names.has(u.mailHost)) problems.push(`users.${i}.mailHost: no host named ${u.mailHost}`);
  });
  s.domains.forEach((d, i) =>
    d.mx.forEach((mx, j) => {
      if (!names.has(mx.host)) problems.push(`domains.${i}.mx.${j}.host: no host named ${mx.host}`);
    }),
  );
  s.faults.forEach((f, i) => {
    if ((f.type === 'host-down' || f.type === 'disk-full') && !names.has(f.host))
      problems.push(`faults.${i}.host: no host named ${f.host}`);
  });
  s.hosts.forEach((h, i) => {
    const ports = h.smtp.map((service) => service.port);
    ports.forEach((port, j) => {
      if (ports.indexOf(port) !== j)
        problems.push(`hosts.${i}.smtp.${j}.port: ${port} is listed twice`);
    });
  });
  s.links.forEach((l, i) => {
    if (!names.has(l.a)) problems.push(`links.${i}.a: no host named ${l.a}`);
    if (!names.has(l.b)) problems.push(`links.${i}.b: no host named ${l.b}`);
  });
  if (problems.length)
    throw new ScenarioError(`${source}: invalid scenario\n  ${problems.join('\n  ')}`);
  return s;
}
