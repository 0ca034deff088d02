/**
 * The course: every lesson file parsed, then checked against the others — unique ids
 * and orders, prerequisites that exist and come earlier, links to lesson files that exist.
 */
import { parseLesson, isLessonFile, markdownOf, type Lesson } from './lesson';
import { linkTargets } from './markdown';

export interface LessonFile {
  /** The name the lesson is known by in messages, e.g. `lessons/01-hello-smtp.md`. */
  name: string;
  text: string;
}

export interface CourseEntry {
  file: string;
  lesson?: Lesson;
  /** Everything wrong with this file, alone or against the rest of the course. */
  errors: string[];
}

export interface Course {
  /** One entry per lesson file, in course order (files that failed to parse last). */
  entries: CourseEntry[];
  /** The lessons without errors, in course order. */
  lessons: Lesson[];
}

export function loadCourse(files: readonly LessonFile[]): Course {
  const parsed = files
    .filter((f) => isLessonFile(f.name))
    .map((f) => {
      const result = parseLesson(f.name, f.text);
      return result.ok
        ? { file: f.name, lesson: result.lesson, front: result.lesson, errors: [] as string[] }
        : { file: f.name, lesson: undefined, front: result.front, errors: result.errors };
    });
  // Lessons with errors still take part, by their front matter, when that was valid.
  const known = parsed.filter(
    (e): e is (typeof parsed)[number] & { front: { id: string; order: number } } => !!e.front,
  );

  for (const key of ['id', 'order'] as const) {
    for (const entry of known) {
      const others = known.filter((o) => o !== entry && o.front[key] === entry.front[key]);
      if (others.length > 0) {
        entry.errors.push(
          `${entry.file}: front matter ${key}: ${JSON.stringify(entry.front[key])} is also the ${key} of ${others.map((o) => o.file).join(', ')}`,
        );
      }
    }
  }

  const orderOf = new Map(known.map((e) => [e.front.id, e.front.order]));
  const baseName = (name: string) => name.split('/').pop()!;
  const lessonFiles = new Set(parsed.map((e) => baseName(e.file)));
  for (const entry of parsed) {
    const { lesson } = entry;
    if (!lesson) continue;
    lesson.prerequisites.forEach((id, i) => {
      const where = `${entry.file}: front matter prerequisites[${i}]`;
      const order = orderOf.get(id);
      if (order === undefined) entry.errors.push(`${where}: no lesson with id "${id}"`);
      else if (order >= lesson.order) {
        entry.errors.push(
          `${where}: "${id}" (order ${order}) does not come before this lesson (order ${lesson.order})`,
        );
      }
    });
    for (const { where, markdown } of markdownOf(lesson)) {
      for (const target of linkTargets(markdown)) {
        const problem = linkProblem(target, lessonFiles);
        if (problem) entry.errors.push(`${entry.file}: ${where}: link "${target}" ${problem}`);
      }
    }
  }

  const entries: CourseEntry[] = parsed.map((e) =>
    e.lesson && e.errors.length === 0
      ? { file: e.file, lesson: e.lesson, errors: [] }
      : { file: e.file, errors: e.errors },
  );
  const order = (file: string) =>
    parsed.find((e) => e.file === file)?.front?.order ?? Number.POSITIVE_INFINITY;
  entries.sort((a, b) => order(a.file) - order(b.file) || a.file.localeCompare(b.file));
  return { entries, lessons: entries.flatMap((e) => (e.lesson ? [e.lesson] : [])) };
}

/**
 * Links may go to the web (`https://…`, `mailto:`), to an anchor in the same lesson, or to
 * another lesson by its file name (`02-ehlo.md`, optionally with `#anchor`).
 */
function linkProblem(target: string, lessonFiles: ReadonlySet<string>): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return undefined;
  const path = target.split('#')[0]!;
  if (!path.endsWith('.md')) {
    return 'goes to a file the lesson panel cannot show (link to a lesson file or a full https:// address)';
  }
  if (path.includes('/'))
    return 'should name a lesson file without a directory, e.g. 01-hello-smtp.md';
  return lessonFiles.has(path) ? undefined : 'goes to no lesson file in the course';
}
