import { TerminalPane } from './panels/TerminalPane';
import { SequencePanel } from './panels/SequencePanel';
import { MailboxPanel } from './panels/MailboxPanel';

export const FIRST_HOST = 'laptop.alpha.example';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>SMTP Lab</h1>
        <p className="tagline">
          Type <code>telnet mx1.beta.example 25</code> and speak SMTP to a mail server.
        </p>
      </header>
      <main className="workspace">
        <section className="pane terminal-pane" aria-label={`Terminal on ${FIRST_HOST}`}>
          <h2>
            Terminal <span className="host">{FIRST_HOST}</span>
          </h2>
          <TerminalPane host={FIRST_HOST} />
        </section>
        <section className="pane diagram-pane" aria-label="Sequence diagram">
          <h2>Sequence diagram</h2>
          <SequencePanel />
        </section>
        <section className="pane mailbox-pane" aria-label="Mailboxes">
          <h2>Mailboxes</h2>
          <MailboxPanel />
        </section>
      </main>
    </div>
  );
}
