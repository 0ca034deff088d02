import { useEffect, useState } from 'react';
import type { Email } from 'postal-mime';
import type { StoredMessage } from '../../engine/agents/mailstore';
import { explainField, parseDeliveryStatus, type DsnFields } from '../model/dsn';
import { explainHop, receivedChain } from '../model/received';
import { download, fileName } from '../export/exports';
import type { ReceivedEnvelope } from './envelope';
import { sanitizedSrcdoc } from './sanitize';

type Tab = 'overview' | 'body' | 'dsn' | 'raw';

interface Parsed {
  email: Email;
  dsn?: DsnFields;
}

/** MIME is parsed by postal-mime, fetched the first time a message is opened. */
async function parse(raw: string): Promise<Parsed> {
  const { default: PostalMime } = await import('postal-mime');
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const report = email.attachments.find((a) => a.mimeType === 'message/delivery-status');
  if (!report) return { email };
  const text =
    typeof report.content === 'string'
      ? report.content
      : new TextDecoder().decode(
          report.content instanceof ArrayBuffer ? new Uint8Array(report.content) : report.content,
        );
  return { email, dsn: parseDeliveryStatus(text) };
}

/**
 * One message: its envelope as received, the headers with the Received: chain explained
 * hop by hop (bottom-up), the body (plain text by default; HTML only sanitised in a
 * sandboxed iframe), a bounce's delivery-status fields explained, and the raw source.
 */
export default function MessageInspector({
  message,
  host,
  envelope,
  onClose,
}: {
  message: StoredMessage;
  host: string;
  envelope: ReceivedEnvelope | undefined;
  onClose: () => void;
}) {
  const [result, setResult] = useState<{ raw: string; parsed?: Parsed; error?: string }>();
  const parsed = result?.raw === message.raw ? result.parsed : undefined;
  const error = result?.raw === message.raw ? result.error : undefined;
  const [tab, setTab] = useState<Tab>('overview');
  const raw = message.raw;
  const header = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const chain = receivedChain(header);

  useEffect(() => {
    let cancelled = false;
    parse(raw).then(
      (p) => {
        if (cancelled) return;
        setResult({ raw, parsed: p });
        if (p.dsn) setTab('dsn');
      },
      (e: unknown) => {
        if (!cancelled) setResult({ raw, error: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [raw]);

  const tabs: [Tab, string][] = [
    ['overview', 'Envelope and headers'],
    ['body', 'Body'],
    ...(parsed?.dsn ? ([['dsn', 'Delivery status']] as [Tab, string][]) : []),
    ['raw', 'Raw source'],
  ];

  return (
    <article className="message-view" aria-label="Message inspector" data-testid="inspector">
      <header>
        <strong className="subject">{parsed?.email.subject ?? '…'}</strong>
        <span className="muted">
          {' '}
          in {message.to}'s mailbox on {host}, queue id <code>{message.queueId}</code>
        </span>
        <button
          type="button"
          onClick={() =>
            download(fileName(message.to, message.queueId) + '.eml', raw, 'message/rfc822')
          }
          title="Download the message exactly as stored (RFC 5322), to open in a mail client"
          data-testid="inspector-eml"
        >
          Save .eml
        </button>
        <button type="button" onClick={onClose} aria-label="Close the message">
          Close
        </button>
      </header>
      <div className="tabbar small" role="tablist" aria-label="Parts of the message">
        {tabs.map(([id, title]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'active' : ''}
            onClick={() => setTab(id)}
            data-testid={`inspector-tab-${id}`}
          >
            {title}
          </button>
        ))}
      </div>
      {error && <p className="error">The message could not be parsed: {error}</p>}
      <div className="inspector-body" role="tabpanel" tabIndex={0} aria-label="Message part">
        {tab === 'overview' && (
          <Overview message={message} envelope={envelope} chain={chain} parsed={parsed} />
        )}
        {tab === 'body' && <Body parsed={parsed} />}
        {tab === 'dsn' && parsed?.dsn && <DeliveryStatus dsn={parsed.dsn} />}
        {tab === 'raw' && <pre className="raw">{raw.replace(/\r\n/g, '\n')}</pre>}
      </div>
    </article>
  );
}

function Overview({
  message,
  envelope,
  chain,
  parsed,
}: {
  message: StoredMessage;
  envelope: ReceivedEnvelope | undefined;
  chain: ReturnType<typeof receivedChain>;
  parsed: Parsed | undefined;
}) {
  return (
    <>
      <section aria-label="Envelope">
        <h3>Envelope</h3>
        <p className="muted">
          What the sending server said in SMTP, separate from the From:/To: headers (which it may
          not even read).
        </p>
        {envelope?.mailFrom ? (
          <dl className="envelope">
            <dt>received from</dt>
            <dd>
              {envelope.client ?? '?'} → {envelope.server} (session {envelope.conn})
            </dd>
            <dt>sender</dt>
            <dd>
              <code>{envelope.mailFrom}</code>
            </dd>
            <dt>recipients</dt>
            <dd>
              {envelope.rcptTo.map((r, i) => (
                <code key={i} className="block">
                  {r}
                </code>
              ))}
            </dd>
          </dl>
        ) : (
          <p>
            Created on this server, not received over SMTP
            {message.from === ''
              ? ': a bounce, sent from the null reverse path <> so that it can never bounce in turn (RFC 5321 §4.5.5)'
              : ''}
            .
          </p>
        )}
        <dl className="envelope">
          <dt>Return-Path</dt>
          <dd>
            <code>&lt;{message.from}&gt;</code> (the envelope sender, added at delivery)
          </dd>
          <dt>Delivered-To</dt>
          <dd>
            <code>{message.to}</code>
          </dd>
        </dl>
      </section>
      <section aria-label="Received chain">
        <h3>Received: chain, hop by hop</h3>
        <p className="muted">
          Each server adds its Received: line on top, so the first hop is the bottom one.
        </p>
        {chain.length === 0 ? (
          <p>No Received: lines (the message never crossed a server).</p>
        ) : (
          <ol className="received-chain">
            {chain.map((h) => (
              <li key={h.hop} data-testid="received-hop">
                <strong>
                  Hop {h.hop}
                  {h.hop === 1 ? ' (oldest, bottom line)' : ''}
                  {h.hop === chain.length ? ' (newest, top line)' : ''}
                </strong>
                <code className="block">Received: {h.raw}</code>
                <ul>
                  {explainHop(h).map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )}
      </section>
      {parsed && (
        <section aria-label="Headers">
          <h3>Headers</h3>
          <table className="headers">
            <tbody>
              {parsed.email.headers.map((h, i) => (
                <tr key={i}>
                  <th scope="row">{h.originalKey}</th>
                  <td>{h.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function Body({ parsed }: { parsed: Parsed | undefined }) {
  const [html, setHtml] = useState(false);
  const [safe, setSafe] = useState<{ srcdoc: string; blocked: number; source: string }>();
  const source = parsed?.email.html;
  useEffect(() => {
    let cancelled = false;
    if (html && source) {
      sanitizedSrcdoc(source).then((doc) => {
        if (!cancelled) setSafe({ ...doc, source });
      });
    }
    return () => {
      cancelled = true;
    };
  }, [html, source]);
  const current = safe && safe.source === source ? safe : undefined;
  const srcdoc = current?.srcdoc;
  const blocked = current?.blocked ?? 0;
  if (!parsed) return <p className="muted">Reading the message…</p>;
  const { email } = parsed;
  return (
    <section aria-label="Body">
      {source && (
        <label className="html-toggle">
          <input
            type="checkbox"
            checked={html}
            onChange={(e) => setHtml(e.target.checked)}
            data-testid="show-html"
          />{' '}
          Show the HTML part (cleaned by DOMPurify, in a sandbox: no scripts, no remote images)
        </label>
      )}
      {html && source ? (
        srcdoc ? (
          <>
            {blocked > 0 && (
              <p className="muted" data-testid="blocked-note">
                {blocked} reference{blocked === 1 ? '' : 's'} to remote content (images,
                backgrounds) removed: opening a message must not tell the sender you read it.
              </p>
            )}
            <iframe
              className="html-body"
              title="HTML part of the message (sandboxed)"
              sandbox=""
              srcDoc={srcdoc}
              referrerPolicy="no-referrer"
              data-testid="html-frame"
            />
          </>
        ) : (
          <p className="muted">Cleaning the HTML…</p>
        )
      ) : email.text !== undefined ? (
        <pre className="text-body" data-testid="text-body">
          {email.text}
        </pre>
      ) : (
        <p className="muted">
          This message has no plain-text part
          {source ? '; tick the box above to see its HTML safely' : ''}.
        </p>
      )}
      {email.attachments.length > 0 && (
        <ul className="attachments" aria-label="Other parts">
          {email.attachments.map((a, i) => (
            <li key={i}>
              {a.mimeType}
              {a.filename ? ` (${a.filename})` : ''}
              {a.description ? `: ${a.description}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DeliveryStatus({ dsn }: { dsn: DsnFields }) {
  const group = (fields: [string, string][], title: string, key: number) => (
    <section key={key} aria-label={title}>
      <h4>{title}</h4>
      <dl className="dsn-fields">
        {fields.map(([name, value], i) => (
          <div key={i} className={`dsn-field field-${name.toLowerCase()}`}>
            <dt>
              <code>
                {name}: {value}
              </code>
            </dt>
            <dd>{explainField(name, value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
  return (
    <div className="dsn" data-testid="dsn">
      <p>
        This is a delivery status notification (RFC 3464): a report from a mail server about a
        message it could not deliver (or could not deliver yet).
      </p>
      {group(dsn.message, 'About the message', 0)}
      {dsn.recipients.map((r, i) => group(r, `Recipient ${i + 1}`, i + 1))}
    </div>
  );
}
