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
/**
 * RFC 4954 §4: SASL responses after a 334 challenge are not commands, and a server must
 * take response lines of up to 12288 octets (a command line stays at 512).
 */
export const MAX_SASL_LINE = 12_288;
/**
 * Loop detection by counting `Received:` headers (RFC 5321 §6.3). The RFC suggests a large
 * threshold (at least 100); Postfix's hopcount_limit is 50, which we follow as the default.
 */
export const DEFAULT_MAX_HOPS = 50;
/** RFC 3461 §4.4: an ENVID (as xtext) is at most 100 characters. */
export const MAX_ENVID = 100;
/** RFC 3461 §4.2: an ORCPT value (addr-type ";" xtext) is at most 500 characters. */
export const MAX_ORCPT = 500;
