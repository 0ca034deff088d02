import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A list that renders only the rows in view (fixed row height), so its cost does not grow
 * with the number of rows. With `follow`, it stays scrolled to the end while the learner
 * has not scrolled away from it (like `tail -f`).
 */
export function VirtualList({
  count,
  rowHeight,
  renderRow,
  follow = false,
  label,
  testId,
  overscan = 8,
}: {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  follow?: boolean;
  label: string;
  testId?: string;
  overscan?: number;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400 });
  const atEnd = useRef(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight });
    const onScroll = () => {
      atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight;
      measure();
    };
    measure();
    el.addEventListener('scroll', onScroll, { passive: true });
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, [rowHeight]);

  // Follow the end without reading layout (the height is known): no forced reflow.
  const height = view.height;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (follow && el && atEnd.current) {
      const top = Math.max(0, count * rowHeight - height);
      el.scrollTop = top;
      setView((v) => (v.top === top ? v : { top, height: v.height }));
    }
  }, [count, follow, rowHeight, height]);

  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={i}
        className="vrow"
        role="listitem"
        aria-setsize={count}
        aria-posinset={i + 1}
        style={{ top: i * rowHeight, height: rowHeight }}
      >
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div
      ref={scroller}
      className="vlist"
      role="list"
      aria-label={label}
      data-testid={testId}
      data-count={count}
      tabIndex={0}
    >
      <div className="vlist-inner" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
