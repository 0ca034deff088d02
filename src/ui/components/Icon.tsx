/** A 16×16 icon drawn from one SVG path, hidden from assistive technology. */
export function Icon({ d }: { d: string }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={d} />
    </svg>
  );
}
