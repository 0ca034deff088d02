import { useRef } from 'react';

/**
 * A draggable (and keyboard-operable) divider between two panes. While dragging it sets a
 * CSS variable on the workspace directly (no re-render per move) and reports the final
 * fraction once, when the pointer is released.
 */
export function Splitter({
  orientation,
  value,
  min,
  max,
  cssVar,
  label,
  onCommit,
}: {
  /** 'vertical': a vertical bar resizing columns; 'horizontal': a bar resizing rows. */
  orientation: 'vertical' | 'horizontal';
  value: number;
  min: number;
  max: number;
  cssVar: string;
  label: string;
  onCommit: (value: number) => void;
}) {
  const bar = useRef<HTMLDivElement>(null);
  const clamp = (v: number) => Math.min(max, Math.max(min, v));

  const fractionAt = (e: PointerEvent | React.PointerEvent) => {
    const area = bar.current?.parentElement;
    if (!area) return value;
    const box = area.getBoundingClientRect();
    return clamp(
      orientation === 'vertical'
        ? (e.clientX - box.left) / box.width
        : (e.clientY - box.top) / box.height,
    );
  };

  const onPointerDown = (e: React.PointerEvent) => {
    const area = bar.current?.parentElement;
    if (!area) return;
    e.preventDefault();
    bar.current!.setPointerCapture(e.pointerId);
    let latest = value;
    const move = (ev: PointerEvent) => {
      latest = fractionAt(ev);
      area.style.setProperty(cssVar, `${latest * 100}%`);
    };
    const up = () => {
      bar.current?.removeEventListener('pointermove', move);
      bar.current?.removeEventListener('pointerup', up);
      bar.current?.removeEventListener('pointercancel', up);
      onCommit(latest);
    };
    bar.current!.addEventListener('pointermove', move);
    bar.current!.addEventListener('pointerup', up);
    bar.current!.addEventListener('pointercancel', up);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = e.shiftKey ? 0.1 : 0.02;
    const less = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
    const more = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
    if (e.key === less) onCommit(clamp(value - step));
    else if (e.key === more) onCommit(clamp(value + step));
    else if (e.key === 'Home') onCommit(min);
    else if (e.key === 'End') onCommit(max);
    else return;
    e.preventDefault();
  };

  return (
    <div
      ref={bar}
      className={`splitter ${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuemin={Math.round(min * 100)}
      aria-valuemax={Math.round(max * 100)}
      aria-valuenow={Math.round(value * 100)}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      data-testid={`splitter-${orientation}`}
    />
  );
}
