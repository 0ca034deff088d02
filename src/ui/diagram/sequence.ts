/**
 * A Mermaid sequence diagram of one SMTP connection, drawn from the trace: the client's
 * commands and the server's replies in order. Participants get fixed ids; every label goes
 * through escapeMermaidLabel.
 */
import type { TraceEvent } from '../../engine/trace';
import { escapeMermaidLabel as label } from './escape';

/** The most recent connection that carried SMTP, the one the diagram shows by default. */
export function latestSmtpConnection(events: readonly TraceEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'smtp.reply' || e.type === 'smtp.command') return e.conn;
  }
  return undefined;
}

export function sequenceDiagram(events: readonly TraceEvent[], conn: string): string {
  const lines = ['sequenceDiagram'];
  let client = 'client';
  let server = 'server';
  const body: string[] = [];
  let inData = false;
  for (const e of events) {
    if (!('conn' in e) || e.conn !== conn) continue;
    switch (e.type) {
      case 'net.connect':
        client = e.from.host;
        server = e.to.host;
        body.push(`C->>S: ${label(`TCP connect to port ${e.to.port}`)}`);
        break;
      case 'net.refused':
        body.push(`Note over C,S: ${label(`connection failed (${e.reason})`)}`);
        break;
      case 'smtp.command':
        body.push(`C->>S: ${label(e.line)}`);
        break;
      case 'smtp.data':
        body.push(`C->>S: ${label(`message text, ${e.lines} lines, ${e.bytes} bytes, then "."`)}`);
        inData = false;
        break;
      case 'smtp.reply': {
        const shown = e.lines.slice(0, 6).map((l) => label(l));
        if (e.lines.length > 6) shown.push(label(`… ${e.lines.length - 6} more lines`));
        body.push(`S-->>C: ${shown.join('<br/>')}`);
        if (e.code === 354) inData = true;
        break;
      }
      case 'net.close':
        body.push(`Note over C,S: ${label(`connection closed by ${e.by}`)}`);
        break;
      case 'net.reset':
        body.push(`Note over C,S: ${label(`connection reset by ${e.by}`)}`);
        break;
      default:
        break;
    }
  }
  if (inData) body.push(`Note over C: ${label('typing message text…')}`);
  lines.push(`  participant C as ${label(client)}`, `  participant S as ${label(server)}`);
  return [...lines, ...body.map((l) => `  ${l}`)].join('\n');
}
