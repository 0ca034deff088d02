/** Virtual time as people read it: wall-clock times counted from the scenario's epoch. */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "09:00:15.250" (UTC, as the scenario's epoch is). */
export function clockTime(epoch: number, t: number, millis = true): string {
  const d = new Date(epoch + t);
  const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return millis ? `${hms}.${pad(d.getUTCMilliseconds(), 3)}` : hms;
}

/** syslog's timestamp: "Jan  5 09:00:00" (day padded with a space, RFC 3164). */
export function syslogTime(epoch: number, t: number): string {
  const d = new Date(epoch + t);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${clockTime(epoch, t, false)}`;
}

/** A short duration: "250 ms", "30 s", "4 min 30 s", "2 h 5 min". */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  if (abs < 60_000) return `${Number((abs / 1000).toFixed(abs < 10_000 ? 2 : 1))} s`;
  if (abs < 3_600_000) {
    const m = Math.floor(abs / 60_000);
    const s = Math.round((abs % 60_000) / 1000);
    return s ? `${m} min ${s} s` : `${m} min`;
  }
  const h = Math.floor(abs / 3_600_000);
  const m = Math.round((abs % 3_600_000) / 60_000);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** "+15.25 s" since the world started. */
export function sinceStart(t: number): string {
  return t === 0 ? '0 s' : `+${duration(t)}`;
}
