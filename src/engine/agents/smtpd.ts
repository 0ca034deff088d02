/**
 * The SMTP daemon of a mail host: accepts connections on a port, runs one server session
 * per connection, records commands and replies in the trace, and hands accepted messages
 * to the host's delivery agent.
 */
import { rfc5322Date } from '../clock';
import { formatMailbox, type Mailbox } from '../smtp/address';
import { R, type Reply } from '../smtp/reply';
import { ServerSession, type Envelope, type ServerPolicy } from '../smtp/server';
import type { Socket } from '../net/socket';
import type { World } from '../world';

export interface SmtpdConfig {
  host: string;
  port: number;
  policy: ServerPolicy;
  /** Domains delivered on this host. */
  localDomains: string[];
  /** Domains this host accepts to pass on (a backup MX). */
  relayDomains: string[];
  /** Called for each accepted message. */
  onMessage(queueId: string, envelope: Envelope, content: Uint8Array): void;
}

export function startSmtpd(world: World, config: SmtpdConfig): void {
  world.net.listen(config.host, config.port, (socket) => serve(world, config, socket));
}

function serve(world: World, config: SmtpdConfig, socket: Socket): void {
  const { conn } = socket;
  const server = config.host;
  const session = new ServerSession({
    policy: config.policy,
    client: { address: socket.remote.address, name: world.reverseName(socket.remote.address) },
    checkRecipient: (rcpt) => checkRecipient(world, config, rcpt),
    queueId: () => world.random.hex(10),
    date: () => rfc5322Date(world.epoch, world.clock.now),
  });

  const handle = (events: ReturnType<ServerSession['receive']>) => {
    for (const event of events) {
      switch (event.type) {
        case 'command':
          world.trace.emit({
            type: 'smtp.command',
            conn,
            server,
            verb: event.verb,
            line: event.line,
          });
          break;
        case 'reply':
          world.trace.emit({
            type: 'smtp.reply',
            conn,
            server,
            code: event.reply.code,
            lines: event.wire.split('\r\n').slice(0, -1),
          });
          socket.write(event.wire);
          break;
        case 'data':
          world.trace.emit({
            type: 'smtp.data',
            conn,
            server,
            bytes: event.bytes,
            lines: event.lines,
          });
          break;
        case 'message':
          world.trace.emit({
            type: 'mail.accepted',
            host: server,
            conn,
            queueId: event.queueId,
            from: formatMailbox(event.envelope.from),
            to: event.envelope.to.map(formatMailbox),
            bytes: event.content.length,
          });
          config.onMessage(event.queueId, event.envelope, event.content);
          break;
        case 'close':
          socket.close();
          break;
      }
    }
  };

  socket.on({
    onData: (data) => handle(session.receive(data)),
    // The client went away: nothing more to read, so hang up our side too.
    onClose: () => socket.close(),
  });
  handle(session.start());
}

function checkRecipient(world: World, config: SmtpdConfig, rcpt: Mailbox): Reply | undefined {
  const domain = rcpt.domain.toLowerCase();
  const address = formatMailbox(rcpt);
  if (domain === '') return undefined; // bare <postmaster> (RFC 5321 §4.1.1.3)
  if (config.localDomains.includes(domain)) {
    return world.localUser(config.host, rcpt) ? undefined : R.userUnknown(address);
  }
  if (config.relayDomains.includes(domain)) return undefined;
  return R.relayDenied(address);
}
