/**
 * `npm run bench`: runs every registered benchmark in one process, prints a table and
 * writes bench-results.json at the repository root (DESIGN.md, Tests).
 *
 *   npm run bench                 all benchmarks
 *   npm run bench -- smtp.inmemory   only benchmarks whose name starts with an argument
 *
 * To add figures, export a Benchmark from a module in this folder and list it in
 * BENCHMARKS; a benchmark that derives figures from others goes after them.
 */
import {
  type Benchmark,
  type Figure,
  describeMachine,
  format,
  now,
  printTable,
  seconds,
  writeResults,
} from './harness';
import { inMemory } from './inmemory';
import { inMemoryVsSmtpServer } from './ratios';
import { smtpServer } from './smtp-server';
import { web } from './web';
import { worldE2e } from './world';
import { protocolFloor } from './floor';
import { traceFloor } from './trace-floor';

export const BENCHMARKS: readonly Benchmark[] = [
  inMemory,
  smtpServer,
  inMemoryVsSmtpServer,
  worldE2e,
  protocolFloor,
  traceFloor,
  web,
];

const RESULTS = new URL('../../bench-results.json', import.meta.url);

async function main(): Promise<void> {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const selected = BENCHMARKS.filter(
    (b) => filters.length === 0 || filters.some((f) => b.name.startsWith(f)),
  );
  if (selected.length === 0) {
    throw new Error(`no benchmark matches ${filters.join(', ')}; have ${names(BENCHMARKS)}`);
  }

  console.log(describeMachine());
  const figures = new Map<string, Figure>();
  const failures: string[] = [];
  const start = now();
  for (const benchmark of selected) {
    const missing = (benchmark.requires ?? []).filter((name) => !figures.has(name));
    if (missing.length > 0) {
      console.log(`skipping ${benchmark.name}: no ${missing.join(', ')} in this run`);
      continue;
    }
    const began = now();
    process.stdout.write(`running ${benchmark.name}: ${benchmark.description} … `);
    try {
      for (const figure of await benchmark.run(figures)) {
        if (figures.has(figure.name)) throw new Error(`figure ${figure.name} reported twice`);
        figures.set(figure.name, figure);
      }
      console.log(`${format(seconds(now() - began))} s`);
    } catch (error) {
      console.log('FAILED');
      console.error(error);
      failures.push(benchmark.name);
    }
  }

  console.log();
  printTable([...figures.values()]);
  writeResults(RESULTS, [...figures.values()]);
  console.log();
  console.log(
    `${figures.size} figures in ${format(seconds(now() - start))} s, written to bench-results.json`,
  );
  if (failures.length > 0) {
    console.error(`failed: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

function names(list: readonly Benchmark[]): string {
  return list.map((b) => b.name).join(', ');
}

await main();
