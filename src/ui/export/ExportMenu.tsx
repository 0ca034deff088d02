import { useState } from 'react';
import { firstHost, useLab } from '../../store/labStore';
import { useLayout } from '../../store/layout';
import { Menu } from '../components/Menu';

/** The file makers, fetched on first use (the menu ships in the header's chunk). */
const exports = () => import('./exports');
/** What a menu item does with them. */
type Action = (files: Awaited<ReturnType<typeof exports>>) => void;

/** The terminal tab on screen (as TerminalTabs picks it). */
function shownTerminal(): string {
  const { runtime } = useLab.getState();
  const { terminals, active } = useLayout.getState();
  const hosts = runtime.scenario.hosts.map((h) => h.name);
  const tabs = terminals.filter((h) => hosts.includes(h));
  if (tabs.length === 0) return firstHost(runtime.scenario);
  return tabs.includes(active) ? active : tabs[0]!;
}

interface Diagram {
  title: string;
  svg: SVGSVGElement;
  background: string;
}

/** The diagrams drawn on screen now (the topology, and the sequence or MX view if shown). */
function shownDiagrams(): Diagram[] {
  return [...document.querySelectorAll<HTMLElement>('.workspace .diagram[data-rendered]')].flatMap(
    (host) => {
      const svg = host.querySelector('svg');
      if (!svg) return [];
      let background = 'transparent';
      for (let e: Element | null = host; e && background === 'transparent'; e = e.parentElement) {
        const colour = getComputedStyle(e).backgroundColor;
        if (colour !== 'transparent' && colour !== 'rgba(0, 0, 0, 0)') background = colour;
      }
      return [{ title: host.getAttribute('aria-label') ?? 'diagram', svg, background }];
    },
  );
}

/**
 * The header's Export menu: the shown terminal's transcript, the trace as JSON lines, and
 * each diagram on screen as SVG. (A message's .eml is in the message inspector.)
 */
export function ExportMenu() {
  const [diagrams, setDiagrams] = useState<Diagram[]>([]);

  const transcript: Action = ({ download, fileName, transcriptText }) => {
    const host = shownTerminal();
    const text = transcriptText(useLab.getState().runtime.screen(host));
    download(fileName('smtp-lab', host, 'transcript') + '.txt', text, 'text/plain');
  };
  const trace: Action = ({ download, fileName, traceJsonl }) => {
    const { runtime } = useLab.getState();
    download(
      fileName('smtp-lab', runtime.scenario.name, 'trace') + '.jsonl',
      traceJsonl(runtime.events),
      'application/jsonl',
    );
  };

  return (
    <Menu
      id="export-menu"
      label="Export"
      title="Download the transcript, the trace or a diagram"
      testId="export"
      onOpen={() => setDiagrams(shownDiagrams())}
    >
      {(close) => {
        const run = (action: Action) => {
          close();
          void exports().then(action);
        };
        return (
          <ul id="export-menu" className="menu-list" aria-label="Export">
            <li>
              <button type="button" onClick={() => run(transcript)} data-testid="export-transcript">
                Terminal transcript (.txt)
              </button>
            </li>
            <li>
              <button type="button" onClick={() => run(trace)} data-testid="export-trace">
                Trace (.jsonl)
              </button>
            </li>
            {diagrams.map((d, i) => (
              <li key={i}>
                <button
                  type="button"
                  onClick={() =>
                    run(({ download, fileName, standaloneSvg }) =>
                      download(
                        fileName('smtp-lab', d.title) + '.svg',
                        standaloneSvg(d.svg, d.background),
                        'image/svg+xml',
                      ),
                    )
                  }
                  data-testid="export-svg"
                >
                  {d.title} (.svg)
                </button>
              </li>
            ))}
            {diagrams.length === 0 && <li className="muted">No diagram is drawn yet.</li>}
            <li className="muted">A message: open it in Mailboxes, then “Save .eml”.</li>
          </ul>
        );
      }}
    </Menu>
  );
}
