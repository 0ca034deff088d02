/**
 * Text alternatives for the diagrams, one line per thing drawn. A lesson's Mermaid sequence
 * diagram is described from its source (the few statement forms lessons use); the topology
 * from the model it is drawn from (the views' sequence diagrams: describeSequenceModel).
 */
import type { Scenario } from '../../engine/scenario';
import { ROLE_TITLE, type TopologyModel } from '../diagram/topology';

/** Undo Mermaid's `#60;` codes (escapeMermaidLabel's) and the line breaks of multi-line labels. */
function text(label: string): string {
  return label
    .replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/<br\/>/g, ' / ')
    .trim();
}

const PARTICIPANT = /^participant (\w+) as (.*)$/;
const MESSAGE = /^(\w+)(-->>|->>|-x)(\w+): (.*)$/;
const NOTE = /^Note over (\w+)(?:,(\w+))?: (.*)$/;

/** Each message and note of a Mermaid sequence diagram, in order, as a sentence. */
export function describeSequence(source: string): string[] {
  const names = new Map<string, string>();
  const name = (id: string) => names.get(id) ?? id;
  const lines: string[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    let m;
    if ((m = PARTICIPANT.exec(line))) names.set(m[1]!, text(m[2]!));
    else if ((m = MESSAGE.exec(line)))
      lines.push(
        `${name(m[1]!)} to ${name(m[3]!)}${m[2] === '-x' ? ' (failed)' : ''}: ${text(m[4]!)}`,
      );
    else if ((m = NOTE.exec(line))) {
      const at = m[2] ? `${name(m[1]!)} and ${name(m[2])}` : name(m[1]!);
      lines.push(`Note at ${at}: ${text(m[3]!)}`);
    }
  }
  return lines;
}

/** Every host (role, address, whether it is down), the mailboxes, and the paths between them. */
export function describeTopology(scenario: Scenario, model: TopologyModel): string[] {
  const label = (id: string) => {
    const node = model.nodes.find((n) => n.id === id);
    return !node ? id : node.users ? `the mailboxes on ${node.host}` : node.host;
  };
  const lines: string[] = [];
  for (const node of model.nodes) {
    const host = scenario.hosts.find((h) => h.name === node.host);
    if (node.users) lines.push(`Mailboxes on ${node.host}: ${node.users.join(', ')}.`);
    else if (host)
      lines.push(
        `${host.name}: ${ROLE_TITLE[host.role] ?? host.role}, ${host.address}${node.down ? ', DOWN' : ''}.`,
      );
  }
  for (const e of model.edges) {
    if (e.kind === 'smtp') lines.push(`${label(e.a)} and ${label(e.b)} exchange mail (SMTP).`);
    if (e.kind === 'mailbox') lines.push(`${label(e.a)} delivers into ${label(e.b)}.`);
  }
  const ns = scenario.hosts.find((h) => h.role === 'dns');
  if (ns && model.edges.some((e) => e.kind === 'dns'))
    lines.push(`Every other host asks ${ns.name} for DNS.`);
  return lines;
}
