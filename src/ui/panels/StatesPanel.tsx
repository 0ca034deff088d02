import { useMemo } from 'react';
import type { ServerState } from '../../engine/smtp/server';
import { useLab } from '../../store/labStore';
import { DiagramText } from '../diagram/DiagramText';
import { StateChart } from '../diagram/StateChart';
import {
  allowedVerbs,
  describeStates,
  laterVerbs,
  replaySession,
  stepOutcome,
} from '../diagram/states';
import { useThrottledVersion } from '../hooks';
import { traceIndex } from '../model/traceIndex';
import { SessionPicker, useSessionChoice } from './SessionPicker';

/** Steps listed beside the chart (the text description has them all). */
const RECENT = 5;

/** Where the learner is, in words a telnet user can act on. */
const WHERE: Record<ServerState, string> = {
  greeted: 'The server has greeted you. Say who you are: EHLO (or HELO) and a name.',
  ready: 'Hello done, no mail transaction yet. Start one with MAIL FROM:<address>.',
  mail: 'The sender is set. Name a recipient with RCPT TO:<address>.',
  rcpt: 'A recipient is accepted. Add more with RCPT, or send the message with DATA.',
  data: 'The server reads message text until a line with only a dot (".").',
  bdat: 'The message comes in chunks (BDAT size); BDAT size LAST sends the last one.',
  auth: 'Inside an AUTH exchange: answer the 334 challenge in base64, or * to cancel.',
  tls: 'STARTTLS accepted: the TLS handshake comes next, then EHLO again.',
  refused: 'The server refused this client in its greeting (554): only QUIT is accepted.',
  closed: 'The connection is closed.',
};

/** What may come next in the states where no command is read. */
const INSTEAD: Partial<Record<ServerState, string>> = {
  data: 'message text, then a line with only "."',
  auth: 'a base64 answer to the challenge, or *',
  tls: 'nothing until the TLS handshake',
  closed: 'nothing: the connection is closed',
};

/**
 * The SMTP server's state machine, live: one session replayed through the engine's
 * transition table, the current state and last step on the chart, and beside it what is
 * in sequence now and the latest steps.
 */
export default function StatesPanel() {
  const runtime = useLab((s) => s.runtime);
  const version = useThrottledVersion(200);
  const world = runtime.lab.world;
  const index = traceIndex(world);
  const { picked, pick, chosen } = useSessionChoice(index);

  const session = useMemo(() => {
    const info = chosen ? index.conns.get(chosen) : undefined;
    return info && replaySession(info.events.map((i) => index.events[i]!));
    // `version` stands for the trace's growth (the index is updated in place).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, chosen, index]);

  if (!session || !chosen) {
    return (
      <div className="states-panel" data-testid="states-panel">
        <p className="empty">
          No SMTP session yet. Type telnet mx1.beta.example 25 in the terminal: the server&apos;s
          state is shown here as you talk to it.
        </p>
      </div>
    );
  }
  const { state, steps, keywords } = session;
  const last = steps.at(-1);
  const allowed = allowedVerbs(state, keywords);
  const later = state ? laterVerbs(state) : new Set<string>();
  const main = allowed.filter((v) => !later.has(v.verb));
  const also = allowed.filter((v) => later.has(v.verb));
  const info = index.conns.get(chosen)!;
  const description = describeStates(session, `${info.from.host} to ${info.to.host}`);

  return (
    <div className="states-panel" data-testid="states-panel">
      {/* Focusable: in a small pane the chart scrolls (it is never drawn smaller). */}
      <div className="states-chart-scroll" tabIndex={0} role="group" aria-label="State chart">
        <StateChart
          state={state}
          last={last}
          title={`SMTP server states of ${chosen}`}
          testId="states-chart"
        />
      </div>
      <div className="states-side" data-testid="states-side">
        <SessionPicker
          index={index}
          epoch={world.epoch}
          picked={picked}
          chosen={chosen}
          onPick={pick}
          testId="states-session-picker"
        />
        <p className="states-where" data-testid="states-where">
          <strong>{state ? `▶ ${state}` : '▶ connecting'}</strong>{' '}
          {state ? WHERE[state] : "Waiting for the server's greeting."}
        </p>
        <h3>In sequence now:</h3>
        {state && INSTEAD[state] ? (
          <p className="states-instead" data-testid="states-allowed">
            {INSTEAD[state]}
          </p>
        ) : (
          <p className="states-allowed" data-testid="states-allowed">
            {main.map((v) => (
              <span
                key={v.verb}
                className={v.notOffered ? 'verb not-offered' : 'verb'}
                data-verb={v.verb}
                data-offered={!v.notOffered}
              >
                {v.verb}
                {v.notOffered && <small> (not offered)</small>}
              </span>
            ))}
            {also.length > 0 && (
              <span className="also">
                {main.length > 0 ? 'and ' : ''}
                {also.map((v) => v.verb).join(' ')}
              </span>
            )}
          </p>
        )}
        <h3>Steps, newest first</h3>
        <ol className="states-steps" reversed>
          {session.waiting && (
            <li className="step waiting" data-testid="states-step" value={steps.length + 1}>
              <span className="step-line">{session.waiting.line}</span>{' '}
              <span className="step-outcome">waiting for the reply</span>
            </li>
          )}
          {steps
            .slice(-RECENT)
            .reverse()
            .map((s, i) => (
              <li
                key={steps.length - i}
                value={steps.length - i}
                className={`step ${s.kind}`}
                data-kind={s.kind}
                data-testid="states-step"
              >
                <span className="step-line">
                  {s.code !== undefined && s.code >= 400 ? '✗' : '✓'} {s.line || '(empty line)'}
                </span>{' '}
                <span className="step-outcome">{stepOutcome(s)}</span>
              </li>
            ))}
        </ol>
        <DiagramText lines={description} testId="states-text" />
      </div>
    </div>
  );
}
