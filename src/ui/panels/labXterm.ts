import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { useLab } from '../../store/labStore';

/**
 * An xterm in `element` for the lab's terminal on `host`, with the lab's options: keys go
 * to the store (input at the current virtual time), and the columns fit the element and
 * follow its size (the store is told, so the shell wraps as the screen does). Its input is
 * labelled (and described by the element `describedBy`, if given), and it is no keyboard
 * trap. The caller then attaches the output (the store's attachTerminal) at a pace of its
 * own.
 */
export function labXterm(
  element: HTMLElement,
  host: string,
  look: { fontSize: number; theme: ITheme },
  describedBy?: string,
): { xterm: Terminal; refit(): void; dispose(): void } {
  const xterm = new Terminal({
    cursorBlink: true,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    screenReaderMode: true,
    scrollback: 5000,
    ...look,
  });
  const fit = new FitAddon();
  xterm.loadAddon(fit);
  xterm.open(element);
  // Tab completes in the shell; Shift+Tab, or Escape then Tab, leaves the terminal (no
  // keyboard trap). Escape itself means nothing to the shell.
  let leaving = false;
  xterm.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown') return true;
    if (e.key === 'Escape') {
      leaving = true;
      return false;
    }
    if (e.key === 'Tab' && (e.shiftKey || leaving)) return false;
    if (e.key !== 'Shift') leaving = false;
    return true;
  });
  xterm.textarea?.setAttribute('aria-label', `Terminal on ${host}`);
  if (describedBy) xterm.textarea?.setAttribute('aria-describedby', describedBy);
  const refit = () => {
    if (!element.offsetParent) return; // hidden
    fit.fit();
    useLab.getState().resize(host, xterm.cols);
  };
  refit();
  const input = xterm.onData((data) => useLab.getState().input(host, data));
  const observer = new ResizeObserver(refit);
  observer.observe(element);
  return {
    xterm,
    refit,
    dispose: () => {
      observer.disconnect();
      input.dispose();
      xterm.dispose();
    },
  };
}
