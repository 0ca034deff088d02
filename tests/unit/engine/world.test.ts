/**
 * The default world end to end: an SMTP conversation typed through a simulated socket from
 * alice's laptop reaches the MX and lands in bob's mailbox.
 */
import { describe, expect, it } from 'vitest';
import { text } from '../../../src/engine/bytes';
import type { ConnectError } from '../../../src/engine/net/network';
import type { Socket } from '../../../src/engine/net/socket';
import { builtInScenario } from '../../../src/engine/scenario';
import { World } from '../../../src/engine/world';

const LAPTOP = 'laptop.alpha.example';
const MX1 = { name: 'mx1.beta.example', address: '203.0.113.25' };
const MX2 = { name: 'mx2.beta.example', address: '203.0.113.26' };
const MSA = { name: 'mail.alpha.example', address: '192.0.2.25' };

const MESSAGE =
  'From: alice@alpha.example\r\n' +
  'To: bob@beta.example\r\n' +
  'Subject: lunch?\r\n' +
  '\r\n' +
  'Noon at the usual place.\r\n' +
  '..and bring the map.\r\n' +
  '.\r\n';

/** One complete SMTP reply at the start of `s` (multi-line aware), if there is one. */
const REPLY = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3}(?: [^\r\n]*)?\r\n/;

interface Dialog {
  /** Every reply the client received, in order, as on the wire. */
  replies: string[];
  /** The server closed the connection. */
  closedByServer: boolean;
  error?: ConnectError;
  socket?: Socket;
}

/**
 * A lock-step client, like a person at a telnet prompt: after each complete reply it sends
 * the next step. With `hangUp`, it closes without QUIT once the steps run out.
 */
function converse(
  world: World,
  to: string,
  steps: string[],
  options: { port?: number; hangUp?: boolean } = {},
): Dialog {
  const dialog: Dialog = { replies: [], closedByServer: false };
  const queue = [...steps];
  let pending = '';
  world.net.connect(LAPTOP, to, options.port ?? 25, {
    onConnect(socket) {
      dialog.socket = socket;
      socket.on({
        onData(data) {
          pending += text(data);
          for (let m = REPLY.exec(pending); m; m = REPLY.exec(pending)) {
            dialog.replies.push(m[0]);
            pending = pending.slice(m[0].length);
            const next = queue.shift();
            if (next !== undefined) socket.write(next);
            else if (options.hangUp) socket.close();
          }
        },
        onClose() {
          dialog.closedByServer = true;
          socket.close();
        },
      });
    },
    onError(reason) {
      dialog.error = reason;
    },
  });
  world.settle();
  return dialog;
}

const queueIdOf = (reply: string | undefined) =>
  /queued as ([0-9A-F]+)\r\n$/.exec(reply ?? '')?.[1];

describe('World built from the default scenario', () => {
  it('has the hosts of DESIGN.md and their SMTP listeners', () => {
    const world = new World(builtInScenario('default'));
    expect(world.net.hostNames()).toEqual([
      'laptop.alpha.example',
      'mail.alpha.example',
      'ns.example',
      'mx1.beta.example',
      'mx2.beta.example',
    ]);
    for (const host of [MSA.name, MX1.name, MX2.name]) {
      expect(world.net.isListening(host, 25)).toBe(true);
    }
    expect(world.net.hostByName(MX1.name)?.address).toBe(MX1.address);
    expect(world.reverseName('192.0.2.10')).toBe(LAPTOP);
    expect(world.mailstore(MX1.name)?.users().sort()).toEqual(['bob', 'carol', 'postmaster']);
    expect(world.mailstore(MSA.name)?.users().sort()).toEqual(['alice', 'postmaster']);
  });

  it('delivers a message typed through a simulated socket to bob’s mailbox', () => {
    const world = new World(builtInScenario('default'));
    const dialog = converse(world, MX1.address, [
      'EHLO laptop.alpha.example\r\n',
      'MAIL FROM:<alice@alpha.example>\r\n',
      'RCPT TO:<bob@beta.example>\r\n',
      'DATA\r\n',
      MESSAGE,
      'QUIT\r\n',
    ]);

    const id = queueIdOf(dialog.replies[5]);
    expect(id).toMatch(/^[0-9A-F]{10}$/);
    expect(dialog.replies).toEqual([
      '220 mx1.beta.example ESMTP SMTP Lab\r\n',
      '250-mx1.beta.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n' +
        '250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n',
      '250 2.1.0 Ok\r\n',
      '250 2.1.5 Ok\r\n',
      '354 End data with <CR><LF>.<CR><LF>\r\n',
      `250 2.0.0 Ok: queued as ${id}\r\n`,
      '221 2.0.0 Bye\r\n',
    ]);
    expect(dialog.closedByServer).toBe(true);

    const box = world.mailstore(MX1.name)!.messages('bob');
    expect(box).toHaveLength(1);
    expect(box[0]).toMatchObject({
      queueId: id,
      from: 'alice@alpha.example',
      to: 'bob@beta.example',
    });
    expect(box[0]!.raw).toBe(
      'Return-Path: <alice@alpha.example>\r\n' +
        'Delivered-To: bob@beta.example\r\n' +
        'Received: from laptop.alpha.example (laptop.alpha.example [192.0.2.10])\r\n' +
        `\tby mx1.beta.example (SMTP Lab) with ESMTP id ${id}\r\n` +
        '\tfor <bob@beta.example>; Mon, 5 Jan 2026 09:00:00 +0000\r\n' +
        'From: alice@alpha.example\r\n' +
        'To: bob@beta.example\r\n' +
        'Subject: lunch?\r\n' +
        '\r\n' +
        'Noon at the usual place.\r\n' +
        '.and bring the map.\r\n',
    );
    expect(world.mailstore(MX1.name)!.messages('carol')).toEqual([]);
    expect(world.mta(MX1.name)!.entries()).toEqual([]);

    // The trace tells the same story.
    const accepted = world.trace.events.filter((e) => e.type === 'mail.accepted');
    expect(accepted).toEqual([
      expect.objectContaining({
        host: MX1.name,
        conn: 'c1',
        queueId: id,
        from: 'alice@alpha.example',
        to: ['bob@beta.example'],
      }),
    ]);
    expect(world.trace.events.filter((e) => e.type === 'mail.delivered')).toEqual([
      expect.objectContaining({
        host: MX1.name,
        queueId: id,
        user: 'bob',
        mailbox: '/var/mail/bob',
      }),
    ]);
    const smtp = world.trace.events.flatMap((e) =>
      e.type === 'smtp.command' ? [`C ${e.verb}`] : e.type === 'smtp.reply' ? [`S ${e.code}`] : [],
    );
    expect(smtp).toEqual([
      'S 220',
      'C EHLO',
      'S 250',
      'C MAIL',
      'S 250',
      'C RCPT',
      'S 250',
      'C DATA',
      'S 354',
      'S 250',
      'C QUIT',
      'S 221',
    ]);
    expect(world.trace.events.find((e) => e.type === 'smtp.data')).toMatchObject({ lines: 6 });
    // Both sides hang up: the server after 221, then the client.
    expect(world.trace.events.flatMap((e) => (e.type === 'net.close' ? [e.by] : []))).toEqual([
      MX1.name,
      LAPTOP,
    ]);
  });

  it('is deterministic: the same scenario and input give the same trace', () => {
    const run = () => {
      const world = new World(builtInScenario('default'));
      converse(world, MX1.address, [
        'HELO laptop.alpha.example\r\n',
        'MAIL FROM:<>\r\n',
        'RCPT TO:<postmaster>\r\n',
        'DATA\r\n',
        'Subject: bounce\r\n\r\nx\r\n.\r\n',
        'QUIT\r\n',
      ]);
      return JSON.stringify(world.trace.events);
    };
    expect(run()).toBe(run());
  });

  it('the seed decides the queue ids', () => {
    const idWith = (seed: number) => {
      const world = new World({ ...builtInScenario('default'), seed });
      const dialog = converse(world, MX1.address, [
        'EHLO a.example\r\n',
        'MAIL FROM:<>\r\n',
        'RCPT TO:<bob@beta.example>\r\n',
        'DATA\r\n',
        '.\r\n',
      ]);
      return queueIdOf(dialog.replies.at(-1));
    };
    expect(idWith(1)).toBe(idWith(1));
    expect(idWith(1)).not.toBe(idWith(2));
  });

  it('the bare <postmaster> is delivered to the postmaster mailbox, null sender and all', () => {
    const world = new World(builtInScenario('default'));
    converse(world, MX1.address, [
      'EHLO laptop.alpha.example\r\n',
      'MAIL FROM:<>\r\n',
      'RCPT TO:<postmaster>\r\n',
      'DATA\r\n',
      'Subject: hello\r\n\r\n.\r\n',
      'QUIT\r\n',
    ]);
    const [message] = world.mailstore(MX1.name)!.messages('postmaster');
    expect(message?.raw).toMatch(/^Return-Path: <>\r\nDelivered-To: postmaster\r\nReceived: /);
  });

  it('an unknown local user is refused with 550 5.1.1', () => {
    const world = new World(builtInScenario('default'));
    const dialog = converse(world, MX1.address, [
      'EHLO laptop.alpha.example\r\n',
      'MAIL FROM:<alice@alpha.example>\r\n',
      'RCPT TO:<dave@beta.example>\r\n',
      'QUIT\r\n',
    ]);
    expect(dialog.replies[3]).toBe(
      '550 5.1.1 <dave@beta.example>: Recipient address rejected: User unknown in local recipient table\r\n',
    );
  });

  it('mail.alpha.example does not relay to beta.example: 554 5.7.1', () => {
    const world = new World(builtInScenario('default'));
    const dialog = converse(world, MSA.address, [
      'EHLO laptop.alpha.example\r\n',
      'MAIL FROM:<alice@alpha.example>\r\n',
      'RCPT TO:<bob@beta.example>\r\n',
      'QUIT\r\n',
    ]);
    expect(dialog.replies[3]).toBe('554 5.7.1 <bob@beta.example>: Relay access denied\r\n');
  });

  it('the backup MX accepts mail for beta.example and relays it to the primary', () => {
    const world = new World(builtInScenario('default'));
    const dialog = converse(world, MX2.address, [
      'EHLO laptop.alpha.example\r\n',
      'MAIL FROM:<alice@alpha.example>\r\n',
      'RCPT TO:<bob@beta.example>\r\n',
      'DATA\r\n',
      'Subject: via backup\r\n\r\n.\r\n',
      'QUIT\r\n',
    ]);
    const id = queueIdOf(dialog.replies[5]);
    world.settle();
    expect(world.mta(MX2.name)!.entries()).toEqual([]);
    const [message] = world.mailstore(MX1.name)!.messages('bob');
    // Two hops, newest on top: mx1 received it from mx2, which received it from the laptop.
    expect(message!.raw.match(/^Received: from \S+/gm)).toEqual([
      'Received: from mx2.beta.example',
      'Received: from laptop.alpha.example',
    ]);
    expect(message!.raw).toContain(`by mx2.beta.example (SMTP Lab) with ESMTP id ${id}`);
  });

  it('a client that hangs up without QUIT: the server closes its side too', () => {
    const world = new World(builtInScenario('default'));
    const dialog = converse(world, MX1.address, ['EHLO laptop.alpha.example\r\n'], {
      hangUp: true,
    });
    expect(dialog.replies).toHaveLength(2);
    expect(world.trace.events.flatMap((e) => (e.type === 'net.close' ? [e.by] : []))).toEqual([
      LAPTOP,
      MX1.name,
    ]);
  });

  it('a port nobody listens on is refused', () => {
    const world = new World(builtInScenario('default'));
    expect(converse(world, MX1.address, [], { port: 587 }).error).toBe('port-closed');
  });

  it('advance() moves virtual time and the Received: date with it', () => {
    const world = new World(builtInScenario('default'));
    world.advance(90 * 60_000);
    converse(world, MX1.address, [
      'EHLO laptop.alpha.example\r\n',
      'MAIL FROM:<alice@alpha.example>\r\n',
      'RCPT TO:<bob@beta.example>\r\n',
      'DATA\r\n',
      '.\r\n',
    ]);
    expect(world.mailstore(MX1.name)!.messages('bob')[0]?.raw).toContain(
      '; Mon, 5 Jan 2026 10:30:00 +0000\r\n',
    );
  });
});
