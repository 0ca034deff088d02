/**
 * One end of a simulated TCP connection. Bytes written arrive at the peer in order after
 * the link's latency; close() delivers a FIN after the data already in flight, reset()
 * tears the connection down at once (data in flight is lost, as with a real RST). A side
 * that received a FIN reads no more but may still write and close (CLOSE_WAIT, RFC 9293).
 */
import { utf8 } from '../bytes';
import type { Endpoint } from '../trace';

export interface SocketEvents {
  onData(data: Uint8Array): void;
  /** The peer closed the connection (FIN). */
  onClose(): void;
  /** The peer reset the connection (RST). */
  onReset(): void;
}

/** What a socket needs from the network that carries it. */
export interface Link {
  transmit(from: Socket, data: Uint8Array): void;
  finish(from: Socket): void;
  abort(from: Socket): void;
}

export class Socket {
  private handlers: Partial<SocketEvents> = {};
  private open = true;
  /** The peer's FIN arrived: nothing more to read, but this side may still write. */
  private peerClosed = false;
  /** This side sent its FIN with shutdown(): nothing more to write, but it still reads. */
  private writeShut = false;
  peer!: Socket;
  /** Marked by STARTTLS or implicit TLS; the simulation carries bytes unchanged. */
  secure = false;
  /** The network's bookkeeping for this direction: when its last chunk arrives (to keep
   * order), and whether this side sent a RST (what is still in flight is then lost). */
  lastArrival = 0;
  aborted = false;
  /** The network's copy of this link's latency and loss, as of a version of its links. */
  readonly route = { latency: 0, loss: 0, version: -1 };

  constructor(
    readonly conn: string,
    readonly local: Endpoint,
    readonly remote: Endpoint,
    private readonly link: Link,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  on(handlers: Partial<SocketEvents>): this {
    this.handlers = { ...this.handlers, ...handlers };
    return this;
  }

  write(data: Uint8Array | string): void {
    if (!this.open || this.writeShut) return;
    const bytes = typeof data === 'string' ? utf8(data) : data;
    if (bytes.length > 0) this.link.transmit(this, bytes);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    if (!this.writeShut) this.link.finish(this);
  }

  /**
   * Half-close, as shutdown(SHUT_WR) does: a FIN goes after the data already written, and
   * this side keeps reading until the peer closes too (RFC 9293 §3.6).
   */
  shutdown(): void {
    if (!this.open || this.writeShut) return;
    this.writeShut = true;
    this.link.finish(this);
  }

  reset(): void {
    if (!this.open) return;
    this.open = false;
    this.link.abort(this);
  }

  /** Called by the network when bytes from the peer arrive. */
  deliver(data: Uint8Array): void {
    if (this.open && !this.peerClosed) this.handlers.onData?.(data);
  }

  /** Called by the network when the peer's FIN arrives. */
  deliverClose(): void {
    if (!this.open || this.peerClosed) return;
    this.peerClosed = true;
    this.handlers.onClose?.();
  }

  /** Called by the network when the peer's RST arrives. */
  deliverReset(): void {
    if (!this.open) return;
    this.open = false;
    this.handlers.onReset?.();
  }
}
