/**
 * `lab lessons check [DIR]`: validate every lesson in DIR (default `lessons`) — front
 * matter, steps, checks, scenario names, links, the course's ids, orders and prerequisites
 * — and play each reference solution headlessly. One line per lesson; exit code 1 if any
 * lesson fails, 2 for bad usage.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isLessonFile, loadCourse, runLesson } from '../lessons';

export const LESSONS_USAGE = 'usage: lab lessons check [DIR]';

export async function lessonsCommand(args: string[]): Promise<number> {
  const [sub, dirArg, ...extra] = args;
  if (sub !== 'check' || extra.length > 0 || dirArg?.startsWith('-')) {
    process.stderr.write(
      `lab lessons: ${sub === undefined ? 'missing command' : `unexpected arguments`}\n${LESSONS_USAGE}\n`,
    );
    return 2;
  }
  const dir = (dirArg ?? 'lessons').replace(/\/+$/, '');
  let names: string[];
  try {
    names = readdirSync(dir).filter(isLessonFile).sort();
  } catch (error) {
    process.stderr.write(
      `lab lessons: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
  if (names.length === 0) {
    process.stderr.write(`lab lessons: no lesson files (*.md) in ${dir}\n`);
    return 1;
  }
  const course = loadCourse(
    names.map((name) => ({ name: `${dir}/${name}`, text: readFileSync(`${dir}/${name}`, 'utf8') })),
  );

  let failed = 0;
  for (const entry of course.entries) {
    if (!entry.lesson) {
      failed++;
      process.stdout.write(`✗ ${entry.file}: ${entry.errors.length} problem(s)\n`);
      for (const error of entry.errors) process.stdout.write(`    ${error}\n`);
      continue;
    }
    const { lesson } = entry;
    const run = runLesson(lesson);
    if (run.failure) {
      failed++;
      const { step, title, message } = run.failure;
      const [first, ...rest] = message.split('\n');
      process.stdout.write(`✗ ${entry.file}: step ${step} (${title}): ${first}\n`);
      for (const line of rest) process.stdout.write(`  ${line}\n`);
    } else {
      process.stdout.write(
        `✓ ${entry.file}: ${lesson.order}. ${lesson.title} (${lesson.steps.length} steps, ${lesson.minutes} min)\n`,
      );
    }
  }
  const total = course.entries.length;
  process.stdout.write(
    failed === 0
      ? `${total} lesson(s): all valid, every reference solution passes its checks\n`
      : `${failed} of ${total} lesson(s) failed\n`,
  );
  return failed === 0 ? 0 : 1;
}
