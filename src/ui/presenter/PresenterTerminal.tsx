import { useEffect, useRef } from 'react';
import { useLab } from '../../store/labStore';
import { labXterm } from '../panels/labXterm';
import { terminalFontSize, useView } from './view';

/**
 * The presenter's view of the terminal on `host`, as the workspace's TerminalPane (keys go
 * to the lab store, output comes back, the screen is redrawn after a rebuild), but in large
 * high-contrast type whose size follows the presenter's zoom.
 */
export function PresenterTerminal({ host }: { host: string }) {
  const container = useRef<HTMLDivElement>(null);
  const fontSize = useView((s) => terminalFontSize(s.zoom));

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const terminal = labXterm(element, host, {
      fontSize: terminalFontSize(useView.getState().zoom),
      theme: { background: '#000000', foreground: '#ffffff', cursor: '#ffd700' },
    });
    const { xterm } = terminal;
    const detach = useLab.getState().attachTerminal(host, {
      write: (text) => xterm.write(text),
      // RIS (ESC c) in the write queue: a reset() call would overtake writes still queued.
      reset: (screen) => xterm.write(`\x1bc${screen}`),
    });
    // A new text size (zoom): as many columns as now fit.
    const unzoom = useView.subscribe((s, before) => {
      if (s.zoom === before.zoom) return;
      xterm.options.fontSize = terminalFontSize(s.zoom);
      terminal.refit();
    });
    return () => {
      unzoom();
      detach();
      terminal.dispose();
    };
  }, [host]);

  return (
    <div
      className="presenter-xterm"
      ref={container}
      data-testid="presenter-terminal"
      data-host={host}
      data-font-size={fontSize}
    />
  );
}
