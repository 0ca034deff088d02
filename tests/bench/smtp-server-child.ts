/**
 * The `smtp-server` npm package in a process of its own, so the client that loads it does
 * not share its event loop or CPU time. Forked by smtp-server.ts; talks over IPC:
 * it sends `{ type: 'listening', port }`, answers `stats` with `{ type: 'stats', … }`
 * and exits on `close`.
 */
import { SMTPServer } from 'smtp-server';

export interface ServerStats {
  type: 'stats';
  messages: number;
  octets: number;
  /** process.cpuUsage() of this process, in microseconds. */
  cpu: { user: number; system: number };
}

export type ChildMessage = { type: 'listening'; port: number } | ServerStats;
export type ParentMessage = { type: 'stats' } | { type: 'close' };

function main(): void {
  const send = (message: ChildMessage) => process.send?.(message);
  let messages = 0;
  let octets = 0;

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', (chunk: Buffer) => void (octets += chunk.length));
      stream.on('end', () => {
        messages++;
        callback();
      });
    },
  });
  server.on('error', (error) => {
    console.error('smtp-server error:', error);
    process.exit(1);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    send({ type: 'listening', port: address.port });
  });

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats')
      send({ type: 'stats', messages, octets, cpu: process.cpuUsage() });
    else if (message.type === 'close') server.close(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0)); // the parent went away
}

if (process.send) main();
