import { useEffect, useId, useRef } from 'react';
import { useLab } from '../../store/labStore';
import { labXterm } from './labXterm';

let interactiveMarked = false;

/**
 * The xterm view of the lab's terminal on `host`: keys go to the store (recorded as inputs
 * at the current virtual time), the shell's output comes back. On attach, and whenever the
 * world is rebuilt (stepping back), the screen is redrawn from the session's output.
 */
export function TerminalPane({ host }: { host: string }) {
  const container = useRef<HTMLDivElement>(null);
  const hint = useId();

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const terminal = labXterm(
      element,
      host,
      { fontSize: 14, theme: { background: '#0d1117', foreground: '#e6edf3' } },
      hint,
    );
    const { xterm } = terminal;
    // Output is written in batches: once a frame, or ten times a second while playing fast
    // (a 1,000-message storm prints thousands of lines; redrawing for each is waste).
    let pending = '';
    let flush: ReturnType<typeof setTimeout> | undefined;
    const write = () => {
      flush = undefined;
      const text = pending;
      pending = '';
      xterm.write(text);
    };
    const detach = useLab.getState().attachTerminal(host, {
      write: (text) => {
        pending += text;
        if (flush) return;
        const { playing, speed } = useLab.getState();
        if (playing && speed >= 4) flush = setTimeout(write, 100);
        else write();
      },
      reset: (screen) => {
        if (flush) clearTimeout(flush);
        flush = undefined;
        pending = '';
        // RIS (ESC c) goes through the write queue: reset() would overtake queued writes.
        xterm.write(`\x1bc${screen}`);
      },
    });
    if (!interactiveMarked) {
      // Time to an interactive terminal (web.interactive.ms): the first prompt is drawn.
      xterm.write('', () => {
        if (interactiveMarked) return;
        interactiveMarked = true;
        performance.mark('smtp-lab:interactive');
      });
    }
    xterm.focus();
    return () => {
      if (flush) clearTimeout(flush);
      detach();
      terminal.dispose();
    };
  }, [host, hint]);

  return (
    <>
      <p id={hint} className="sr-only">
        Tab completes a command or file name. To leave the terminal, press Escape then Tab, or
        Shift+Tab.
      </p>
      <div className="xterm-host" ref={container} data-testid="terminal" data-host={host} />
    </>
  );
}
