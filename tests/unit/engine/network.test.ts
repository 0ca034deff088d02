/** Simulated hosts and TCP-like connections (src/engine/net). */
import { describe, expect, it } from 'vitest';
import { text } from '../../../src/engine/bytes';
import { Scheduler } from '../../../src/engine/clock';
import {
  DEFAULT_CONNECT_TIMEOUT,
  DEFAULT_LATENCY,
  Network,
  type ConnectError,
} from '../../../src/engine/net/network';
import type { Socket } from '../../../src/engine/net/socket';
import { Trace } from '../../../src/engine/trace';

const CLIENT = { name: 'laptop.alpha.example', address: '192.0.2.10' };
const SERVER = { name: 'mx1.beta.example', address: '203.0.113.25' };

/** Everything a side of a connection saw, stamped with virtual time. */
type Seen = string[];

function watch(socket: Socket, seen: Seen, clock: Scheduler): Socket {
  return socket.on({
    onData: (d) => seen.push(`${clock.now} data ${text(d)}`),
    onClose: () => seen.push(`${clock.now} close`),
    onReset: () => seen.push(`${clock.now} reset`),
  });
}

function world() {
  const clock = new Scheduler();
  const trace = new Trace(clock);
  const net = new Network(clock, trace);
  net.addHost(CLIENT);
  net.addHost(SERVER);
  const serverSeen: Seen = [];
  const servers: Socket[] = [];
  net.listen(SERVER.name, 25, (s) => servers.push(watch(s, serverSeen, clock)));

  /** Connect client → server:port; resolves the outcome into `result`. */
  const connect = (port = 25, timeout?: number, to = SERVER.address) => {
    const result: { socket?: Socket; error?: ConnectError; at?: number; seen: Seen } = { seen: [] };
    const conn = net.connect(CLIENT.name, to, port, {
      ...(timeout === undefined ? {} : { timeout }),
      onConnect: (s) => {
        result.socket = watch(s, result.seen, clock);
        result.at = clock.now;
      },
      onError: (e) => {
        result.error = e;
        result.at = clock.now;
      },
    });
    return { conn, result };
  };

  /** The trace without ids, for compact comparisons. */
  const events = () => trace.events.map(({ id: _id, ...rest }) => rest);
  return { clock, trace, net, servers, serverSeen, connect, events };
}

describe('Network: hosts and listeners', () => {
  it('knows its hosts by name and by address', () => {
    const { net } = world();
    expect(net.hostNames()).toEqual([CLIENT.name, SERVER.name]);
    expect(net.hostByName(SERVER.name)).toMatchObject({ ...SERVER, up: true });
    expect(net.hostByAddress(CLIENT.address)?.name).toBe(CLIENT.name);
    expect(net.hostByName('nope.example')).toBeUndefined();
  });

  it('refuses duplicate host names and addresses', () => {
    const { net } = world();
    expect(() => net.addHost({ name: SERVER.name, address: '192.0.2.99' })).toThrow(
      'duplicate host mx1.beta.example',
    );
    expect(() => net.addHost({ name: 'other.example', address: SERVER.address })).toThrow(
      'duplicate address 203.0.113.25',
    );
  });

  it('refuses a second listener on one port, and listeners on unknown hosts', () => {
    const { net } = world();
    expect(net.isListening(SERVER.name, 25)).toBe(true);
    expect(net.isListening(SERVER.name, 587)).toBe(false);
    expect(() => net.listen(SERVER.name, 25, () => {})).toThrow(
      'mx1.beta.example:25 is already listening',
    );
    expect(() => net.listen('ghost.example', 25, () => {})).toThrow('unknown host ghost.example');
  });

  it('latency is per link, symmetric, with a default', () => {
    const { net } = world();
    expect(net.latency(CLIENT.name, SERVER.name)).toBe(DEFAULT_LATENCY);
    net.setLatency(SERVER.name, CLIENT.name, 75);
    expect(net.latency(CLIENT.name, SERVER.name)).toBe(75);
    expect(net.latency(SERVER.name, CLIENT.name)).toBe(75);
  });

  it('connecting from an unknown host is API misuse and throws', () => {
    const { net } = world();
    expect(() =>
      net.connect('ghost.example', SERVER.address, 25, { onConnect() {}, onError() {} }),
    ).toThrow('unknown host ghost.example');
  });
});

describe('Network.connect outcomes', () => {
  it('established after one round trip; both sides get a socket', () => {
    const { connect, servers, clock, events } = world();
    const { conn, result } = connect();
    expect(conn).toBe('c1');
    expect(result.socket).toBeUndefined(); // nothing happens synchronously
    clock.settle(60_000);
    expect(result.at).toBe(2 * DEFAULT_LATENCY);
    expect(servers).toHaveLength(1);
    const [server] = servers;
    expect(result.socket!.local).toEqual({
      host: CLIENT.name,
      address: CLIENT.address,
      port: 49152,
    });
    expect(result.socket!.remote).toEqual({ host: SERVER.name, address: SERVER.address, port: 25 });
    expect(server!.local).toEqual(result.socket!.remote);
    expect(server!.remote).toEqual(result.socket!.local);
    expect(result.socket!.peer).toBe(server);
    expect(server!.peer).toBe(result.socket);
    expect(events()).toEqual([
      {
        t: 0,
        type: 'net.connect',
        conn: 'c1',
        from: { host: CLIENT.name, address: CLIENT.address, port: 49152 },
        to: { host: SERVER.name, address: SERVER.address, port: 25 },
      },
      { t: 20, type: 'net.established', conn: 'c1' },
    ]);
  });

  it('each connection gets a new id and ephemeral port', () => {
    const { connect, clock } = world();
    const first = connect();
    const second = connect();
    clock.settle(60_000);
    expect([first.conn, second.conn]).toEqual(['c1', 'c2']);
    expect([first.result.socket!.local.port, second.result.socket!.local.port]).toEqual([
      49152, 49153,
    ]);
  });

  it('refused on a closed port after one round trip (RST answers the SYN)', () => {
    const { connect, clock, events, net } = world();
    net.setLatency(CLIENT.name, SERVER.name, 40);
    const { result } = connect(587);
    clock.settle(60_000);
    expect(result).toMatchObject({ error: 'port-closed', at: 80 });
    expect(events().at(-1)).toEqual({
      t: 80,
      type: 'net.refused',
      conn: 'c1',
      reason: 'port-closed',
    });
  });

  it('a host that is down never answers: the attempt times out', () => {
    const { net, clock, events } = world();
    net.addHost({ name: 'down.example', address: '192.0.2.66', up: false });
    const result: { error?: ConnectError; at?: number } = {};
    net.connect(CLIENT.name, '192.0.2.66', 25, {
      onConnect: () => expect.unreachable('connected to a host that is down'),
      onError: (e) => Object.assign(result, { error: e, at: clock.now }),
    });
    clock.runUntil(DEFAULT_CONNECT_TIMEOUT - 1);
    expect(result.error).toBeUndefined();
    clock.runUntil(DEFAULT_CONNECT_TIMEOUT);
    expect(result).toEqual({ error: 'host-down', at: DEFAULT_CONNECT_TIMEOUT });
    expect(events().at(-1)).toEqual({
      t: DEFAULT_CONNECT_TIMEOUT,
      type: 'net.refused',
      conn: 'c1',
      reason: 'host-down',
    });
  });

  it('the client chooses the timeout', () => {
    const { net, clock } = world();
    net.addHost({ name: 'down.example', address: '192.0.2.66', up: false });
    let at = -1;
    net.connect(CLIENT.name, '192.0.2.66', 25, {
      timeout: 5_000,
      onConnect() {},
      onError: () => void (at = clock.now),
    });
    clock.runUntil(60_000);
    expect(at).toBe(5_000);
  });

  it('an address nobody has: no route, after the timeout, named by address in the trace', () => {
    const { connect, clock, events } = world();
    const { result } = connect(25, 1_000, '198.51.100.99');
    clock.runUntil(10_000);
    expect(result).toMatchObject({ error: 'no-route', at: 1_000 });
    expect(events()[0]).toMatchObject({
      type: 'net.connect',
      to: { host: '198.51.100.99', port: 25 },
    });
    expect(events()[1]).toEqual({ t: 1_000, type: 'net.refused', conn: 'c1', reason: 'no-route' });
  });
});

describe('Socket data', () => {
  it('arrives after one-way latency, in order, and is traced when sent', () => {
    const { connect, clock, serverSeen, events, net } = world();
    net.setLatency(CLIENT.name, SERVER.name, 50);
    const { result } = connect();
    clock.settle(60_000); // established at 100
    const socket = result.socket!;
    socket.write('one ');
    socket.write(new TextEncoder().encode('two '));
    socket.write('');
    socket.write('three');
    clock.settle(60_000);
    expect(serverSeen).toEqual(['150 data one ', '150 data two ', '150 data three']);
    const data = events().filter((e) => e.type === 'net.data');
    expect(data).toEqual([
      {
        t: 100,
        type: 'net.data',
        conn: 'c1',
        from: CLIENT.name,
        to: SERVER.name,
        bytes: 4,
        text: 'one ',
      },
      {
        t: 100,
        type: 'net.data',
        conn: 'c1',
        from: CLIENT.name,
        to: SERVER.name,
        bytes: 4,
        text: 'two ',
      },
      {
        t: 100,
        type: 'net.data',
        conn: 'c1',
        from: CLIENT.name,
        to: SERVER.name,
        bytes: 5,
        text: 'three',
      },
    ]);
  });

  it('keeps order even if the link gets faster while data is in flight', () => {
    const { connect, clock, serverSeen, net } = world();
    const { result } = connect();
    clock.settle(60_000); // t = 20
    net.setLatency(CLIENT.name, SERVER.name, 500);
    result.socket!.write('slow');
    net.setLatency(CLIENT.name, SERVER.name, 1);
    result.socket!.write('fast');
    clock.settle(60_000);
    expect(serverSeen).toEqual(['520 data slow', '520 data fast']);
  });

  it('flows both ways independently', () => {
    const { connect, clock, serverSeen, servers } = world();
    const { result } = connect();
    clock.settle(60_000);
    servers[0]!.write('220 hi\r\n');
    result.socket!.write('EHLO x\r\n');
    clock.settle(60_000);
    expect(result.seen).toEqual(['30 data 220 hi\r\n']);
    expect(serverSeen).toEqual(['30 data EHLO x\r\n']);
  });

  it('`on` merges handlers rather than replacing them all', () => {
    const { connect, clock, servers } = world();
    const { result } = connect();
    clock.settle(60_000);
    const got: string[] = [];
    result.socket!.on({ onData: (d) => got.push(text(d)) }); // replaces onData only
    servers[0]!.write('x');
    servers[0]!.close();
    clock.settle(60_000);
    expect(got).toEqual(['x']);
    expect(result.seen).toEqual(['30 close']);
  });
});

describe('Socket close (FIN)', () => {
  it('arrives after the data already in flight; writes after close are dropped', () => {
    const { connect, clock, serverSeen, events } = world();
    const { result } = connect();
    clock.settle(60_000);
    const socket = result.socket!;
    socket.write('QUIT\r\n');
    socket.close();
    expect(socket.isOpen).toBe(false);
    socket.write('late');
    socket.close(); // twice is harmless
    clock.settle(60_000);
    expect(serverSeen).toEqual(['30 data QUIT\r\n', '30 close']);
    expect(events().filter((e) => e.type === 'net.close')).toEqual([
      { t: 20, type: 'net.close', conn: 'c1', by: CLIENT.name },
    ]);
    expect(events().filter((e) => e.type === 'net.data')).toHaveLength(1);
  });

  it('after the peer’s FIN this side can still answer and then close (half-close)', () => {
    const { connect, clock, servers, events } = world();
    const { result } = connect();
    clock.settle(60_000);
    // The server says goodbye and hangs up when the client's FIN arrives.
    servers[0]!.on({
      onClose: () => {
        servers[0]!.write('221 Bye\r\n');
        servers[0]!.close();
      },
    });
    result.socket!.close();
    clock.settle(60_000);
    expect(events().filter((e) => e.type === 'net.close')).toEqual([
      { t: 20, type: 'net.close', conn: 'c1', by: CLIENT.name },
      { t: 30, type: 'net.close', conn: 'c1', by: SERVER.name },
    ]);
    expect(events().filter((e) => e.type === 'net.data')).toEqual([
      expect.objectContaining({ t: 30, from: SERVER.name, text: '221 Bye\r\n' }),
    ]);
    // The client closed completely, so it no longer reads; nothing is delivered to it.
    expect(result.seen).toEqual([]);
  });

  it('data arriving after the peer’s FIN is impossible: the peer cannot write any more', () => {
    const { connect, clock, servers, serverSeen } = world();
    const { result } = connect();
    clock.settle(60_000);
    result.socket!.close();
    result.socket!.write('after close');
    clock.settle(60_000);
    expect(serverSeen).toEqual(['30 close']);
    expect(servers[0]!.isOpen).toBe(true); // CLOSE_WAIT: the server may still send
  });
});

describe('Socket reset (RST)', () => {
  it('reaches the peer after one-way latency and is traced at once', () => {
    const { connect, clock, serverSeen, events } = world();
    const { result } = connect();
    clock.settle(60_000);
    result.socket!.reset();
    expect(result.socket!.isOpen).toBe(false);
    clock.settle(60_000);
    expect(serverSeen).toEqual(['30 reset']);
    expect(events().at(-1)).toEqual({ t: 20, type: 'net.reset', conn: 'c1', by: CLIENT.name });
  });

  it('data in flight from the resetting side is lost', () => {
    const { connect, clock, serverSeen } = world();
    const { result } = connect();
    clock.settle(60_000);
    result.socket!.write('never seen');
    result.socket!.reset();
    clock.settle(60_000);
    expect(serverSeen).toEqual(['30 reset']);
  });

  it('data in flight towards the resetting side is dropped, and the side gets no events', () => {
    const { connect, clock, servers, serverSeen } = world();
    const { result } = connect();
    clock.settle(60_000);
    servers[0]!.write('220 too late\r\n');
    result.socket!.reset();
    clock.settle(60_000);
    expect(result.seen).toEqual([]);
    expect(serverSeen).toEqual(['30 reset']);
    expect(servers[0]!.isOpen).toBe(false);
  });

  it('reset after close, and close after reset, do nothing', () => {
    const { connect, clock, events } = world();
    const { result } = connect();
    clock.settle(60_000);
    result.socket!.close();
    result.socket!.reset();
    clock.settle(60_000);
    expect(events().map((e) => e.type)).toEqual(['net.connect', 'net.established', 'net.close']);
  });
});

describe('Trace', () => {
  it('numbers events from 1, stamps virtual time and notifies subscribers until they leave', () => {
    const { trace, connect, clock } = world();
    const heard: string[] = [];
    const leave = trace.subscribe((e) => heard.push(`${e.id}@${e.t}:${e.type}`));
    connect();
    clock.settle(60_000);
    leave();
    connect();
    clock.settle(60_000);
    expect(heard).toEqual(['1@0:net.connect', '2@20:net.established']);
    expect(trace.events.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(trace.events[3]).toMatchObject({ t: 40, type: 'net.established', conn: 'c2' });
  });
});
