/**
 * A 1,000-message lab document for the browser benchmark: alice submits through
 * mail.alpha.example (port 587, AUTH PLAIN) one message every 200 ms of virtual time, and
 * each is relayed to mx1.beta.example and delivered to bob.
 */
import { DOC_FORMAT, type LabDoc } from '../../src/store/doc';

export const STORM_MESSAGES = 1000;
export const STORM_INTERVAL_MS = 200;
const LAPTOP = 'laptop.alpha.example';

export function stormDoc(messages = STORM_MESSAGES, interval = STORM_INTERVAL_MS): LabDoc {
  const inputs = [
    { t: 0, host: LAPTOP, data: '' },
    { t: 0, host: LAPTOP, data: 'telnet mail.alpha.example 587\r' },
    { t: 500, host: LAPTOP, data: 'EHLO laptop.alpha.example\r' },
    // "\0alice\0wonderland" in base64
    { t: 1000, host: LAPTOP, data: 'AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r' },
  ];
  for (let i = 0; i < messages; i++) {
    inputs.push({
      t: 1500 + i * interval,
      host: LAPTOP,
      data:
        'MAIL FROM:<alice@alpha.example>\rRCPT TO:<bob@beta.example>\rDATA\r' +
        `Subject: storm ${i + 1}\r\rMessage ${i + 1} of ${messages}.\r.\r`,
    });
  }
  return { format: DOC_FORMAT, scenario: 'default', inputs };
}

/** Virtual time by which every message has been delivered, with a margin. */
export function stormEnd(messages = STORM_MESSAGES, interval = STORM_INTERVAL_MS): number {
  return 1500 + messages * interval + 10_000;
}
