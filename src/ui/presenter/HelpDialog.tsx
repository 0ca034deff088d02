import { useEffect, useRef } from 'react';
import { trapTab } from '../a11y/trapTab';
import { BINDINGS } from './keys';
import { useView } from './view';

/**
 * The `?` overlay: every shortcut, and when it works. A modal dialog: the page behind it
 * is inert, Tab and Shift+Tab stay inside it, Esc (or Close) closes it and the focus goes
 * back where it was.
 */
export function HelpDialog() {
  const open = useView((s) => s.help);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (!d || !open) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    d.showModal();
    d.querySelector<HTMLElement>('button')?.focus();
    return () => {
      if (d.open) d.close();
      before?.focus();
    };
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="presenter-help"
      aria-labelledby="presenter-help-title"
      onClose={() => useView.getState().setHelp(false)}
      onKeyDown={trapTab}
      data-testid="presenter-help-dialog"
    >
      <h2 id="presenter-help-title">Keyboard shortcuts</h2>
      <p>
        A key alone works while the focus is <em>outside</em> the terminal: everything typed in the
        terminal stays the learner’s. <kbd>Ctrl</kbd>+<kbd>Alt</kbd> with the same key works
        everywhere, in the terminal too (a key that your keyboard layout turns into a character with
        AltGr is left to the terminal). <kbd>F</kbd> moves the focus into the terminal,{' '}
        <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>F</kbd> out of it again.
      </p>
      <div className="presenter-help-keys" tabIndex={0} aria-label="Shortcuts">
        <table>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Anywhere</th>
              <th scope="col">Does</th>
            </tr>
          </thead>
          <tbody>
            {BINDINGS.map((b) => (
              <tr key={b.action}>
                <td>
                  {b.label.map((k, i) => (
                    <span key={k}>
                      {i > 0 && ' or '}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>
                  <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>{b.label[0]}</kbd>
                </td>
                <td>{b.what}</td>
              </tr>
            ))}
            <tr>
              <td>
                <kbd>Esc</kbd>
              </td>
              <td />
              <td>close this list</td>
            </tr>
          </tbody>
        </table>
      </div>
      <button
        type="button"
        onClick={() => dialog.current?.close()}
        data-testid="presenter-help-close"
      >
        Close
      </button>
    </dialog>
  );
}
