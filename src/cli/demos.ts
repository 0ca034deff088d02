/**
 * `lab demos check [DIR]`: validate every demo in DIR (default `src/demos`) — header,
 * directives, hosts, expectations, unique ids — and play each one headlessly, checking its
 * `#! expect` lines. One line per demo; exit code 1 if any fails (naming the file and the
 * line), 2 for bad usage. `lab demos run FILE` prints what the terminals show.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseExpectation, runDemo } from '../demos/check';
import { isDemoFile, parseDemo, type Demo } from '../demos/demo';

export const DEMOS_USAGE = 'usage: lab demos check [DIR]\n       lab demos run FILE';

export async function demosCommand(args: string[]): Promise<number> {
  const [sub, arg, ...extra] = args;
  const usage = (why: string) => {
    process.stderr.write(`lab demos: ${why}\n${DEMOS_USAGE}\n`);
    return 2;
  };
  if (extra.length > 0 || arg?.startsWith('-')) return usage('unexpected arguments');
  if (sub === 'run') return arg ? runOne(arg) : usage('run needs a demo file');
  if (sub !== 'check')
    return usage(sub === undefined ? 'missing command' : `unknown command "${sub}"`);

  const dir = (arg ?? 'src/demos').replace(/\/+$/, '');
  let names: string[];
  try {
    names = readdirSync(dir).filter(isDemoFile).sort();
  } catch (error) {
    process.stderr.write(`lab demos: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (names.length === 0) {
    process.stderr.write(`lab demos: no demo files (*.demo) in ${dir}\n`);
    return 1;
  }
  let failed = 0;
  const ids = new Map<string, string>();
  for (const name of names) {
    const file = `${dir}/${name}`;
    const problems = validate(file, readFileSync(file, 'utf8'));
    if ('errors' in problems) {
      failed++;
      process.stdout.write(`✗ ${file}: ${problems.errors.length} problem(s)\n`);
      for (const error of problems.errors) process.stdout.write(`    ${error}\n`);
      continue;
    }
    const { demo } = problems;
    const other = ids.get(demo.id);
    if (other) {
      failed++;
      process.stdout.write(`✗ ${file}:1: the id "${demo.id}" is taken by ${other}\n`);
      continue;
    }
    ids.set(demo.id, file);
    const run = runDemo(demo);
    if (run.failure) {
      failed++;
      process.stdout.write(`✗ ${run.failure.message}\n`);
      const tail = run.output.trimEnd().split('\n').slice(-12);
      for (const line of tail) process.stdout.write(`  | ${line}\n`);
    } else {
      process.stdout.write(
        `✓ ${file}: ${demo.id} (${demo.captions.length} captions, ${run.passed} expectations hold)\n`,
      );
    }
  }
  process.stdout.write(
    failed === 0
      ? `${names.length} demo(s): all valid, every expectation holds\n`
      : `${failed} of ${names.length} demo(s) failed\n`,
  );
  return failed === 0 ? 0 : 1;
}

/** Parse a demo file and its expectations; every problem names the file and line. */
function validate(file: string, text: string): { demo: Demo } | { errors: string[] } {
  const parsed = parseDemo(file, text);
  if (!parsed.ok) return { errors: parsed.errors };
  const errors = parsed.demo.captions
    .flatMap((c) => c.parts.flat())
    .flatMap((step) => {
      if (step.kind !== 'expect') return [];
      const result = parseExpectation(step.check);
      return 'error' in result ? [`${file}:${step.line}: bad expectation: ${result.error}`] : [];
    });
  return errors.length > 0 ? { errors } : { demo: parsed.demo };
}

function runOne(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`lab demos: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const checked = validate(file, text);
  if ('errors' in checked) {
    for (const error of checked.errors) process.stderr.write(`lab demos: ${error}\n`);
    return 2;
  }
  const run = runDemo(checked.demo);
  process.stdout.write(run.output);
  if (run.failure) {
    process.stderr.write(`lab demos: ${run.failure.message}\n`);
    return 1;
  }
  return 0;
}
