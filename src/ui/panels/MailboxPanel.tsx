import { lazy, Suspense, useEffect, useState } from 'react';
import type { StoredMessage } from '../../engine/agents/mailstore';
import { useLab } from '../../store/labStore';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { VirtualList } from '../components/VirtualList';
import { useThrottledVersion } from '../hooks';
import { envelopeOf } from '../inspector/envelope';
import { clockTime } from '../model/time';
import { traceIndex } from '../model/traceIndex';

const MessageInspector = lazy(() => import('../inspector/MessageInspector'));

interface Box {
  host: string;
  user: string;
  messages: readonly StoredMessage[];
}

const summaries = new WeakMap<StoredMessage, { subject: string; from: string; bounce: boolean }>();

/** Subject and From of a stored message, for its row (computed once per message). */
function summary(m: StoredMessage) {
  let s = summaries.get(m);
  if (!s) {
    const head = (m.raw.split(/\r\n\r\n/)[0] ?? '').replace(/\r\n[ \t]+/g, ' ').split('\r\n');
    const field = (name: string) => {
      const line = head.find((l) => l.toLowerCase().startsWith(`${name}:`));
      return line ? line.slice(name.length + 1).trim() : '';
    };
    const bounce = m.from === '' && /multipart\/report/i.test(field('content-type'));
    s = { subject: field('subject'), from: field('from'), bounce };
    summaries.set(m, s);
  }
  return s;
}

/** Every user's mailbox; the messages of the chosen one; a message opens the inspector. */
export default function MailboxPanel() {
  const runtime = useLab((s) => s.runtime);
  useThrottledVersion(250);
  const world = runtime.lab.world;
  const [chosen, setChosen] = useState<string>();
  const [open, setOpen] = useState<{ box: string; index: number }>();

  useEffect(() => {
    const listener = (e: Event) => setChosen((e as CustomEvent<string>).detail);
    window.addEventListener('smtp-lab:open-mailbox', listener);
    return () => window.removeEventListener('smtp-lab:open-mailbox', listener);
  }, []);

  const boxes: Box[] = runtime.scenario.hosts.flatMap((host) => {
    const store = world.mailstore(host.name);
    return (store?.users() ?? []).map((user) => ({
      host: host.name,
      user,
      messages: store!.messages(user),
    }));
  });
  const key = (b: Box) => `${b.user}@${b.host}`;
  // Without a choice, show the mailbox that received mail last.
  let latest: Box | undefined;
  let latestAt = -1;
  for (const b of boxes) {
    const last = b.messages[b.messages.length - 1];
    if (last && last.deliveredAt >= latestAt) {
      latest = b;
      latestAt = last.deliveredAt;
    }
  }
  const current = boxes.find((b) => key(b) === chosen) ?? latest;
  const message =
    open && current && key(current) === open.box ? current.messages[open.index] : undefined;
  const index = traceIndex(world);

  return (
    <div className="mailboxes" data-testid="mailboxes">
      <ul className="mailbox-list" aria-label="Mailboxes">
        {boxes.map((box) => {
          const k = key(box);
          const bounces = box.messages.filter((m) => summary(m).bounce).length;
          const selected = current && key(current) === k;
          return (
            <li key={k} data-testid={`mailbox-${k}`} className={selected ? 'selected' : ''}>
              <button
                type="button"
                className="mailbox-name"
                aria-pressed={selected}
                onClick={() => setChosen(k)}
              >
                <strong>{box.user}</strong>@{box.host.split('.')[0]}{' '}
                <span className="count">
                  {box.messages.length} message{box.messages.length === 1 ? '' : 's'}
                </span>
                {bounces > 0 && (
                  <span className="badge bounced">
                    ✖ {bounces} bounce{bounces === 1 ? '' : 's'}
                  </span>
                )}
              </button>
              {selected && box.messages.length > 0 && (
                <div className="messages">
                  <VirtualList
                    count={box.messages.length}
                    rowHeight={40}
                    label={`Messages of ${box.user}`}
                    testId="message-list"
                    renderRow={(i) => {
                      const m = box.messages[i]!;
                      const s = summary(m);
                      return (
                        <button
                          type="button"
                          className={`message${s.bounce ? ' bounce' : ''}`}
                          onClick={() => setOpen({ box: k, index: i })}
                          data-testid="message"
                          data-bounce={s.bounce}
                        >
                          <span className="subject">
                            {s.bounce && (
                              <>
                                <span aria-hidden="true">✖ </span>
                                <span className="sr-only">Bounce: </span>
                              </>
                            )}
                            {s.subject || '(no subject)'}
                          </span>
                          <span className="from">
                            from {s.from || m.from || '<>'} ·{' '}
                            {clockTime(world.epoch, m.deliveredAt, false)}
                          </span>
                        </button>
                      );
                    }}
                  />
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {message && current && (
        <ErrorBoundary name="message">
          <Suspense fallback={<p className="muted">Opening the message…</p>}>
            <MessageInspector
              message={message}
              host={current.host}
              envelope={envelopeOf(
                index.events,
                index.accepted.get(message.queueId),
                (c) => index.conns.get(c)?.events,
              )}
              onClose={() => setOpen(undefined)}
            />
          </Suspense>
        </ErrorBoundary>
      )}
    </div>
  );
}
