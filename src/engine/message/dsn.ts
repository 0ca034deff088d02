/**
 * Delivery status notifications (RFC 3464) in a multipart/report (RFC 6522): a part for
 * people, a message/delivery-status part for programs, and the original message (or only
 * its headers, per RET, RFC 3461 §4.3). Sent from the null reverse path so that a bounce
 * can never cause another bounce (RFC 5321 §4.5.5, §6.2).
 */
export interface DsnRecipient {
  /** The address as the reporting MTA saw it. */
  finalRecipient: string;
  /** RFC 3461 ORCPT, when the sender gave one. */
  originalRecipient?: string;
  action: 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';
  /** RFC 3463 status, e.g. "5.1.1". */
  status: string;
  /** The remote server that answered, if one did. */
  remoteMta?: string;
  /** What the remote server said ("smtp; 550 5.1.1 …"), if it said anything. */
  diagnostic?: string;
  /** The MTA's own account for people ("host … said: …"), shown in the first part. */
  reason?: string;
  lastAttempt?: string;
  /** For 'delayed': until when the MTA keeps trying. */
  willRetryUntil?: string;
}

export interface DsnReport {
  reportingMta: string;
  /** The queue id of the original message at the reporting MTA. */
  queueId: string;
  arrivalDate: string;
  /** RFC 3461 ENVID, echoed back. */
  envid?: string;
  recipients: DsnRecipient[];
  original: string;
  /** RFC 3461 §4.3: HDRS returns only the header. */
  ret: 'FULL' | 'HDRS';
  /** Envelope sender of the original: the DSN's recipient. */
  to: string;
  date: string;
  messageId: string;
  boundary: string;
}

export function buildDsn(r: DsnReport): string {
  const failed = r.recipients.some((x) => x.action === 'failed');
  const subject = failed
    ? 'Undelivered Mail Returned to Sender'
    : r.recipients.some((x) => x.action === 'delayed')
      ? 'Delayed Mail (still being retried)'
      : 'Successful Mail Delivery Report';
  const b = r.boundary;
  const human = humanPart(r, failed);
  const perMessage = [
    `Reporting-MTA: dns; ${r.reportingMta}`,
    `X-Postfix-Queue-ID: ${r.queueId}`,
    ...(r.envid ? [`Original-Envelope-Id: ${r.envid}`] : []),
    `Arrival-Date: ${r.arrivalDate}`,
  ];
  const perRecipient = r.recipients.map((x) =>
    [
      ...(x.originalRecipient ? [`Original-Recipient: ${x.originalRecipient}`] : []),
      `Final-Recipient: rfc822; ${x.finalRecipient}`,
      `Action: ${x.action}`,
      `Status: ${x.status}`,
      ...(x.remoteMta ? [`Remote-MTA: dns; ${x.remoteMta}`] : []),
      ...(x.diagnostic ? [`Diagnostic-Code: ${x.diagnostic}`] : []),
      ...(x.lastAttempt ? [`Last-Attempt-Date: ${x.lastAttempt}`] : []),
      ...(x.willRetryUntil ? [`Will-Retry-Until: ${x.willRetryUntil}`] : []),
    ].join('\r\n'),
  );
  const original = r.original.replace(/\r?\n/g, '\r\n');
  const returned =
    r.ret === 'HDRS'
      ? `Content-Type: text/rfc822-headers\r\n\r\n${original.split('\r\n\r\n')[0]}\r\n`
      : `Content-Type: message/rfc822\r\n\r\n${original}`;
  return [
    `Date: ${r.date}`,
    `From: MAILER-DAEMON@${r.reportingMta} (Mail Delivery System)`,
    `To: ${r.to}`,
    `Subject: ${subject}`,
    `Message-ID: <${r.messageId}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${b}"`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${b}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    human,
    `--${b}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    [perMessage.join('\r\n'), ...perRecipient].join('\r\n\r\n'),
    '',
    `--${b}`,
    `Content-Description: ${r.ret === 'HDRS' ? 'Undelivered Message Headers' : 'Undelivered Message'}`,
    returned.replace(/\r\n$/, ''),
    '',
    `--${b}--`,
    '',
  ].join('\r\n');
}

function humanPart(r: DsnReport, failed: boolean): string {
  const lines = [
    `This is the mail system at host ${r.reportingMta}.`,
    '',
    failed
      ? "I'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients. It's attached below."
      : 'Your message could not be delivered yet; the mail system will\r\nkeep trying. You do not need to send it again.',
    '',
    'For further assistance, please send mail to postmaster.',
    '',
    '                   The mail system',
    '',
  ];
  for (const x of r.recipients) {
    // Postfix's wording for people: "host mx1…[…] said: 550 … (in reply to RCPT TO command)".
    lines.push(`<${x.finalRecipient}>: ${x.reason || x.diagnostic || x.status}`);
  }
  return lines.join('\r\n') + '\r\n';
}
