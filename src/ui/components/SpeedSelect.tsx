import { SPEEDS, useLab } from '../../store/labStore';

/** The picker of how fast virtual time plays, under a visible caption. */
export function SpeedSelect({
  className,
  caption,
  label,
  testId,
}: {
  className: string;
  caption: string;
  /** The select's accessible name. */
  label: string;
  testId: string;
}) {
  const speed = useLab((s) => s.speed);
  return (
    <label className={className}>
      <span>{caption}</span>
      <select
        value={speed}
        onChange={(e) => useLab.getState().setSpeed(Number(e.target.value))}
        aria-label={label}
        data-testid={testId}
      >
        {SPEEDS.map((s) => (
          <option key={s} value={s}>
            {s}×
          </option>
        ))}
      </select>
    </label>
  );
}
