import { useMemo, useState } from 'react';
import { useLab } from '../../store/labStore';
import { DEFAULT_WINDOW, journeyDiagram, sessionDiagram } from '../diagram/sequence';
import { SequenceView } from '../diagram/SequenceView';
import { useThrottledVersion } from '../hooks';
import { traceIndex } from '../model/traceIndex';
import { LATEST, SessionPicker, useSessionChoice } from './SessionPicker';

/** Messages offered in the picker (newest first). */
const PICK_LIMIT = 200;

/**
 * A live sequence diagram: one SMTP session (the latest by default, following new ones),
 * or one message's whole journey across hosts. Long diagrams show the last steps with the
 * full history one click away.
 */
export default function SequencePanel() {
  const runtime = useLab((s) => s.runtime);
  const fast = useLab((s) => s.playing && s.speed >= 4);
  const speed = useLab((s) => s.speed);
  // Redrawn a few times a second at most, and not at all while playing fast (the topology
  // shows the motion); "Draw now" draws the moment on demand.
  const version = useThrottledVersion(fast ? 3_600_000 : 200);
  const [nudge, setNudge] = useState(0);
  const world = runtime.lab.world;
  const index = traceIndex(world);
  const [mode, setMode] = useState<'session' | 'journey'>('session');
  const { picked, pick, chosen: chosenConn } = useSessionChoice(index);
  const [message, setMessage] = useState(LATEST);
  const [full, setFull] = useState(false);
  const epoch = world.epoch;

  const origins = index.origins();
  const chosenMessage =
    message !== LATEST && index.queuedOn.has(message) ? message : origins[origins.length - 1];

  const model = useMemo(() => {
    const options = full ? {} : { window: DEFAULT_WINDOW };
    if (mode === 'journey') {
      return chosenMessage ? journeyDiagram(index, chosenMessage, options) : undefined;
    }
    if (!chosenConn) return undefined;
    const info = index.conns.get(chosenConn)!;
    return sessionDiagram(
      info.events.map((i) => index.events[i]!),
      chosenConn,
      options,
    );
    // `version` stands for the trace's growth (the index is updated in place).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, nudge, mode, chosenConn, chosenMessage, full, index]);

  const describeMessage = (id: string) => {
    const at = index.accepted.get(id);
    const e = at === undefined ? undefined : index.events[at];
    const to = e && e.type === 'mail.accepted' ? ` to ${e.to.join(', ')}` : '';
    return `${id} on ${index.queuedOn.get(id) ?? '?'}${to}`;
  };

  return (
    <div className="sequence-panel diagram-pane" data-testid="sequence-panel">
      <div className="toolbar" role="group" aria-label="What the diagram shows">
        <label>
          <input
            type="radio"
            name="seq-mode"
            checked={mode === 'session'}
            onChange={() => setMode('session')}
          />
          session
        </label>
        <SessionPicker
          index={index}
          epoch={epoch}
          picked={picked}
          chosen={chosenConn}
          onPick={(c) => {
            pick(c);
            setMode('session');
          }}
          testId="session-picker"
        />
        <label>
          <input
            type="radio"
            name="seq-mode"
            checked={mode === 'journey'}
            onChange={() => setMode('journey')}
            data-testid="journey-mode"
          />
          message journey
        </label>
        <select
          aria-label="Message"
          value={message}
          onChange={(e) => {
            setMessage(e.target.value);
            setMode('journey');
          }}
          data-testid="message-picker"
        >
          <option value={LATEST}>
            latest message{chosenMessage && message === LATEST ? ` (${chosenMessage})` : ''}
          </option>
          {origins
            .slice(-PICK_LIMIT)
            .reverse()
            .map((id) => (
              <option key={id} value={id}>
                {describeMessage(id)}
              </option>
            ))}
        </select>
        {model && (model.total > model.shown || full) && (
          <button type="button" onClick={() => setFull((f) => !f)} data-testid="full-history">
            {full
              ? `Show the last ${DEFAULT_WINDOW} steps`
              : `Show full history (${model.total} steps)`}
          </button>
        )}
      </div>
      {fast && (
        <p className="paused-note" data-testid="drawing-paused">
          Drawing paused while playing at {speed}× (pause or slow down to follow live).{' '}
          <button type="button" onClick={() => setNudge((n) => n + 1)}>
            Draw now
          </button>
        </p>
      )}
      {model ? (
        <SequenceView
          model={model}
          title={
            mode === 'journey'
              ? 'Journey of a message across hosts'
              : 'SMTP session sequence diagram'
          }
          testId="sequence"
        />
      ) : (
        <p className="empty">
          {mode === 'journey'
            ? 'No message yet. Send one and its journey across the hosts is drawn here.'
            : 'No SMTP session yet. Type telnet mx1.beta.example 25 in the terminal and the conversation will be drawn here as it happens.'}
        </p>
      )}
    </div>
  );
}
