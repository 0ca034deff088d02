import { lazy, Suspense, useEffect, useState } from 'react';
import { createPortal } from 'react-dom';

// The presenter itself (xterm in large type, the demos) loads only when asked for.
const Presenter = lazy(() => import('./Presenter'));

const PARAM = 'present';
const LOADING = {
  position: 'fixed',
  inset: 0,
  margin: 0,
  padding: '2rem',
  background: '#000',
} as const;

/** Put `?present=ID` (and the demo's scenario) in the address bar, or take it out. */
function setUrl(id: string | null, scenario?: string) {
  const url = new URL(location.href);
  if (id === null) url.searchParams.delete(PARAM);
  else url.searchParams.set(PARAM, id);
  if (scenario) url.searchParams.set('scenario', scenario);
  history.replaceState(history.state, '', url);
}

/**
 * The header's "Present" button, and presenter mode over the whole page when it is on:
 * opened by the button or by a link with `?present=DEMO_ID`, which a teacher can bookmark.
 * The lab underneath stays as it is, hidden and inert, and is back on "Exit".
 */
export default function PresentEntry() {
  const [demo, setDemo] = useState<string | null>(() =>
    new URLSearchParams(location.search).get(PARAM),
  );
  const open = demo !== null;

  useEffect(() => {
    if (!open) return;
    const root = document.getElementById('root');
    document.body.classList.add('presenting');
    root?.setAttribute('inert', '');
    return () => {
      document.body.classList.remove('presenting');
      root?.removeAttribute('inert');
    };
  }, [open]);

  return (
    <>
      <button
        type="button"
        onClick={() => setDemo('')}
        title="Play a scripted demo to a room: large text, captions, keyboard shortcuts"
        data-testid="present"
      >
        Present
      </button>
      {open &&
        createPortal(
          <Suspense fallback={<p style={LOADING}>Loading presenter mode…</p>}>
            <Presenter
              demoId={demo}
              onChoose={(id, scenario) => {
                setUrl(id, scenario);
                setDemo(id);
              }}
              onExit={() => {
                setUrl(null);
                setDemo(null);
              }}
            />
          </Suspense>,
          document.body,
        )}
    </>
  );
}
