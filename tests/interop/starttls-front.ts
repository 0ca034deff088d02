/**
 * A stand-in for the server's STARTTLS (RFC 3207), until the real server session has it:
 * a simulated service that greets, offers STARTTLS in its EHLO reply, answers STARTTLS
 * with "220 2.0.0 Ready to start TLS", throws away any plaintext that followed the command
 * (CVE-2011-0411), and from then on relays the (now "secure") conversation to the real
 * smtpd on port 25 of the same host, minus that server's greeting. It records commands and
 * replies in the trace the way smtpd does, which is what the bridge watches for STARTTLS.
 */
import { text } from '../../src/engine/bytes';
import type { Socket } from '../../src/engine/net/socket';
import type { World } from '../../src/engine/world';

export interface FrontSession {
  conn: string;
  /** The front's end of the simulated connection; `.peer` is the bridge's end. */
  socket: Socket;
  /** Plaintext that came after STARTTLS and was thrown away. */
  discarded: string;
  /** Bytes relayed to the real server after STARTTLS. */
  relayed: string;
}

export function listenStartTlsFront(world: World, host: string, port: number): FrontSession[] {
  const sessions: FrontSession[] = [];
  const address = world.net.hostByName(host)!.address;

  world.net.listen(host, port, (socket) => {
    const session: FrontSession = { conn: socket.conn, socket, discarded: '', relayed: '' };
    sessions.push(session);
    let buffer = '';
    let upgraded = false;
    let backend: Socket | undefined;
    let backendGreeted = false;
    let backendBuffer = '';
    const pending: Uint8Array[] = [];

    const reply = (code: number, lines: string[]) => {
      world.trace.emit({ type: 'smtp.reply', conn: socket.conn, server: host, code, lines });
      socket.write(lines.map((l) => `${l}\r\n`).join(''));
    };

    const startRelay = () => {
      world.net.connect(host, address, 25, {
        onConnect: (s) => {
          backend = s.on({
            onData: (data) => {
              if (backendGreeted) return socket.write(data);
              // Swallow the real server's 220 greeting: the client was greeted already.
              backendBuffer += text(data);
              const end = backendBuffer.search(/^220 [^\r\n]*\r\n/m);
              if (end < 0) return;
              const rest = backendBuffer.slice(backendBuffer.indexOf('\r\n', end) + 2);
              backendGreeted = true;
              if (rest) socket.write(rest);
              for (const chunk of pending.splice(0)) backend!.write(chunk);
            },
            onClose: () => socket.close(),
            onReset: () => socket.reset(),
          });
        },
        onError: () => socket.reset(),
      });
    };

    const command = (line: string) => {
      const verb = line.split(' ')[0]!.toUpperCase();
      world.trace.emit({ type: 'smtp.command', conn: socket.conn, server: host, verb, line });
      switch (verb) {
        case 'EHLO':
          return reply(250, [`250-${host}`, '250-PIPELINING', '250 STARTTLS']);
        case 'STARTTLS':
          reply(220, ['220 2.0.0 Ready to start TLS']);
          upgraded = true;
          socket.secure = true;
          session.discarded = buffer; // RFC 3207 §4.2 / CVE-2011-0411
          buffer = '';
          return startRelay();
        case 'QUIT':
          reply(221, ['221 2.0.0 Bye']);
          return socket.close();
        default:
          return reply(530, ['530 5.7.0 Must issue a STARTTLS command first']);
      }
    };

    socket.on({
      onData: (data) => {
        if (upgraded) {
          session.relayed += text(data);
          if (backend && backendGreeted) backend.write(data);
          else pending.push(data);
          return;
        }
        buffer += text(data);
        for (
          let eol = buffer.indexOf('\r\n');
          eol >= 0 && !upgraded;
          eol = buffer.indexOf('\r\n')
        ) {
          const line = buffer.slice(0, eol);
          buffer = buffer.slice(eol + 2);
          command(line);
        }
      },
      onClose: () => {
        backend?.close();
        socket.close();
      },
      onReset: () => backend?.reset(),
    });
    reply(220, [`220 ${host} ESMTP STARTTLS front`]);
  });
  return sessions;
}
