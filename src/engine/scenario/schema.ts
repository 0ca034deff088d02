/**
 * The scenario format: a JSON description of a mail world. Loading goes through this schema
 * so a broken file is reported with the field that is wrong, never half-loaded.
 */
import { z } from 'zod';
import { DEFAULT_MAX_HOPS } from '../smtp/limits';
import { parseReply } from '../smtp/reply';
import { EXTENSIONS, FAULT_STEPS, SASL_MECHANISMS } from '../smtp/server';

const hostName = z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i, 'must be a host name');
const ipv4 = z
  .string()
  .regex(/^(\d{1,3})(\.\d{1,3}){3}$/, 'must be an IPv4 address')
  .refine((a) => a.split('.').every((o) => Number(o) <= 255), 'must be an IPv4 address');

/** An IPv4 address, or a CIDR block such as 192.0.2.0/24. */
const ipv4Block = z
  .string()
  .regex(
    /^(\d{1,3})(\.\d{1,3}){3}(\/(\d|[12]\d|3[0-2]))?$/,
    'must be an IPv4 address or CIDR block',
  )
  .refine(
    (a) =>
      a
        .split('/')[0]!
        .split('.')
        .every((o) => Number(o) <= 255),
    'must be an IPv4 address or CIDR block',
  );

/** A reply as text: "451 4.3.0 Try again later" (the enhanced status code is optional). */
const replyText = z
  .string()
  .max(400)
  .refine(
    (s) => parseReply(s) !== undefined,
    'must be a reply such as "451 4.3.0 Try again later"',
  );

/** A chosen reply at a chosen step, instead of what the server would have said. */
export const SmtpFaultSchema = z
  .object({
    step: z.enum(FAULT_STEPS),
    reply: replyText,
    /** Fire this many times on the service (across connections); every time if absent. */
    times: z.number().int().positive().optional(),
  })
  .refine((f) => Number(f.reply.slice(0, 3)) >= 400, {
    message: 'a fault is a 4xx or 5xx reply',
    path: ['reply'],
  })
  .refine((f) => f.step !== 'CONNECT' || /^(421|554)\b/.test(f.reply), {
    // RFC 5321 §3.1, §3.8: a connection is refused with 554, or closed with 421.
    message: 'at CONNECT the reply is 421 or 554',
    path: ['reply'],
  });

/**
 * One SMTP service (a port) and its policy. The kind sets the defaults: `mx` (port 25:
 * STARTTLS offered, no AUTH), `submission` (587, RFC 6409: AUTH PLAIN LOGIN required
 * before MAIL, STARTTLS offered), `submissions` (465, RFC 8314: implicit TLS, AUTH
 * required). Without a kind, 587 is submission, 465 submissions and anything else mx.
 */
export const SmtpServiceSchema = z.object({
  port: z.number().int().min(1).max(65535),
  kind: z.enum(['mx', 'submission', 'submissions']).optional(),
  /** The name in the greeting and EHLO reply (default: the host's name). */
  hostname: hostName.optional(),
  banner: z.string().max(200).optional(),
  maxMessageSize: z.number().int().positive().optional(),
  maxRecipients: z.number().int().min(100).optional(),
  /** The EHLO keywords to offer (default: all; STARTTLS and AUTH follow tls and auth). */
  extensions: z.array(z.enum(EXTENSIONS)).optional(),
  /** none · may (STARTTLS offered) · required (530 before STARTTLS) · implicit (port 465). */
  tls: z.enum(['none', 'may', 'required', 'implicit']).optional(),
  /** SMTP AUTH, or false for none. */
  auth: z
    .union([
      z.literal(false),
      z.object({
        mechanisms: z.array(z.enum(SASL_MECHANISMS)).min(1).optional(),
        /** MAIL before AUTH gets 530 5.7.0 (default: true except for mx). */
        required: z.boolean().optional(),
        /** AUTH only after STARTTLS, 538 5.7.11 before (Postfix smtpd_tls_auth_only). */
        tlsOnly: z.boolean().optional(),
      }),
    ])
    .optional(),
  /** Who may relay: open relay only when asked; authenticated clients by default. */
  relay: z
    .object({
      open: z.boolean().default(false),
      authenticated: z.boolean().default(true),
      networks: z.array(ipv4Block).default([]),
    })
    .optional(),
  /** Clients greeted with 554 and then refused everything but QUIT (RFC 5321 §3.1). */
  rejectClients: z.array(ipv4Block).default([]),
  /** 451 4.7.1 for a new (client, sender, recipient), accepted after the delay. */
  greylisting: z
    .object({ delaySeconds: z.number().int().min(0).max(86_400).default(300) })
    .optional(),
  /** Wait before the greeting, to catch clients that talk first (Postfix greet pause). */
  greetPauseMs: z.number().int().min(0).max(60_000).default(0),
  /** A client that talked first: 554 (reject), carry on (ignore), or 521 and close (drop). */
  pregreet: z.enum(['reject', 'ignore', 'drop']).default('reject'),
  /** VRFY: 252 without looking (ambiguous), a real answer (verify), or 502 (disabled). */
  vrfy: z.enum(['ambiguous', 'verify', 'disabled']).default('ambiguous'),
  /** EXPN: mailing lists by name; without them EXPN is not implemented (502). */
  expn: z
    .record(
      z.string().regex(/^[A-Za-z0-9._+-]{1,64}$/, 'must be a list name'),
      z
        .array(z.string().regex(/^[^@\s<>]{1,64}@[A-Za-z0-9.-]{1,190}$/, 'must be local@domain'))
        .min(1)
        .max(50),
    )
    .optional(),
  /** A bare CR or LF in message text: 550 after the terminator, or 521 and close. */
  bareNewline: z.enum(['reject', 'disconnect']).default('reject'),
  /** Message lines over 1000 octets (RFC 5321 §4.5.3.1.6): accept (Postfix) or reject. */
  longLines: z.enum(['accept', 'reject']).default('accept'),
  /** More Received: headers than this: 554 5.4.6 (Postfix hopcount_limit). */
  maxHops: z.number().int().min(1).max(1000).default(DEFAULT_MAX_HOPS),
  faults: z.array(SmtpFaultSchema).default([]),
  /** The server resets the connection (RST) when the client sends this command. */
  resets: z
    .array(
      z.object({
        command: z.enum(['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'DATA-END', 'QUIT']),
        times: z.number().int().positive().optional(),
      }),
    )
    .default([]),
});

export const HostSchema = z.object({
  name: hostName,
  address: ipv4,
  role: z.enum(['workstation', 'msa', 'mx', 'dns']),
  up: z.boolean().default(true),
  smtp: z.array(SmtpServiceSchema).default([]),
  /** Domains whose mail this host delivers into local mailboxes. */
  localDomains: z.array(hostName).default([]),
  /** Domains this host accepts and passes on (a backup MX). */
  relayDomains: z.array(hostName).default([]),
  /** Login name of the person at this host's terminal. */
  user: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]*$/)
    .default('root'),
});

export const UserSchema = z.object({
  address: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be local@domain'),
  password: z.string().optional(),
  /** Where the mailbox lives. */
  mailHost: hostName,
  /** Mailbox size limit in octets (452 4.2.2 when full, RFC 3463 X.2.2). */
  quotaBytes: z.number().int().positive().optional(),
});

/** Another address for one or more mailboxes (Postfix virtual_alias_maps). */
export const AliasSchema = z.object({
  address: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be local@domain'),
  to: z
    .array(z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be local@domain'))
    .min(1)
    .max(50),
});

export const DomainSchema = z.object({
  name: hostName,
  mx: z
    .array(z.object({ preference: z.number().int().min(0).max(65535), host: hostName }))
    .default([]),
});

const ttl = z.number().int().min(0).max(604_800).optional();

export const RecordSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('A'), name: hostName, value: ipv4, ttl }),
  z.object({
    type: z.literal('AAAA'),
    name: hostName,
    value: z.string().regex(/^[0-9a-f:]+$/i),
    ttl,
  }),
  z.object({
    type: z.literal('MX'),
    name: hostName,
    preference: z.number().int().min(0).max(65535),
    /** An exchange host name, or "." for a null MX (RFC 7505). */
    value: z.union([hostName, z.literal('.')]),
    ttl,
  }),
  z.object({ type: z.literal('TXT'), name: hostName, value: z.string().max(255), ttl }),
  z.object({ type: z.literal('CNAME'), name: hostName, value: hostName, ttl }),
]);

export const FaultSchema = z.discriminatedUnion('type', [
  /** The host does not answer at all: connections time out. */
  z.object({
    type: z.literal('host-down'),
    host: hostName,
    /** The host comes back after this many minutes of virtual time; down for good if absent. */
    forMinutes: z.number().positive().max(100_000).optional(),
  }),
  /** The name server answers SERVFAIL for this name (a temporary DNS failure). */
  z.object({ type: z.literal('dns-servfail'), name: hostName }),
  /** The host's queue has this much room (default none): 452 4.3.1 (RFC 1870 §6.1). */
  z.object({
    type: z.literal('disk-full'),
    host: hostName,
    freeBytes: z.number().int().min(0).default(0),
  }),
]);

export const ScenarioSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  seed: z.number().int().default(1),
  /** Wall-clock start of virtual time, for Date: and Received: headers. */
  epoch: z.iso.datetime().default('2026-01-05T09:00:00Z'),
  hosts: z.array(HostSchema).min(1),
  domains: z.array(DomainSchema).default([]),
  users: z.array(UserSchema).default([]),
  aliases: z.array(AliasSchema).default([]),
  links: z
    .array(
      z.object({
        a: hostName,
        b: hostName,
        latencyMs: z.number().min(0).max(600_000),
        /** Share of segments lost; each loss costs a retransmission timeout. */
        lossPercent: z.number().min(0).max(90).default(0),
      }),
    )
    .default([]),
  /** DNS records beyond the automatic ones (an A and PTR per host, the domains' MX). */
  records: z.array(RecordSchema).default([]),
  faults: z.array(FaultSchema).default([]),
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
