/**
 * Size limits of RFC 5321 §4.5.3.1. These are the *minimum* sizes every implementation
 * must accept; a server may accept more, but a client may not rely on it.
 */

/** §4.5.3.1.4: a command line, including the verb and the final CRLF, is 512 octets. */
export const MAX_COMMAND_LINE = 512;
/** §4.5.3.1.6: a line of message text, including the CRLF, is 1000 octets. */
export const MAX_TEXT_LINE = 1000;
/** §4.5.3.1.5: a reply line, including the code and CRLF, is 512 octets. */
export const MAX_REPLY_LINE = 512;
/** §4.5.3.1.1: a local part is at most 64 octets. */
export const MAX_LOCAL_PART = 64;
/** §4.5.3.1.2: a domain is at most 255 octets. */
export const MAX_DOMAIN = 255;
/** §4.5.3.1.3: a path, including the angle brackets, is at most 256 octets. */
export const MAX_PATH = 256;
/** §4.5.3.1.8: a server must buffer at least 100 recipients per transaction. */
export const MIN_RECIPIENTS = 100;
/**
 * A client that keeps making errors is probably not a mail client. Postfix hangs up after
 * 20 (smtpd_hard_error_limit); RFC 5321 §4.3.2 allows 421 and close at any point.
 */
export const HARD_ERROR_LIMIT = 20;
