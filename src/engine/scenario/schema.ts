/**
 * The scenario format: a JSON description of a mail world. Loading goes through this schema
 * so a broken file is reported with the field that is wrong, never half-loaded.
 */
import { z } from 'zod';

const hostName = z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i, 'must be a host name');
const ipv4 = z
  .string()
  .regex(/^(\d{1,3})(\.\d{1,3}){3}$/, 'must be an IPv4 address')
  .refine((a) => a.split('.').every((o) => Number(o) <= 255), 'must be an IPv4 address');

export const SmtpServiceSchema = z.object({
  port: z.number().int().min(1).max(65535),
  banner: z.string().max(200).optional(),
  maxMessageSize: z.number().int().positive().optional(),
  maxRecipients: z.number().int().min(100).optional(),
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
  z.object({ type: z.literal('host-down'), host: hostName }),
  /** The name server answers SERVFAIL for this name (a temporary DNS failure). */
  z.object({ type: z.literal('dns-servfail'), name: hostName }),
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
  links: z
    .array(z.object({ a: hostName, b: hostName, latencyMs: z.number().min(0).max(600_000) }))
    .default([]),
  /** DNS records beyond the automatic ones (an A and PTR per host, the domains' MX). */
  records: z.array(RecordSchema).default([]),
  faults: z.array(FaultSchema).default([]),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type HostSpec = Scenario['hosts'][number];

/** Validate `input`; errors name the source and each failing field. */
export function parseScenario(input: unknown, source: string): Scenario {
  const result = ScenarioSchema.safeParse(input);
  if (result.success) return checkReferences(result.data, source);
  const problems = result.error.issues.map(
    (i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`,
  );
  throw new ScenarioError(`${source}: invalid scenario\n${problems.join('\n')}`);
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
    if (f.type === 'host-down' && !names.has(f.host))
      problems.push(`faults.${i}.host: no host named ${f.host}`);
  });
  s.links.forEach((l, i) => {
    if (!names.has(l.a)) problems.push(`links.${i}.a: no host named ${l.a}`);
    if (!names.has(l.b)) problems.push(`links.${i}.b: no host named ${l.b}`);
  });
  if (problems.length)
    throw new ScenarioError(`${source}: invalid scenario\n  ${problems.join('\n  ')}`);
  return s;
}
