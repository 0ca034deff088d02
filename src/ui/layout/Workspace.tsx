import { lazy, Suspense, useEffect, useState, type CSSProperties } from 'react';
import { useLayout, VIEWS, type ViewName } from '../../store/layout';
import { TerminalTabs } from '../panels/TerminalTabs';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { Splitter } from './Splitter';

// Everything but the terminal loads after the first paint (Mermaid, postal-mime and
// DOMPurify only when a view needs them).
const TopologyPanel = lazy(() => import('../panels/TopologyPanel'));
const PANELS: Record<ViewName, ReturnType<typeof lazy>> = {
  sequence: lazy(() => import('../panels/SequencePanel')),
  states: lazy(() => import('../panels/StatesPanel')),
  mx: lazy(() => import('../panels/MxPanel')),
  mailboxes: lazy(() => import('../panels/MailboxPanel')),
  queue: lazy(() => import('../panels/QueuePanel')),
  log: lazy(() => import('../panels/LogPanel')),
  lesson: lazy(() => import('../lessons/LessonPanel')),
};
const TITLES: Record<ViewName, string> = {
  sequence: 'Sequence diagram',
  states: 'SMTP states',
  mx: 'MX lookup',
  mailboxes: 'Mailboxes',
  queue: 'Queues',
  log: 'Mail log',
  lesson: 'Lesson',
};

/** Show the diagrams once the terminal is up and the browser is idle. */
function useAfterFirstPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const go = () => setReady(true);
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(go, { timeout: 300 });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(go, 50);
    return () => clearTimeout(id);
  }, []);
  return ready;
}

/**
 * The workspace: the terminal on the left; the topology and one more view (tabs for the
 * others) on the right; both dividers draggable, sizes and tab remembered.
 */
export function Workspace() {
  const layout = useLayout();
  const ready = useAfterFirstPaint();
  // A link into a lesson (?lesson=ID, as "reset lesson" makes) opens the lesson view.
  useEffect(() => {
    if (new URLSearchParams(location.search).has('lesson'))
      useLayout.getState().set({ view: 'lesson' });
  }, []);
  const Panel = PANELS[layout.view];
  const style = {
    '--left': `${layout.left * 100}%`,
    '--top': `${layout.top * 100}%`,
  } as CSSProperties;
  return (
    <main className="workspace" style={style}>
      <section className="pane terminal-pane" aria-label="Terminals">
        <TerminalTabs />
      </section>
      <Splitter
        orientation="vertical"
        value={layout.left}
        min={0.2}
        max={0.8}
        cssVar="--left"
        label="Resize the terminal and the diagrams"
        onCommit={(left) => layout.set({ left })}
      />
      <div className="right-column" style={{ '--top': `${layout.top * 100}%` } as CSSProperties}>
        <section className="pane topology-pane" aria-label="Topology">
          <h2>Topology</h2>
          {ready && (
            <ErrorBoundary name="topology">
              <Suspense fallback={<p className="muted loading">Drawing the topology…</p>}>
                <TopologyPanel />
              </Suspense>
            </ErrorBoundary>
          )}
        </section>
        <Splitter
          orientation="horizontal"
          value={layout.top}
          min={0.15}
          max={0.85}
          cssVar="--top"
          label="Resize the topology and the view below it"
          onCommit={(top) => layout.set({ top })}
        />
        <section className="pane views-pane" aria-label={TITLES[layout.view]}>
          <div className="tabbar" role="tablist" aria-label="Views">
            {VIEWS.map((v) => (
              <button
                key={v}
                type="button"
                role="tab"
                aria-selected={layout.view === v}
                className={layout.view === v ? 'active' : ''}
                onClick={() => layout.set({ view: v })}
                data-testid={`view-tab-${v}`}
              >
                {TITLES[v]}
              </button>
            ))}
          </div>
          <div className="view-body" role="tabpanel" aria-label={TITLES[layout.view]}>
            {ready && (
              <ErrorBoundary key={layout.view} name={TITLES[layout.view].toLowerCase()}>
                <Suspense fallback={<p className="muted loading">Loading…</p>}>
                  <Panel />
                </Suspense>
              </ErrorBoundary>
            )}
          </div>
        </section>
      </div>
    </main>
  );
}
