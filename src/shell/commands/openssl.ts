/** `openssl`: its manual page and where it is installed; the program is in openssl-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

export const opensslCommand: CommandSpec = {
  name: 'openssl',
  summary: 'OpenSSL command line tool: s_client, a TLS client for SMTP by hand',
  completes: 'hosts',
  man: {
    synopsis: [
      'openssl s_client -connect HOST:PORT -starttls smtp [-crlf] [-quiet] [-brief]',
      'openssl s_client -connect HOST:465 [-crlf] [-quiet]',
      'openssl version',
    ],
    description: [
      'openssl s_client opens a TLS connection and then connects it to the terminal, like telnet over TLS. With -starttls smtp it speaks SMTP first, as a mail client does (it reads the greeting, says EHLO mail.example.com, sends STARTTLS and waits for 220), then negotiates TLS; without it, TLS starts at once, as on the implicit-TLS port 465 (RFC 8314).',
      'Then it prints the server’s certificate (subject CN = the host, issued by the lab’s CA), the verification result and the session (TLSv1.3, TLS_AES_256_GCM_SHA384). After -starttls smtp the server waits for a new EHLO: what was said before TLS no longer counts (RFC 3207 §4.2). The lab simulates TLS: nothing is really encrypted, but the server knows the session is secure (the trace shows tls.handshake, and Received: says ESMTPS).',
      'Careful: like the real s_client, a typed line that starts with a capital Q quits (DONE) and one that starts with a capital R asks for renegotiation, which TLS 1.3 refuses — the connection ends. So type "rcpt to:<…>" and "quit" in lower case, or start s_client with -quiet (or -ign_eof). Lines end in LF; add -crlf to send CRLF, as SMTP requires inside DATA.',
    ],
    options: [
      [
        '-connect HOST:PORT',
        'where to connect (PORT may be a number or smtp, submission, submissions)',
      ],
      ['-starttls smtp', 'do the SMTP STARTTLS dance before the TLS handshake'],
      ['-crlf', 'send each typed line ended by CR LF'],
      ['-quiet', 'no certificate or session output; implies -ign_eof'],
      ['-brief', 'a short summary of the session only; implies -quiet'],
      ['-ign_eof', 'do not quit at end of input, and no Q/R/K command letters'],
      ['-showcerts', 'show the certificates of the chain as sent, in PEM'],
      ['-name NAME', 'the name to say in EHLO (default mail.example.com)'],
    ],
    examples: [
      [
        'openssl s_client -connect mail.alpha.example:587 -starttls smtp -crlf',
        'Submission over STARTTLS, then EHLO and AUTH by hand.',
      ],
      [
        'openssl s_client -connect mail.alpha.example:465 -crlf -quiet',
        'Implicit TLS: the greeting comes after the handshake.',
      ],
      [
        'openssl s_client -connect mx1.beta.example:25 -starttls smtp -brief',
        'Just check that STARTTLS works.',
      ],
    ],
    seeAlso: ['telnet(1)', 'nc(1)', 'swaks(1)', 'base64(1)'],
  },
  // The implementation loads on first use: it stays out of the page's first bundle.
  run: lazyRun(() => import('./openssl-program').then((m) => m.run)),
};
