import { useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { useLab } from '../../store/labStore';

/** The xterm view of the lab's terminal on `host`: keys go in, shell output comes out. */
export function TerminalPane({ host }: { host: string }) {
  const container = useRef<HTMLDivElement>(null);
  const attachTerminal = useLab((s) => s.attachTerminal);
  const detachTerminal = useLab((s) => s.detachTerminal);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const xterm = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      screenReaderMode: true,
      scrollback: 5000,
      theme: { background: '#0d1117', foreground: '#e6edf3' },
    });
    const fit = new FitAddon();
    xterm.loadAddon(fit);
    xterm.open(element);
    fit.fit();
    const session = attachTerminal(host, (text) => xterm.write(text));
    session.resize(xterm.cols);
    const input = xterm.onData((data) => session.input(data));
    const observer = new ResizeObserver(() => {
      fit.fit();
      session.resize(xterm.cols);
    });
    observer.observe(element);
    xterm.focus();
    return () => {
      observer.disconnect();
      input.dispose();
      detachTerminal();
      xterm.dispose();
    };
  }, [host, attachTerminal, detachTerminal]);

  return <div className="xterm-host" ref={container} data-testid="terminal" />;
}
