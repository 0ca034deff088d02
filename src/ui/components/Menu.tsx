import { useState, type ReactNode } from 'react';

/**
 * A header button and the popup it opens below it (aria-expanded, aria-controls). Escape
 * closes it and gives the focus back to the button; moving the focus out of it closes it.
 */
export function Menu({
  id,
  label,
  title,
  testId,
  onOpen,
  children,
}: {
  /** The popup's id: `children` give it to their outer element. */
  id: string;
  /** The button's text. */
  label: string;
  title: string;
  testId: string;
  /** Called as the menu opens (to gather what it shows). */
  onOpen(): void;
  /** The popup, while open; `close` is for its own actions. */
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const close = () => {
    setOpen(false);
    document.querySelector<HTMLElement>(`[aria-controls="${id}"]`)?.focus();
  };
  return (
    <div
      className="menu"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) close();
      }}
    >
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          if (!open) onOpen();
          setOpen(!open);
        }}
        title={title}
        data-testid={testId}
      >
        {label}
      </button>
      {open && children(close)}
    </div>
  );
}
