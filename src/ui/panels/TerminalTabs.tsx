import { firstHost, useLab } from '../../store/labStore';
import { useLayout } from '../../store/layout';
import { TerminalPane } from './TerminalPane';

/** One tab per host with a terminal; each has its own xterm, session and history. */
export function TerminalTabs() {
  const runtime = useLab((s) => s.runtime);
  const hosts = runtime.scenario.hosts.map((h) => h.name);
  const layout = useLayout();
  const tabs = layout.terminals.filter((h) => hosts.includes(h));
  if (tabs.length === 0) tabs.push(firstHost(runtime.scenario));
  const active = tabs.includes(layout.active) ? layout.active : tabs[0]!;
  const open = useLab((s) => s.runtime.terminal(active) !== undefined);
  const recordedAhead = useLab((s) => s.runtime.futureInputs().length > 0);

  const show = (host: string) => {
    useLab.getState().openTerminal(host);
    layout.showTerminal(host, tabs);
  };

  return (
    <div className="terminal-tabs">
      {/* Not a tablist: besides the terminals' buttons it holds close buttons and a picker. */}
      <div className="tabbar" role="group" aria-label="Terminals">
        {tabs.map((host) => (
          <div key={host} className={`tab${host === active ? ' active' : ''}`}>
            <button
              type="button"
              className="tab-button"
              aria-current={host === active}
              data-testid={`terminal-tab-${host}`}
              onClick={() => layout.showTerminal(host, tabs)}
            >
              {host}
            </button>
            {tabs.length > 1 && (
              <button
                type="button"
                className="close"
                aria-label={`Close the terminal tab of ${host}`}
                onClick={() => layout.closeTerminal(host)}
              >
                ×
              </button>
            )}
          </div>
        ))}
        <label className="new-terminal">
          <span className="sr-only">Open a terminal on</span>
          <select
            value=""
            aria-label="Open a terminal on another host"
            onChange={(e) => e.target.value && show(e.target.value)}
          >
            <option value="">+ terminal on…</option>
            {hosts.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
      </div>
      <section className="terminal-body" aria-label={`Terminal on ${active}`}>
        {!open && (
          <p className="terminal-note">
            No shell was open on {active} at this moment of the timeline. Typing here opens one
            {recordedAhead ? ' and replaces what was recorded after this moment' : ''}.
          </p>
        )}
        <TerminalPane key={`${active}`} host={active} />
      </section>
    </div>
  );
}
