import { useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { useLab } from '../../store/labStore';
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
    const xterm = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: terminalFontSize(useView.getState().zoom),
      screenReaderMode: true,
      scrollback: 5000,
      theme: { background: '#000000', foreground: '#ffffff', cursor: '#ffd700' },
    });
    const fit = new FitAddon();
    xterm.loadAddon(fit);
    xterm.open(element);
    const refit = () => {
      if (!element.offsetParent) return; // hidden
      fit.fit();
      useLab.getState().resize(host, xterm.cols);
    };
    refit();
    const detach = useLab.getState().attachTerminal(host, {
      write: (text) => xterm.write(text),
      // RIS (ESC c) in the write queue: a reset() call would overtake writes still queued.
      reset: (screen) => xterm.write(`\x1bc${screen}`),
    });
    const input = xterm.onData((data) => useLab.getState().input(host, data));
    // A new text size (zoom): as many columns as now fit.
    const unzoom = useView.subscribe((s, before) => {
      if (s.zoom === before.zoom) return;
      xterm.options.fontSize = terminalFontSize(s.zoom);
      refit();
    });
    const observer = new ResizeObserver(refit);
    observer.observe(element);
    return () => {
      unzoom();
      observer.disconnect();
      input.dispose();
      detach();
      xterm.dispose();
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
