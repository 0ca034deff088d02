import { useState } from 'react';
import { useLab, useTrace } from '../../store/labStore';
import type { StoredMessage } from '../../engine/agents/mailstore';

/** Every mailbox in the world, with its messages; click one to read it. */
export function MailboxPanel() {
  const lab = useLab((s) => s.lab);
  useTrace(); // re-render when deliveries happen
  const [open, setOpen] = useState<StoredMessage>();
  const boxes = lab.world.scenario.hosts.flatMap((host) => {
    const store = lab.world.mailstore(host.name);
    return (store?.users() ?? []).map((user) => ({
      host: host.name,
      user,
      messages: store!.messages(user),
    }));
  });

  return (
    <div className="mailboxes">
      <ul className="mailbox-list">
        {boxes.map((box) => (
          <li key={`${box.host}/${box.user}`} data-testid={`mailbox-${box.user}@${box.host}`}>
            <div className="mailbox-name">
              <strong>{box.user}</strong>@{box.host.split('.')[0]}{' '}
              <span className="count">
                {box.messages.length} message{box.messages.length === 1 ? '' : 's'}
              </span>
            </div>
            <ul className="messages">
              {box.messages.map((m, i) => (
                <li key={m.queueId + i}>
                  <button type="button" className="message" onClick={() => setOpen(m)}>
                    <span className="subject">{header(m.raw, 'Subject') || '(no subject)'}</span>
                    <span className="from">from {header(m.raw, 'From') || m.from || '<>'}</span>
                  </button>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {open && (
        <article className="message-view" aria-label="Message source">
          <header>
            <span>
              Queue id <code>{open.queueId}</code>, envelope from <code>&lt;{open.from}&gt;</code>{' '}
              to <code>&lt;{open.to}&gt;</code>
            </span>
            <button type="button" onClick={() => setOpen(undefined)}>
              Close
            </button>
          </header>
          <pre>{open.raw.replace(/\r\n/g, '\n')}</pre>
        </article>
      )}
    </div>
  );
}

/** The first value of a header field (unfolded), for the list view. */
function header(raw: string, name: string): string {
  const head = raw.split(/\r\n\r\n/)[0] ?? '';
  const unfolded = head.replace(/\r\n[ \t]+/g, ' ');
  const line = unfolded
    .split('\r\n')
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}
