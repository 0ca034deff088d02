import { useRef, useState } from 'react';
import { useLab } from '../store/labStore';
import { useLayout } from '../store/layout';
import { scenarioCatalogue } from '../store/scenarios';
import { Workspace } from './layout/Workspace';
import { Timeline } from './panels/Timeline';

/** Header (scenario, save and load the lab), the workspace, and the timeline. */
export function App() {
  const scenario = useLab((s) => s.scenario);
  const notice = useLab((s) => s.notice);
  const storageError = useLayout((s) => s.storageError);
  const [importError, setImportError] = useState<string>();
  const file = useRef<HTMLInputElement>(null);
  const catalogue = scenarioCatalogue();
  const hint = catalogue.find((s) => s.name === scenario)?.hint;

  const chooseScenario = (name: string) => {
    const url = new URL(location.href);
    url.searchParams.set('scenario', name);
    location.assign(url.toString());
  };

  const exportLab = () => {
    const doc = useLab.getState().exportDoc();
    const blob = new Blob([JSON.stringify(doc, null, 1)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `smtp-lab-${doc.scenario}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const importLab = async (f: File | undefined) => {
    if (!f) return;
    try {
      const error = useLab.getState().load(JSON.parse(await f.text()), 'end');
      setImportError(error);
    } catch (e) {
      setImportError(`This file is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (file.current) file.current.value = '';
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
          </select>
        </label>
        <p className="tagline">
          {hint} Try <code>telnet mail.alpha.example 587</code> or{' '}
          <code>telnet mx1.beta.example 25</code>.
        </p>
        <div className="lab-actions">
          <button
            type="button"
            onClick={exportLab}
            title="Save the scenario and everything typed, to replay later"
          >
            Save lab
          </button>
          <button
            type="button"
            onClick={() => file.current?.click()}
            title="Load a saved lab and replay it"
          >
            Load lab
          </button>
          <input
            ref={file}
            type="file"
            accept="application/json,.json"
            hidden
            onChange={(e) => importLab(e.target.files?.[0])}
          />
          <button
            type="button"
            onClick={() => useLab.getState().reset()}
            title="Start this scenario again"
          >
            Reset
          </button>
        </div>
      </header>
      {(notice || importError || storageError) && (
        <div className="notices" role="status">
          {notice && (
            <p className="notice">
              {notice}{' '}
              <button type="button" onClick={() => useLab.getState().dismissNotice()}>
                OK
              </button>
            </p>
          )}
          {importError && (
            <p className="notice error">
              {importError}{' '}
              <button type="button" onClick={() => setImportError(undefined)}>
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
