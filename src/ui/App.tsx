import { lazy, Suspense } from 'react';
import { useLab } from '../store/labStore';
import { useLayout } from '../store/layout';
import { scenarioCatalogue } from '../store/scenarios';
import { Workspace } from './layout/Workspace';
import { Timeline } from './panels/Timeline';

// Save and load, share, export, the scenario sandbox: a lazily loaded chunk (initial JS).
const HeaderTools = lazy(() => import('./share/HeaderTools'));
// The "Present" button and presenter mode (?present=DEMO_ID): lazily loaded too.
const PresentEntry = lazy(() => import('./presenter/PresentEntry'));

/** Header (scenario, save and load the lab), the workspace, and the timeline. */
export function App() {
  const scenario = useLab((s) => s.scenario);
  const notice = useLab((s) => s.notice);
  const storageError = useLayout((s) => s.storageError);
  const catalogue = scenarioCatalogue();
  const hint = catalogue.find((s) => s.name === scenario)?.hint;

  const chooseScenario = (name: string) => {
    const url = new URL(location.href);
    url.searchParams.set('scenario', name);
    location.assign(url.toString());
  };

  return (
    <div className="app">
      <header className="app-header">
        <h1>SMTP Lab</h1>
        <label className="scenario-picker">
          <span>scenario</span>
          <select
            value={scenario}
            onChange={(e) => chooseScenario(e.target.value)}
            data-testid="scenario-picker"
          >
            {catalogue.map((s) => (
              <option key={s.name} value={s.name}>
                {s.title}
              </option>
            ))}
            {!hint && <option>{scenario}</option>}
          </select>
        </label>
        <p className="tagline">
          {hint} Try <code>telnet mail.alpha.example 587</code> or{' '}
          <code>telnet mx1.beta.example 25</code>.
        </p>
        <div className="lab-actions">
          <Suspense>
            <HeaderTools />
          </Suspense>
          <button
            type="button"
            onClick={() => useLab.getState().reset()}
            title="Start this scenario again"
          >
            Reset
          </button>
          <Suspense>
            <PresentEntry />
          </Suspense>
        </div>
      </header>
      {(notice || storageError) && (
        <div className="notices" role="status">
          {notice && (
            <p className="notice">
              {notice}{' '}
              <button type="button" onClick={() => useLab.getState().dismissNotice()}>
                OK
              </button>
            </p>
          )}
          {storageError && (
            <p className="notice" data-testid="storage-notice">
              The layout cannot be remembered ({storageError}); it works for this visit only.
            </p>
          )}
        </div>
      )}
      <Workspace />
      <Timeline />
    </div>
  );
}
