/**
 * The `Received:` trace header a server prepends to every message it accepts
 * (RFC 5321 §4.4): who connected (EHLO name, reverse name and address literal), who
 * received it, with which protocol (RFC 3848: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA), the
 * queue id, the recipient when there is only one, and the date.
 */
export interface ReceivedFields {
  helo: string;
  clientName?: string;
  clientAddress: string;
  by: string;
  protocol: string;
  id: string;
  recipients: string[];
  date: string;
}

export function receivedHeader(f: ReceivedFields): string {
  const forClause = f.recipients.length === 1 ? `\r\n\tfor <${f.recipients[0]}>` : '';
  return (
    `Received: from ${f.helo} (${f.clientName ?? 'unknown'} [${f.clientAddress}])\r\n` +
    `\tby ${f.by} (SMTP Lab) with ${f.protocol} id ${f.id}${forClause}; ${f.date}\r\n`
  );
}
