/**
 * A step's reference solution in the `lab run` script form, read for "show me": each line
 * is typed followed by Enter, `#! host NAME` moves typing to NAME, `#! wait DURATION`
 * advances virtual time. (The same form as src/shell/script.ts, which is not imported so
 * that the shell stays out of this lazy chunk's shared graph.)
 */
export type SolutionStep =
  { kind: 'type'; text: string } | { kind: 'host'; host: string } | { kind: 'wait'; ms: number };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "2h", "500ms" → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  return m ? Number(m[1]) * UNITS[m[2] ?? 's']! : undefined;
}

export function parseSolution(script: string, source: string): SolutionStep[] {
  const lines = script.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((text, i) => {
    if (!text.startsWith('#!')) return { kind: 'type', text };
    const [directive, ...args] = text.slice(2).trim().split(/\s+/);
    if (directive === 'host' && args.length === 1) return { kind: 'host', host: args[0]! };
    const ms = directive === 'wait' && args.length === 1 ? parseDuration(args[0]!) : undefined;
    if (ms !== undefined) return { kind: 'wait', ms };
    throw new Error(`${source}:${i + 1}: cannot play "${text}"`);
  });
}
