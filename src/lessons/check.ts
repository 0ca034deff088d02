/**
 * The check language of lesson steps (lessons/README.md, "Checks"): a declarative
 * description of what should have happened, evaluated against the trace events recorded
 * since the step began. Nothing in a lesson file is executed; a check is data, validated
 * against the event table in events.ts.
 */
import { z } from 'zod';
import type { TraceEvent } from '../engine/trace';
import {
  EVENT_TYPES,
  connOf,
  fieldKind,
  fieldsOf,
  isDerived,
  isEventType,
  type EventType,
  type FieldKind,
} from './events';
import { validate, type Issue, type PathPart } from './issues';

export type Scalar = string | number | boolean;

export type ValueMatcher =
  | { op: 'equals'; value: Scalar }
  | { op: 'regex'; regex: RegExp }
  | { op: 'in'; values: Scalar[] }
  | { op: 'range'; gte?: number; gt?: number; lte?: number; lt?: number };

export interface FieldMatch {
  /** A field, or a dotted path into one (`from.host`). */
  path: string;
  matcher: ValueMatcher;
}

/** One kind of event, narrowed by its fields and, optionally, by what came before it. */
export interface EventSpec {
  events: EventType[];
  match: FieldMatch[];
  /** An earlier event (in the same connection when both have one) matching this spec. */
  after?: EventSpec;
}

export type Check =
  | { kind: 'event'; spec: EventSpec }
  | { kind: 'all'; checks: Check[] }
  | { kind: 'any'; checks: Check[] }
  | { kind: 'not'; check: Check }
  | { kind: 'count'; spec: EventSpec; atLeast: number; atMost?: number };

// ---------------------------------------------------------------------------------------
// Validation

const FORMS = ['event', 'all', 'any', 'not', 'count'] as const;
const OPERATORS = ['regex', 'flags', 'in', 'gte', 'gt', 'lte', 'lt'];

const nonEmptyList = z.array(z.unknown()).min(1);
const eventSpecShape = z.strictObject({
  event: z.union([z.string(), z.array(z.string()).min(1)]),
  match: z.record(z.string(), z.unknown()).optional(),
  after: z.unknown().optional(),
});
const countShape = z.strictObject({
  count: z.unknown(),
  atLeast: z.int().min(0).optional(),
  atMost: z.int().min(0).optional(),
});
const regexShape = z.strictObject({
  regex: z.string(),
  flags: z
    .string()
    .regex(/^(?!.*(.).*\1)[imsu]*$/, { error: 'flags may be i, m, s and u' })
    .optional(),
});
const rangeShape = z.strictObject({
  gte: z.number().optional(),
  gt: z.number().optional(),
  lte: z.number().optional(),
  lt: z.number().optional(),
});
const SCALAR_SCHEMAS = { string: z.string(), number: z.number(), boolean: z.boolean() };

/** Validate a check read from YAML; issues carry paths relative to the check. */
export function parseCheck(input: unknown): { check?: Check; issues: Issue[] } {
  const issues: Issue[] = [];
  const check = checkAt(input, [], issues);
  return issues.length === 0 && check ? { check, issues } : { issues };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkAt(input: unknown, path: PathPart[], issues: Issue[]): Check | undefined {
  const forms = isObject(input) ? FORMS.filter((f) => f in input) : [];
  if (forms.length !== 1) {
    issues.push({
      path,
      message:
        forms.length === 0
          ? 'expected a check: an event spec (event: …) or one of all, any, not, count'
          : `a check has exactly one of event, all, any, not, count (found ${forms.join(', ')})`,
    });
    return undefined;
  }
  const obj = input as Record<string, unknown>;
  switch (forms[0]!) {
    case 'event': {
      const spec = specAt(obj, path, issues);
      return spec && { kind: 'event', spec };
    }
    case 'all':
    case 'any': {
      const kind = forms[0] as 'all' | 'any';
      const shape = z.strictObject({ [kind]: nonEmptyList });
      const ok = validate(shape, obj, path, issues);
      if (!ok) return undefined;
      const checks = (ok[kind] as unknown[]).map((c, i) => checkAt(c, [...path, kind, i], issues));
      return checks.every((c) => c) ? { kind, checks: checks as Check[] } : undefined;
    }
    case 'not': {
      const ok = validate(z.strictObject({ not: z.unknown() }), obj, path, issues);
      const inner = ok && checkAt(ok.not, [...path, 'not'], issues);
      return inner ? { kind: 'not', check: inner } : undefined;
    }
    case 'count': {
      const ok = validate(countShape, obj, path, issues);
      if (!ok) return undefined;
      if (ok.atLeast === undefined && ok.atMost === undefined) {
        issues.push({ path, message: 'count needs atLeast, atMost or both' });
      } else if (ok.atLeast !== undefined && ok.atMost !== undefined && ok.atLeast > ok.atMost) {
        issues.push({ path: [...path, 'atMost'], message: 'must not be less than atLeast' });
      }
      if (!isObject(ok.count) || !('event' in ok.count)) {
        issues.push({ path: [...path, 'count'], message: 'expected an event spec (event: …)' });
        return undefined;
      }
      const spec = specAt(ok.count, [...path, 'count'], issues);
      return spec && { kind: 'count', spec, atLeast: ok.atLeast ?? 0, atMost: ok.atMost };
    }
  }
}

function specAt(
  input: Record<string, unknown>,
  path: PathPart[],
  issues: Issue[],
): EventSpec | undefined {
  const before = issues.length;
  const ok = validate(eventSpecShape, input, path, issues);
  if (!ok) return undefined;
  const names = typeof ok.event === 'string' ? [ok.event] : ok.event;
  const events: EventType[] = [];
  names.forEach((name, i) => {
    if (isEventType(name)) events.push(name);
    else {
      issues.push({
        path: typeof ok.event === 'string' ? [...path, 'event'] : [...path, 'event', i],
        message: `unknown event type "${name}" (known: ${EVENT_TYPES.join(', ')})`,
      });
    }
  });
  const match: FieldMatch[] = [];
  for (const [field, value] of Object.entries(ok.match ?? {})) {
    const matcher = matcherAt(events, field, value, [...path, 'match', field], issues);
    if (matcher) match.push({ path: field, matcher });
  }
  let after: EventSpec | undefined;
  if (ok.after !== undefined) {
    if (!isObject(ok.after) || !('event' in ok.after)) {
      issues.push({ path: [...path, 'after'], message: 'expected an event spec (event: …)' });
    } else after = specAt(ok.after, [...path, 'after'], issues);
  }
  if (issues.length > before) return undefined;
  return { events, match, ...(after ? { after } : {}) };
}

function matcherAt(
  events: EventType[],
  field: string,
  value: unknown,
  path: PathPart[],
  issues: Issue[],
): ValueMatcher | undefined {
  // The field must exist, as a scalar (or a list of scalars), on every type listed.
  let scalar: 'string' | 'number' | 'boolean' | undefined;
  for (const type of events) {
    let kind: FieldKind | undefined = fieldKind(type, field);
    while (Array.isArray(kind)) kind = (kind as readonly [FieldKind])[0];
    if (kind === undefined) {
      const known = Object.keys(fieldsOf(type)).join(', ');
      issues.push({ path, message: `${type} has no field "${field}" (fields: ${known})` });
      return undefined;
    }
    if (typeof kind !== 'string') {
      const parts = Object.keys(kind).map((k) => `${field}.${k}`);
      issues.push({
        path,
        message: `${field} is an object: match ${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`,
      });
      return undefined;
    }
    if (scalar && scalar !== kind) {
      issues.push({
        path,
        message: `"${field}" is a ${scalar} in one event type, a ${kind} in another`,
      });
      return undefined;
    }
    scalar = kind as 'string' | 'number' | 'boolean';
  }
  if (!scalar) return undefined; // the event types were unknown; already reported
  const schema = SCALAR_SCHEMAS[scalar];

  if (!isObject(value)) {
    const v = validate<Scalar>(schema, value, path, issues);
    return v === undefined ? undefined : { op: 'equals', value: v };
  }
  const unknown = Object.keys(value).filter((k) => !OPERATORS.includes(k));
  if (unknown.length > 0) {
    issues.push({
      path,
      message: `unknown operator "${unknown[0]}" (use regex, in, gte, gt, lte or lt)`,
    });
    return undefined;
  }
  if ('regex' in value) {
    if (scalar !== 'string') {
      issues.push({ path, message: `regex matches text; ${field} is a ${scalar}` });
      return undefined;
    }
    const ok = validate(regexShape, value, path, issues);
    if (!ok) return undefined;
    try {
      return { op: 'regex', regex: new RegExp(ok.regex, ok.flags ?? '') };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      issues.push({ path: [...path, 'regex'], message: `not a valid regular expression: ${why}` });
      return undefined;
    }
  }
  if ('in' in value) {
    const ok = validate(z.strictObject({ in: z.array(schema).min(1) }), value, path, issues);
    return ok && { op: 'in', values: ok.in as Scalar[] };
  }
  if (scalar !== 'number') {
    issues.push({ path, message: `gte, gt, lte and lt compare numbers; ${field} is a ${scalar}` });
    return undefined;
  }
  const ok = validate(rangeShape, value, path, issues);
  if (!ok) return undefined;
  if (Object.keys(ok).length === 0) {
    issues.push({ path, message: 'expected regex, in, gte, gt, lte or lt' });
    return undefined;
  }
  return { op: 'range', ...ok };
}

// ---------------------------------------------------------------------------------------
// Evaluation

/** Connection facts and reply attributions, computed once per evaluation. */
class TraceIndex {
  readonly connects = new Map<string, Extract<TraceEvent, { type: 'net.connect' }>>();
  readonly commands = new Map<TraceEvent, string>();

  constructor(readonly events: readonly TraceEvent[]) {
    const last = new Map<string, string>();
    for (const e of events) {
      if (e.type === 'net.connect') this.connects.set(e.conn, e);
      else if (e.type === 'smtp.command') last.set(e.conn, e.verb);
      else if (e.type === 'smtp.data') last.set(e.conn, '.');
      else if (e.type === 'smtp.reply') this.commands.set(e, last.get(e.conn) ?? '');
    }
  }

  /** The values at `path` of `event` (lists are looked through: any element may match). */
  values(event: TraceEvent, path: string): unknown[] {
    if (isDerived(event.type, path)) {
      const conn = connOf(event);
      const connect = conn === undefined ? undefined : this.connects.get(conn);
      switch (path) {
        case 'client':
          return connect ? [connect.from.host] : [];
        case 'port':
          return connect ? [connect.to.port] : [];
        case 'server':
          return connect ? [connect.to.host] : [];
        case 'command': {
          const command = this.commands.get(event);
          return command === undefined ? [] : [command];
        }
      }
    }
    let values: unknown[] = [event];
    for (const part of path.split('.')) {
      values = values
        .flatMap((v) => (Array.isArray(v) ? v : [v]))
        .map((v) =>
          typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined,
        )
        .filter((v) => v !== undefined);
    }
    return values.flatMap((v) => (Array.isArray(v) ? v : [v]));
  }

  matches(spec: EventSpec, event: TraceEvent, position: number): boolean {
    if (!spec.events.includes(event.type)) return false;
    for (const { path, matcher } of spec.match) {
      if (!this.values(event, path).some((v) => test(matcher, v))) return false;
    }
    if (!spec.after) return true;
    const conn = connOf(event);
    for (let i = position - 1; i >= 0; i--) {
      const earlier = this.events[i]!;
      const other = connOf(earlier);
      if (conn !== undefined && other !== undefined && other !== conn) continue;
      if (this.matches(spec.after, earlier, i)) return true;
    }
    return false;
  }
}

function test(matcher: ValueMatcher, value: unknown): boolean {
  switch (matcher.op) {
    case 'equals':
      return value === matcher.value;
    case 'regex':
      return typeof value === 'string' && matcher.regex.test(value);
    case 'in':
      return matcher.values.includes(value as Scalar);
    case 'range':
      return (
        typeof value === 'number' &&
        (matcher.gte === undefined || value >= matcher.gte) &&
        (matcher.gt === undefined || value > matcher.gt) &&
        (matcher.lte === undefined || value <= matcher.lte) &&
        (matcher.lt === undefined || value < matcher.lt)
      );
  }
}

/**
 * Whether `check` holds for the events after `since`: the id of the last event recorded
 * before the step began (0 for a fresh world; `trace.events.length` when the step starts).
 * `events` is the whole trace, so that `after`, `client` and `port` can look before that.
 */
export function evaluateCheck(check: Check, events: readonly TraceEvent[], since = 0): boolean {
  const index = new TraceIndex(events);
  const start = firstAfter(events, since);
  const count = (spec: EventSpec, stopAt: number): number => {
    let n = 0;
    for (let i = start; i < events.length && n < stopAt; i++) {
      if (index.matches(spec, events[i]!, i)) n++;
    }
    return n;
  };
  const holds = (c: Check): boolean => {
    switch (c.kind) {
      case 'event':
        return count(c.spec, 1) === 1;
      case 'all':
        return c.checks.every(holds);
      case 'any':
        return c.checks.some(holds);
      case 'not':
        return !holds(c.check);
      case 'count': {
        const n = count(c.spec, c.atMost === undefined ? c.atLeast : c.atMost + 1);
        return n >= c.atLeast && (c.atMost === undefined || n <= c.atMost);
      }
    }
  };
  return holds(check);
}

/** Index of the first event whose id is greater than `since` (ids grow with the index). */
function firstAfter(events: readonly TraceEvent[], since: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.id <= since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A one-line English reading of a check, for the runner's messages and the panel. */
export function describeCheck(check: Check): string {
  switch (check.kind) {
    case 'event':
      return describeSpec(check.spec);
    case 'all':
      return `all of (${check.checks.map(describeCheck).join('; ')})`;
    case 'any':
      return `any of (${check.checks.map(describeCheck).join('; ')})`;
    case 'not':
      return `not (${describeCheck(check.check)})`;
    case 'count': {
      const { atLeast, atMost } = check;
      const times =
        atMost === undefined
          ? `at least ${atLeast}`
          : atLeast === 0
            ? `at most ${atMost}`
            : atLeast === atMost
              ? `exactly ${atLeast}`
              : `${atLeast} to ${atMost}`;
      return `${times} × ${describeSpec(check.spec)}`;
    }
  }
}

function describeSpec(spec: EventSpec): string {
  const fields = spec.match.map(({ path, matcher }) => `${path} ${describeMatcher(matcher)}`);
  let text = spec.events.join(' or ');
  if (fields.length > 0) text += ` with ${fields.join(', ')}`;
  if (spec.after) text += `, after ${describeSpec(spec.after)}`;
  return text;
}

function describeMatcher(m: ValueMatcher): string {
  switch (m.op) {
    case 'equals':
      return `= ${JSON.stringify(m.value)}`;
    case 'regex':
      return `~ ${String(m.regex)}`;
    case 'in':
      return `in [${m.values.map((v) => JSON.stringify(v)).join(', ')}]`;
    case 'range': {
      const parts: string[] = [];
      if (m.gte !== undefined) parts.push(`≥ ${m.gte}`);
      if (m.gt !== undefined) parts.push(`> ${m.gt}`);
      if (m.lte !== undefined) parts.push(`≤ ${m.lte}`);
      if (m.lt !== undefined) parts.push(`< ${m.lt}`);
      return parts.join(' and ');
    }
  }
}
