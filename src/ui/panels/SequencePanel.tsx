import { useMemo } from 'react';
import { useTrace } from '../../store/labStore';
import { latestSmtpConnection, sequenceDiagram } from '../diagram/sequence';
import { MermaidView } from '../diagram/MermaidView';

/** The live sequence diagram of the latest SMTP connection. */
export function SequencePanel() {
  const events = useTrace();
  const length = events.length;
  const source = useMemo(() => {
    const conn = latestSmtpConnection(events);
    return conn ? sequenceDiagram(events, conn) : undefined;
    // `events` is the trace's own array, which grows in place: depend on its length.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [length]);

  if (!source) {
    return (
      <p className="empty">
        No SMTP session yet. Type <code>telnet mx1.beta.example 25</code> in the terminal and the
        conversation will be drawn here as it happens.
      </p>
    );
  }
  return <MermaidView source={source} title="SMTP session sequence diagram" />;
}
