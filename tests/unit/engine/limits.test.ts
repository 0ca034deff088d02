/** The numbers of RFC 5321 §4.5.3.1, and the hard error limit. */
import { describe, expect, it } from 'vitest';
import * as limits from '../../../src/engine/smtp/limits';
import { DEFAULT_POLICY } from '../../../src/engine/smtp/server';

describe('limits', () => {
  it.each<[keyof typeof limits, number, string]>([
    ['MAX_LOCAL_PART', 64, '§4.5.3.1.1 local-part'],
    ['MAX_DOMAIN', 255, '§4.5.3.1.2 domain'],
    ['MAX_PATH', 256, '§4.5.3.1.3 path'],
    ['MAX_COMMAND_LINE', 512, '§4.5.3.1.4 command line'],
    ['MAX_REPLY_LINE', 512, '§4.5.3.1.5 reply line'],
    ['MAX_TEXT_LINE', 1000, '§4.5.3.1.6 text line'],
    ['MIN_RECIPIENTS', 100, '§4.5.3.1.8 recipients buffer'],
    ['HARD_ERROR_LIMIT', 20, "Postfix's smtpd_hard_error_limit"],
  ])('%s = %i (%s)', (name, value) => {
    expect(limits[name]).toBe(value);
  });

  it('the default server policy buffers at least the RFC minimum of recipients', () => {
    expect(DEFAULT_POLICY.maxRecipients).toBeGreaterThanOrEqual(limits.MIN_RECIPIENTS);
  });
});
