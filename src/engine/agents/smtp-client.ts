/**
 * Runs a sans-IO ClientSession over a simulated TCP connection: writes what it sends,
 * feeds it what arrives, arms its reply timeouts on the virtual clock, does the (simulated)
 * TLS handshake it asks for, and reports the delivery result — or why no session happened.
 */
import type { TimerHandle } from '../clock';
import type { ConnectError } from '../net/network';
import type { Socket } from '../net/socket';
import {
  ClientSession,
  type ClientEvent,
  type ClientJob,
  type DeliveryResult,
} from '../smtp/client';
import type { World } from '../world';

export type ClientOutcome =
  | { kind: 'result'; result: DeliveryResult; address: string }
  | { kind: 'connect-failed'; reason: ConnectError; address: string };

/** How long an MTA waits for a TCP connection (Postfix smtp_connect_timeout). */
export const SMTP_CONNECT_TIMEOUT = 30_000;

export function runSmtpClient(
  world: World,
  fromHost: string,
  address: string,
  port: number,
  job: ClientJob,
  done: (outcome: ClientOutcome) => void,
): void {
  world.net.connect(fromHost, address, port, {
    timeout: SMTP_CONNECT_TIMEOUT,
    onError: (reason) => done({ kind: 'connect-failed', reason, address }),
    onConnect: (socket) =>
      converse(world, socket, new ClientSession(job), (result) =>
        done({ kind: 'result', result, address }),
      ),
  });
}

/**
 * The client's half of a (simulated) TLS handshake on `socket`, after the server's 220 to
 * STARTTLS (RFC 3207 §4) or on connecting to an implicit-TLS port (RFC 8314 §3): it costs
 * one round trip, then the client's end is secure and `done` runs. The server side
 * finishes its own half (smtpd marks its socket secure and traces `tls.handshake`).
 */
export function tlsHandshake(world: World, socket: Socket, done: () => void): void {
  world.clock.after(2 * world.net.latency(socket.local.host, socket.remote.host), () => {
    if (!socket.isOpen) return;
    socket.secure = true;
    done();
  });
}

function converse(
  world: World,
  socket: Socket,
  session: ClientSession,
  done: (result: DeliveryResult) => void,
): void {
  let timer: TimerHandle | undefined;
  let reported = false;

  const handle = (events: ClientEvent[]) => {
    for (const event of events) {
      switch (event.type) {
        case 'send':
          socket.write(event.data);
          break;
        case 'starttls':
          tlsHandshake(world, socket, () => handle(session.tlsEstablished()));
          break;
        case 'done':
          if (!reported) {
            reported = true;
            done(event.result);
          }
          break;
        case 'close':
          socket.close();
          break;
        default:
          break;
      }
    }
    timer?.cancel();
    const wait = session.timeout;
    timer = wait === null ? undefined : world.clock.after(wait, () => handle(session.timedOut()));
  };

  socket.on({
    onData: (data) => handle(session.receive(data)),
    onClose: () => handle(session.closed()),
    onReset: () => handle(session.closed()),
  });
  handle([]);
}
