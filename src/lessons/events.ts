/**
 * What a lesson check may ask about: every trace event type and its fields, in one place.
 * The table is typed against the trace union (src/engine/trace.ts), so adding an event
 * type or a field there and not here fails to compile; lessons/README.md lists the same.
 */
import type { TraceEvent, TraceEventBody } from '../engine/trace';

export type EventType = TraceEventBody['type'];

/** The kind of a field's value: a scalar, a list (any element may match) or an object. */
export type FieldKind =
  'string' | 'number' | 'boolean' | readonly [FieldKind] | { readonly [field: string]: FieldKind };

/** The FieldKind a TypeScript type has, so the table below cannot drift from the union. */
type KindOf<V> = [V] extends [string]
  ? 'string'
  : [V] extends [number]
    ? 'number'
    : [V] extends [boolean]
      ? 'boolean'
      : V extends readonly (infer E)[]
        ? readonly [KindOf<E>]
        : { readonly [K in keyof V]: KindOf<V[K]> };

type Body<T extends EventType> = Extract<TraceEventBody, { type: T }>;
type FieldTable = {
  readonly [T in EventType]: { readonly [K in Exclude<keyof Body<T>, 'type'>]: KindOf<Body<T>[K]> };
};

const ENDPOINT = { host: 'string', address: 'string', port: 'number' } as const;

/** Every event type of the trace and its own fields (docs/trace.md explains them). */
export const EVENT_FIELDS = {
  'net.connect': { conn: 'string', from: ENDPOINT, to: ENDPOINT },
  'net.established': { conn: 'string' },
  'net.refused': { conn: 'string', reason: 'string' },
  'net.data': { conn: 'string', from: 'string', to: 'string', bytes: 'number', text: 'string' },
  'net.close': { conn: 'string', by: 'string' },
  'net.reset': { conn: 'string', by: 'string' },
  'smtp.command': { conn: 'string', server: 'string', verb: 'string', line: 'string' },
  'smtp.reply': { conn: 'string', server: 'string', code: 'number', lines: ['string'] },
  'smtp.data': { conn: 'string', server: 'string', bytes: 'number', lines: 'number' },
  'smtp.pregreet': { conn: 'string', server: 'string', bytes: 'number' },
  'tls.handshake': {
    conn: 'string',
    server: 'string',
    version: 'string',
    cipher: 'string',
    implicit: 'boolean',
    discarded: 'number',
  },
  'mail.accepted': {
    host: 'string',
    conn: 'string',
    queueId: 'string',
    from: 'string',
    to: ['string'],
    bytes: 'number',
  },
  'mail.delivered': { host: 'string', queueId: 'string', user: 'string', mailbox: 'string' },
  'mail.bounce': {
    host: 'string',
    queueId: 'string',
    dsnId: 'string',
    action: 'string',
    to: 'string',
    recipients: [{ rcpt: 'string', status: 'string' }],
  },
  'queue.added': { host: 'string', queueId: 'string', from: 'string', to: ['string'] },
  'queue.result': {
    host: 'string',
    queueId: 'string',
    rcpt: 'string',
    status: 'string',
    dsn: 'string',
    reason: 'string',
  },
  'queue.deferred': {
    host: 'string',
    queueId: 'string',
    nextAttempt: 'number',
    reason: 'string',
  },
  'queue.removed': { host: 'string', queueId: 'string', how: 'string' },
  'dns.query': {
    host: 'string',
    server: 'string',
    qid: 'number',
    name: 'string',
    qtype: 'string',
  },
  'dns.answer': {
    host: 'string',
    server: 'string',
    qid: 'number',
    name: 'string',
    qtype: 'string',
    rcode: 'string',
    answers: ['string'],
    cached: 'boolean',
  },
  'dns.timeout': {
    host: 'string',
    server: 'string',
    qid: 'number',
    name: 'string',
    qtype: 'string',
  },
  log: { host: 'string', program: 'string', pid: 'number', text: 'string' },
} as const satisfies FieldTable;

export const EVENT_TYPES = Object.keys(EVENT_FIELDS) as EventType[];

export function isEventType(name: string): name is EventType {
  return Object.hasOwn(EVENT_FIELDS, name);
}

/**
 * Fields computed from the rest of the trace, for events that belong to a connection:
 * `client` (the host that opened it) and `port` (the port it was opened to), from the
 * `net.connect` of the same `conn`; `server` (the host it was opened to) for those that do
 * not name it themselves (`net.*`, `mail.accepted`); and for `smtp.reply`, `command`: the
 * verb of the command it answers, `.` for the end of the message text, '' for the greeting.
 */
export const DERIVED_FIELDS = {
  client: 'string',
  port: 'number',
  server: 'string',
  command: 'string',
} as const;

export type DerivedField = keyof typeof DERIVED_FIELDS;

/** The fields a check may name for an event type, own and derived, with their kinds. */
export function fieldsOf(type: EventType): Record<string, FieldKind> {
  const own: Record<string, FieldKind> = { ...EVENT_FIELDS[type] };
  if ('conn' in own) {
    own.client = DERIVED_FIELDS.client;
    own.port = DERIVED_FIELDS.port;
    if (!('server' in own)) own.server = DERIVED_FIELDS.server;
  }
  if (type === 'smtp.reply') own.command = DERIVED_FIELDS.command;
  return own;
}

/** Whether `field` of events of this type is derived rather than the event's own. */
export function isDerived(type: EventType, field: string): field is DerivedField {
  return !Object.hasOwn(EVENT_FIELDS[type], field) && Object.hasOwn(DERIVED_FIELDS, field);
}

/**
 * The kind at a dotted path (`from.host`, `recipients.rcpt`), looking through lists;
 * undefined when the event type has no such field.
 */
export function fieldKind(type: EventType, path: string): FieldKind | undefined {
  let kind: FieldKind | undefined = fieldsOf(type)[path.split('.')[0]!];
  for (const part of path.split('.').slice(1)) {
    while (Array.isArray(kind)) kind = (kind as readonly [FieldKind])[0];
    if (kind === undefined || typeof kind === 'string') return undefined;
    kind = Object.hasOwn(kind, part) ? (kind as Record<string, FieldKind>)[part] : undefined;
  }
  return kind;
}

/** The field paths a check may match on, for messages and docs: `from.host`, `lines` … */
export function fieldPaths(type: EventType): string[] {
  const paths: string[] = [];
  const walk = (prefix: string, kind: FieldKind): void => {
    while (Array.isArray(kind)) kind = (kind as readonly [FieldKind])[0];
    if (typeof kind === 'string') paths.push(prefix);
    else for (const [k, v] of Object.entries(kind)) walk(`${prefix}.${k}`, v);
  };
  for (const [field, kind] of Object.entries(fieldsOf(type))) walk(field, kind);
  return paths;
}

/** The connection an event belongs to, if any. */
export function connOf(event: TraceEvent): string | undefined {
  return 'conn' in event ? event.conn : undefined;
}
