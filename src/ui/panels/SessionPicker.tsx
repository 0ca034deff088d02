import { useState } from 'react';
import { clockTime } from '../model/time';
import type { TraceIndex } from '../model/traceIndex';

/** The picker's value for "the latest session, following new ones". */
export const LATEST = '';
/** Sessions offered in the picker (newest first). */
const PICK_LIMIT = 200;

/** Which SMTP session a view shows: the one picked, or the latest (following new ones). */
export function useSessionChoice(index: TraceIndex): {
  /** What the picker holds: a connection, or LATEST. */
  picked: string;
  pick(conn: string): void;
  /** The session to show, if there is any. */
  chosen: string | undefined;
} {
  const [picked, pick] = useState(LATEST);
  const sessions = index.sessions;
  const chosen =
    picked !== LATEST && index.conns.has(picked) ? picked : sessions[sessions.length - 1];
  return { picked, pick, chosen };
}

/** "c3: laptop.alpha.example → mx1.beta.example:25 at 09:00:01". */
export function describeConn(index: TraceIndex, epoch: number, conn: string): string {
  const info = index.conns.get(conn)!;
  return `${conn}: ${info.from.host} → ${info.to.host}:${info.to.port} at ${clockTime(epoch, info.start, false)}`;
}

/** A select of the SMTP sessions, newest first, "latest session" on top. */
export function SessionPicker({
  index,
  epoch,
  picked,
  chosen,
  onPick,
  testId,
}: {
  index: TraceIndex;
  epoch: number;
  picked: string;
  chosen: string | undefined;
  onPick(conn: string): void;
  testId: string;
}) {
  return (
    <select
      aria-label="SMTP session"
      value={picked}
      onChange={(e) => onPick(e.target.value)}
      data-testid={testId}
    >
      <option value={LATEST}>
        latest session{chosen && picked === LATEST ? ` (${chosen})` : ''}
      </option>
      {index.sessions
        .slice(-PICK_LIMIT)
        .reverse()
        .map((c) => (
          <option key={c} value={c}>
            {describeConn(index, epoch, c)}
          </option>
        ))}
    </select>
  );
}
