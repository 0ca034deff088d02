/**
 * The benchmark harness: figures, a registry entry type, a rate-measuring loop and the
 * report (table on stdout, bench-results.json at the repository root).
 *
 * A benchmark is a named async function returning figures. Each one is handed the figures
 * of the benchmarks that ran before it, so derived figures (ratios) are benchmarks too.
 * Add a benchmark by writing a module that exports one and listing it in run.ts.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Goal {
  /** The figure meets its goal when value >= min. */
  min: number;
  /** How the goal reads in the table, e.g. "≥ 5×". */
  text: string;
}

export interface Figure {
  /** Dotted name, the key in bench-results.json, e.g. `smtp.inmemory.tps`. */
  name: string;
  value: number;
  unit: string;
  /** A short remark printed in the table (spread, sample size, goal…); not written to JSON. */
  note?: string;
  goal?: Goal;
}

export interface Benchmark {
  /** Used to select benchmarks on the command line: `npm run bench -- smtp`. */
  name: string;
  description: string;
  /** Figures of earlier benchmarks this one derives from; it is skipped without them. */
  requires?: readonly string[];
  run(earlier: ReadonlyMap<string, Figure>): Promise<Figure[]>;
}

/** Nanoseconds since an arbitrary origin. */
export const now = (): bigint => process.hrtime.bigint();

export const seconds = (ns: bigint): number => Number(ns) / 1e9;

export interface RateOptions {
  /** Run the operation this long before measuring, to let the JIT settle. */
  warmupMs: number;
  /** Measured rounds; the reported rate is the median of the rounds. */
  rounds: number;
  roundMs: number;
}

export interface Rate {
  /** Median operations per second over the rounds. */
  median: number;
  min: number;
  max: number;
  /** Operations in all measured rounds. */
  operations: number;
  rounds: number;
}

/**
 * Operations per second of a synchronous operation. The clock is read once per batch of
 * operations, with the batch size chosen during warm-up so a batch takes about 10 ms.
 */
export function measureRate(operation: () => void, options: RateOptions): Rate {
  let batch = 1;
  const warmupEnd = now() + BigInt(options.warmupMs * 1e6);
  while (now() < warmupEnd) {
    const start = now();
    for (let i = 0; i < batch; i++) operation();
    const took = Number(now() - start);
    if (took < 5e6) batch *= 2;
    else if (took > 20e6 && batch > 1) batch = Math.max(1, Math.floor(batch / 2));
  }

  const rates: number[] = [];
  let operations = 0;
  for (let round = 0; round < options.rounds; round++) {
    const start = now();
    const end = start + BigInt(options.roundMs * 1e6);
    let done = 0;
    let at = start;
    while (at < end) {
      for (let i = 0; i < batch; i++) operation();
      done += batch;
      at = now();
    }
    rates.push(done / seconds(at - start));
    operations += done;
  }
  rates.sort((a, b) => a - b);
  return {
    median: rates[Math.floor(rates.length / 2)]!,
    min: rates[0]!,
    max: rates[rates.length - 1]!,
    operations,
    rounds: rates.length,
  };
}

/** "median of 5 rounds, range a–b" for a table note. */
export function spread(rate: Rate, scale = 1): string {
  return `median of ${rate.rounds} rounds, range ${format(rate.min * scale)}–${format(rate.max * scale)}`;
}

export function format(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Rounded for the JSON file: integers for large figures, three significant digits below. */
function rounded(value: number): number {
  if (Math.abs(value) >= 1000) return Math.round(value);
  return Number(value.toPrecision(3));
}

export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return (
    `Node ${process.version} on ${process.platform}/${process.arch}, ` +
    `${cpus.length} CPUs (available parallelism ${os.availableParallelism()}), ${model}`
  );
}

export function goalStatus(figure: Figure): string {
  if (!figure.goal) return '';
  const met = figure.value >= figure.goal.min;
  return `goal ${figure.goal.text}: ${met ? 'met' : 'NOT MET'}`;
}

export function printTable(figures: readonly Figure[]): void {
  const rows = figures.map((f) => [
    f.name,
    format(f.value),
    f.unit,
    [goalStatus(f), f.note].filter(Boolean).join('; '),
  ]);
  const header = ['figure', 'value', 'unit', 'notes'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** bench-results.json: `{ [name]: { value, unit } }` (DESIGN.md, Tests). */
export function writeResults(path: URL, figures: readonly Figure[]): void {
  const out: Record<string, { value: number; unit: string }> = {};
  for (const f of figures) out[f.name] = { value: rounded(f.value), unit: f.unit };
  writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`);
}
