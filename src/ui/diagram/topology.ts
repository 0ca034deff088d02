/**
 * The world's topology as a graph, and the tokens that travel along its edges.
 *
 * Nodes are the hosts, and for each host that keeps mailboxes a node listing their users.
 * Edges are the paths mail and lookups take: workstation → submission server, MTA → MX,
 * backup MX → primary, every host → the name server (DNS), host → mailbox, plus any pair
 * of hosts seen connecting. Ids are fixed (h0, m0, e0); stageLayout.ts places and labels
 * the nodes (grouped by domain), TopologyStage.tsx draws them.
 *
 * `tokensFor` turns one trace event into what should move on the diagram: the kind
 * (colour), a glyph and a label (so colour is never the only signal), and which way.
 */
import type { Scenario } from '../../engine/scenario';
import type { Endpoint, TraceEvent } from '../../engine/trace';

export type TokenKind =
  'submission' | 'relay' | 'dns' | 'delivery' | 'bounce' | 'deferral' | 'connect';

/** Each kind of token: a one-word name, what it means, and its glyph. */
export const TOKEN_KINDS: Record<TokenKind, { name: string; title: string; glyph: string }> = {
  submission: { name: 'submission', title: 'submission (client → its mail server)', glyph: '✉' },
  relay: { name: 'relay', title: 'relay (server → server, port 25)', glyph: '➜' },
  dns: { name: 'DNS', title: 'DNS query or answer', glyph: '?' },
  delivery: { name: 'delivery', title: 'delivery into a mailbox', glyph: '↓' },
  bounce: { name: 'bounce', title: 'bounce (rejection, DSN)', glyph: '✖' },
  deferral: { name: 'deferral', title: 'deferral (try again later), timeout', glyph: '↻' },
  connect: { name: 'other', title: 'other connection', glyph: '⇄' },
};

export type NodeRef = { host: string; user?: undefined } | { host: string; user: string };

export interface TopologyNode {
  id: string;
  host: string;
  /** Set for the mailboxes node of a host: whose mailboxes it holds. */
  users?: string[];
  down: boolean;
}

export interface TopologyEdge {
  id: string;
  /** Node ids; the edge is drawn from `a` to `b`. */
  a: string;
  b: string;
  kind: 'smtp' | 'dns' | 'mailbox';
}

export interface TopologyModel {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

export const ROLE_TITLE: Record<string, string> = {
  workstation: 'workstation, mail client',
  msa: 'submission server and MTA',
  mx: 'MX server',
  dns: 'DNS server',
};

/** The node a token goes to: a host, or the mailboxes node of the user's host. */
export function nodeFor(model: TopologyModel, ref: NodeRef): TopologyNode | undefined {
  return model.nodes.find(
    (n) => n.host === ref.host && (ref.user === undefined ? !n.users : n.users?.includes(ref.user)),
  );
}

/** The domain a host belongs to: its name without the first label. */
export function hostDomain(host: string): string {
  const dot = host.indexOf('.');
  return dot < 0 ? host : host.slice(dot + 1);
}

/** Host pairs (unordered) the static picture connects with an SMTP edge. */
function routePairs(scenario: Scenario): [string, string][] {
  const pairs: [string, string][] = [];
  const hosts = scenario.hosts;
  const msas = hosts.filter((h) => h.role === 'msa');
  for (const w of hosts.filter((h) => h.role === 'workstation')) {
    for (const m of msas.length ? msas : hosts.filter((h) => h.role === 'mx'))
      pairs.push([w.name, m.name]);
  }
  for (const h of hosts.filter((x) => x.role === 'msa' || x.role === 'mx')) {
    for (const d of scenario.domains) {
      const own = d.mx.find((mx) => mx.host === h.name);
      for (const mx of d.mx) {
        if (mx.host === h.name) continue;
        // A backup MX relays only to better (lower) preferences; others to every MX.
        if (own && mx.preference >= own.preference) continue;
        if (h.localDomains.includes(d.name) && !own) continue;
        pairs.push([h.name, mx.host]);
      }
    }
  }
  return pairs;
}

/**
 * Build the graph for `scenario`. `extraPairs` are host pairs seen connecting that the
 * static routes do not cover (e.g. a telnet from the laptop straight to an MX).
 */
export function buildTopology(
  scenario: Scenario,
  extraPairs: readonly (readonly [string, string])[] = [],
  /** Hosts down now; by default those the scenario starts down. */
  downNow?: ReadonlySet<string>,
): TopologyModel {
  const down = new Set(
    downNow ?? scenario.faults.flatMap((f) => (f.type === 'host-down' ? [f.host] : [])),
  );
  if (!downNow) for (const h of scenario.hosts) if (!h.up) down.add(h.name);
  const nodes: TopologyNode[] = [];
  const hostNode = new Map<string, string>();
  scenario.hosts.forEach((h, i) => {
    const id = `h${i}`;
    hostNode.set(h.name, id);
    nodes.push({ id, host: h.name, down: down.has(h.name) });
  });
  // One node per host that keeps mailboxes, listing its users.
  const mailboxes: { id: string; host: string; users: string[] }[] = [];
  for (const u of scenario.users) {
    if (!hostNode.has(u.mailHost)) continue;
    let box = mailboxes.find((m) => m.host === u.mailHost);
    if (!box) mailboxes.push((box = { id: `m${mailboxes.length}`, host: u.mailHost, users: [] }));
    box.users.push(u.address.split('@')[0]!.toLowerCase());
  }
  for (const m of mailboxes) nodes.push({ id: m.id, host: m.host, users: m.users, down: false });

  const edges: TopologyEdge[] = [];
  const seen = new Set<string>();
  const addEdge = (a: string | undefined, b: string | undefined, kind: TopologyEdge['kind']) => {
    if (!a || !b || a === b) return;
    const key = [a, b].sort().join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ id: `e${edges.length}`, a, b, kind });
  };
  for (const [a, b] of routePairs(scenario)) addEdge(hostNode.get(a), hostNode.get(b), 'smtp');
  for (const [a, b] of extraPairs) addEdge(hostNode.get(a), hostNode.get(b), 'smtp');
  const ns = scenario.hosts.find((h) => h.role === 'dns');
  if (ns) {
    for (const h of scenario.hosts)
      if (h !== ns) addEdge(hostNode.get(h.name), hostNode.get(ns.name), 'dns');
  }
  for (const m of mailboxes) addEdge(hostNode.get(m.host), m.id, 'mailbox');

  return { nodes, edges };
}

/** A token to animate: from one node to another (the same node: a pulse in place). */
export interface TokenSpec {
  kind: TokenKind;
  from: NodeRef;
  to: NodeRef;
  /** Short text shown next to the glyph. */
  label: string;
  glyph: string;
  /** The trace event it comes from. */
  event: number;
}

/** What tokensFor needs to know about the world and the trace so far. */
export interface TokenContext {
  roleOf(host: string): string | undefined;
  /** The endpoints of a connection seen in the trace. */
  connection(conn: string): { from: Endpoint; to: Endpoint } | undefined;
  /** Whether a queue id names a DSN (a bounce message) created in this world. */
  isDsn(queueId: string): boolean;
}

const SUBMISSION_PORTS = new Set([587, 465]);

/** Submission, relay or another kind of connection, from the ports and roles. */
export function connectionKind(ctx: TokenContext, from: string, port: number): TokenKind {
  const role = ctx.roleOf(from);
  if (SUBMISSION_PORTS.has(port)) return 'submission';
  if (port === 25) return role === 'msa' || role === 'mx' ? 'relay' : 'submission';
  return 'connect';
}

/** "host X[addr] said: …" or "connect to X[addr]:25: …" → X. */
export function remoteOf(reason: string): string | undefined {
  return /^(?:host|connect to) ([^\s[]+)\[/.exec(reason)?.[1];
}

function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Parse "beta.example. 300 IN MX 10 mx1.beta.example." → "MX 10 mx1.beta.example". */
function answerSummary(answers: readonly string[], qtype: string): string {
  const first = answers.find((a) => a.split(/\s+/)[3] === qtype) ?? answers[0];
  if (!first) return 'no records';
  const fields = first.split(/\s+/);
  const value = fields.slice(4).join(' ').replace(/\.$/, '');
  const more = answers.length > 1 ? ` (+${answers.length - 1})` : '';
  return `${fields[3] ?? qtype} ${value}${more}`;
}

export function tokensFor(e: TraceEvent, ctx: TokenContext): TokenSpec[] {
  const token = (
    kind: TokenKind,
    from: NodeRef,
    to: NodeRef,
    text: string,
    glyph = TOKEN_KINDS[kind].glyph,
  ): TokenSpec[] => [{ kind, from, to, label: shorten(text), glyph, event: e.id }];
  switch (e.type) {
    case 'net.connect': {
      const kind = connectionKind(ctx, e.from.host, e.to.port);
      return token(kind, { host: e.from.host }, { host: e.to.host }, `connect :${e.to.port}`, '⇢');
    }
    case 'net.refused': {
      const c = ctx.connection(e.conn);
      if (!c) return [];
      const why =
        e.reason === 'host-down'
          ? 'no answer: timed out'
          : e.reason === 'port-closed'
            ? `port ${c.to.port} closed: refused`
            : 'no route';
      // A refusal comes back from the server (RST); a timeout is silence on the way out.
      return e.reason === 'port-closed'
        ? token('deferral', { host: c.to.host }, { host: c.from.host }, why, '✖')
        : token('deferral', { host: c.from.host }, { host: c.to.host }, why, '⊘');
    }
    case 'dns.query':
      return token('dns', { host: e.host }, { host: e.server }, `${e.qtype}? ${e.name}`, '?');
    case 'dns.answer': {
      if (e.cached) return [];
      const ok = e.rcode === 'NOERROR';
      return token(
        'dns',
        { host: e.server },
        { host: e.host },
        ok ? answerSummary(e.answers, e.qtype) : `${e.rcode} ${e.name}`,
        ok ? '!' : '✖',
      );
    }
    case 'mail.accepted': {
      const c = ctx.connection(e.conn);
      if (!c) return [];
      const dsn = e.from === '' && ctx.isDsn(e.queueId);
      const kind = dsn ? 'bounce' : connectionKind(ctx, c.from.host, c.to.port);
      return token(
        kind,
        { host: c.from.host },
        { host: e.host },
        `${dsn ? 'bounce ' : 'message '}${e.queueId}`,
        '✉',
      );
    }
    case 'smtp.reply': {
      // A rejection travels back to the client as it happens.
      if (e.code < 400 || e.code === 421) return [];
      const c = ctx.connection(e.conn);
      if (!c) return [];
      const kind = e.code >= 500 ? 'bounce' : 'deferral';
      return token(
        kind,
        { host: e.server },
        { host: c.from.host },
        e.lines[0] ?? String(e.code),
        e.code >= 500 ? '✖' : '↻',
      );
    }
    case 'queue.deferred':
      return token('deferral', { host: e.host }, { host: e.host }, `retry ${e.queueId} later`, '↻');
    case 'mail.bounce':
      return token(
        'bounce',
        { host: e.host },
        { host: e.host },
        `${e.action === 'delayed' ? 'delay notice' : 'bounce'} to ${e.to}`,
        '↩',
      );
    case 'mail.delivered': {
      const dsn = ctx.isDsn(e.queueId);
      return token(
        dsn ? 'bounce' : 'delivery',
        { host: e.host },
        { host: e.host, user: e.user },
        `${dsn ? 'bounce' : 'message'} to ${e.user}`,
        dsn ? '↩' : '↓',
      );
    }
    default:
      return [];
  }
}
