/**
 * The protocol floor under world.e2e: the two SMTP conversations every delivery needs —
 * submission (EHLO, STARTTLS, EHLO again, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) and the relay
 * to the MX (EHLO, STARTTLS, EHLO, MAIL, RCPT, DATA, QUIT) — with the engine's client and
 * server sessions wired back to back: no network, DNS, queue, mailbox, log or trace. No
 * end-to-end figure can exceed this one, so it tells how much of world.e2e's cost is the
 * protocol itself and how much the world around it.
 */
import { utf8 } from '../../src/engine/bytes';
import { ClientSession, type ClientEvent, type ClientJob } from '../../src/engine/smtp/client';
import {
  ServerSession,
  type ServerContext,
  type ServerEvent,
  type ServerPolicy,
} from '../../src/engine/smtp/server';
import { type Benchmark, measureRate, spread } from './harness';

const MESSAGE =
  'From: alice@alpha.example\r\nTo: bob@beta.example\r\nSubject: message\r\n' +
  'Date: Mon, 5 Jan 2026 09:00:00 +0000\r\nMessage-ID: <1@laptop.alpha.example>\r\n\r\n' +
  'Hello Bob,\r\n\r\nthis is one of many.\r\n';

const SUBMISSION: ServerPolicy = {
  hostname: 'mail.alpha.example',
  banner: 'ESMTP SMTP Lab',
  maxMessageSize: 10_240_000,
  maxRecipients: 100,
  tls: 'may',
  auth: { mechanisms: ['PLAIN', 'LOGIN'], required: true, tlsOnly: false },
};
const MX: ServerPolicy = { ...SUBMISSION, hostname: 'mx1.beta.example', auth: undefined };

let issued = 0;
class Context implements ServerContext {
  readonly client = { address: '192.0.2.10', name: 'laptop.alpha.example' };
  constructor(readonly policy: ServerPolicy) {}
  checkRecipient(): undefined {
    return undefined;
  }
  checkCredentials(user: string, password: string): boolean {
    return user === 'alice' && password === 'wonderland';
  }
  queueId(): string {
    return (++issued).toString(16).toUpperCase().padStart(10, '0');
  }
  date(): string {
    return 'Mon, 5 Jan 2026 09:00:00 +0000';
  }
}

const JOBS: [ServerPolicy, ClientJob][] = [
  [
    SUBMISSION,
    {
      helo: 'laptop.alpha.example',
      from: { local: 'alice', domain: 'alpha.example' },
      recipients: [{ local: 'bob', domain: 'beta.example' }],
      content: MESSAGE,
      options: {
        starttls: 'required',
        auth: { mechanism: 'PLAIN', username: 'alice', password: 'wonderland' },
      },
    },
  ],
  [
    MX,
    {
      helo: 'mail.alpha.example',
      from: { local: 'alice', domain: 'alpha.example' },
      recipients: [{ local: 'bob', domain: 'beta.example' }],
      content: MESSAGE,
      options: { starttls: 'opportunistic' },
    },
  ],
];

/** One conversation; returns whether the server took the message. */
function converse(policy: ServerPolicy, job: ClientJob): boolean {
  const server = new ServerSession(new Context(policy));
  const client = new ClientSession(job);
  let accepted = false;
  let toClient: Uint8Array[] = [];
  let toServer: Uint8Array[] = [];
  const fromServer = (events: ServerEvent[]) => {
    for (const e of events) {
      if (e.type === 'reply') toClient.push(utf8(e.wire));
      else if (e.type === 'message') accepted = true;
      else if (e.type === 'starttls') fromServer(server.tlsEstablished());
    }
  };
  const fromClient = (events: ClientEvent[]) => {
    for (const e of events) {
      if (e.type === 'send') toServer.push(e.data);
      else if (e.type === 'starttls') fromClient(client.tlsEstablished());
    }
  };
  fromServer(server.start());
  while (toClient.length > 0 || toServer.length > 0) {
    const replies = toClient;
    toClient = [];
    for (const chunk of replies) fromClient(client.receive(chunk));
    const commands = toServer;
    toServer = [];
    for (const chunk of commands) fromServer(server.receive(chunk));
  }
  return accepted;
}

function delivery(): void {
  for (const [policy, job] of JOBS) {
    if (!converse(policy, job)) throw new Error(`${policy.hostname} did not take the message`);
  }
}

export const protocolFloor: Benchmark = {
  name: 'world.floor',
  description: 'the two SMTP conversations of one delivery, client and server back to back',
  async run() {
    delivery(); // fail fast
    const rate = measureRate(delivery, { warmupMs: 600, rounds: 5, roundMs: 400 });
    return [
      {
        name: 'world.floor.dps',
        value: rate.median,
        unit: 'deliveries/s',
        note: `ceiling for world.e2e.dps: protocol sessions only, nothing else; ${spread(rate)}`,
      },
    ];
  },
};
