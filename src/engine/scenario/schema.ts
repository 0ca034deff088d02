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
  s.links.forEach((l, i) => {
    if (!names.has(l.a)) problems.push(`links.${i}.a: no host named ${l.a}`);
    if (!names.has(l.b)) problems.push(`links.${i}.b: no host named ${l.b}`);
  });
  if (problems.length)
    throw new ScenarioError(`${source}: invalid scenario\n  ${problems.join('\n  ')}`);
  return s;
}
