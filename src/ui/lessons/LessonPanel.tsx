/**
 * The lesson view: the course map with progress, the current lesson (LessonView), and the
 * progress kept in localStorage, exported to a file and imported from one. Lesson files
 * are parsed, stored progress read and checks evaluated in the lesson worker (./core.ts);
 * the light progress updates run here.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
// Types only: the lesson parser runs in the worker.
import type { Course } from '../../lessons/course';
import {
  exportProgress,
  lessonStatus,
  loadProgress,
  goToStep,
  openLesson,
  reconcile,
  saveProgress,
  type Progress,
  type ProgressStorage,
} from '../../lessons/progress';
import { core } from './core';
import { LessonView } from './LessonView';
import { ProgressFiles } from './ProgressFiles';
import './lessons.css';

const FILES = import.meta.glob<string>('/lessons/*.md', { query: '?raw', import: 'default' });

/** localStorage, reached lazily: a browser that disables it throws on the first access. */
const storage: ProgressStorage = {
  getItem: (key) => globalThis.localStorage.getItem(key),
  setItem: (key, value) => globalThis.localStorage.setItem(key, value),
};

/** Progress files are a few kilobytes; anything this big is not one. */
const MAX_IMPORT_BYTES = 5_000_000;

interface Notice {
  text: string;
  error: boolean;
  /** A failed save: the next successful one clears it. */
  save?: boolean;
  /** The progress before an import, for "Undo". */
  undo?: Progress;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function loadLessons(): Promise<Course> {
  const files = await Promise.all(
    Object.entries(FILES).map(async ([path, load]) => ({
      name: path.slice(1),
      text: await load(),
    })),
  );
  return core.course(files);
}

/** "3 lessons started, 12 steps done, 5 quiz answers". */
function summary(progress: Progress): string {
  const lessons = Object.values(progress.lessons);
  const steps = lessons.reduce((n, l) => n + l.completed.length, 0);
  const answers = lessons.reduce((n, l) => n + l.quizAnswers.filter(Boolean).length, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(lessons.length, 'lesson')} started, ${plural(steps, 'step')} done, ${plural(answers, 'quiz answer')}`;
}

export default function LessonPanel() {
  const [course, setCourse] = useState<Course | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [progress, setProgress] = useState<Progress | undefined>();
  const [notice, setNotice] = useState<Notice | undefined>();
  // Bumped when progress is replaced as a whole (import, undo): the lesson view starts over.
  const [generation, setGeneration] = useState(0);
  const latest = useRef<Progress | undefined>(undefined);

  useEffect(() => {
    let live = true;
    Promise.all([loadLessons(), loadProgress(storage, core.progress)]).then(
      ([c, loaded]) => {
        let p = reconcile(loaded.progress, c.lessons);
        // A lesson link (?lesson=ID&step=N, as "Share" makes) opens that lesson at step N.
        const params = new URLSearchParams(location.search);
        const asked = c.lessons.find((l) => l.id === params.get('lesson'));
        if (asked) {
          p = openLesson(p, asked.id);
          const step = Number(params.get('step'));
          if (Number.isInteger(step) && step >= 1) p = goToStep(p, asked, step - 1);
        }
        if (!live) return;
        latest.current = p;
        setCourse(c);
        setProgress(p);
        if (loaded.notice) setNotice({ text: loaded.notice, error: true });
      },
      (e: unknown) => live && setLoadError(describe(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  /** Apply a change and keep the result in localStorage; false if it could not be saved. */
  const update = useCallback((change: (p: Progress) => Progress): boolean => {
    if (!latest.current) return false;
    let next: Progress;
    try {
      next = change(latest.current);
    } catch (error) {
      setNotice({ text: `Progress could not be updated (${describe(error)}).`, error: true });
      return false;
    }
    if (next === latest.current) return true;
    latest.current = next;
    setProgress(next);
    const saved = saveProgress(storage, next);
    if (saved.ok) setNotice((n) => (n?.save ? undefined : n));
    else setNotice({ text: saved.notice, error: true, save: true });
    return saved.ok;
  }, []);

  const replace = (next: Progress, text: string, undo?: Progress) => {
    const saved = update(() => next);
    setGeneration((g) => g + 1);
    if (saved) setNotice({ text, error: false, ...(undo ? { undo } : {}) });
  };

  const importFile = async (file: File) => {
    const refuse = (why: string) =>
      setNotice({
        text: `“${file.name}” was not imported: ${why}. Your progress is unchanged.`,
        error: true,
      });
    if (!course || !latest.current) return;
    if (file.size > MAX_IMPORT_BYTES) {
      return refuse(`it is ${Math.round(file.size / 1e6)} MB, far too big for a progress file`);
    }
    let incoming: Progress;
    try {
      incoming = reconcile(await core.progress(await file.text()), course.lessons);
    } catch (error) {
      return refuse(describe(error));
    }
    replace(incoming, `Imported “${file.name}”: ${summary(incoming)}.`, latest.current);
  };

  const exportFile = () => {
    if (!latest.current) return;
    const blob = new Blob([exportProgress(latest.current)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `smtp-lab-progress-${new Date().toISOString().slice(0, 10)}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  if (loadError) return <p className="error-text">The lessons could not be loaded: {loadError}</p>;
  if (!course || !progress) return <p className="muted loading">Loading the lessons…</p>;

  const lesson = course.lessons.find((l) => l.id === progress.currentLesson) ?? course.lessons[0];
  const broken = course.entries.filter((e) => e.errors.length > 0);

  return (
    <div className="lesson-panel" data-testid="lesson-panel">
      {notice && (
        <p
          className={`notice${notice.error ? ' error' : ''}`}
          role={notice.error ? 'alert' : 'status'}
          data-testid="lesson-notice"
        >
          {notice.text}{' '}
          {notice.undo && (
            <button
              type="button"
              data-testid="lesson-import-undo"
              onClick={() => replace(notice.undo!, 'The import was undone.')}
            >
              Undo
            </button>
          )}{' '}
          <button type="button" onClick={() => setNotice(undefined)}>
            OK
          </button>
        </p>
      )}
      <nav className="course-map" aria-label="Course">
        <ol>
          {course.lessons.map((l) => {
            const status = lessonStatus(progress, l);
            return (
              <li key={l.id} data-lesson-status={status}>
                <button
                  type="button"
                  className={l === lesson ? 'active' : ''}
                  aria-current={l === lesson ? 'true' : undefined}
                  data-testid={`lesson-open-${l.id}`}
                  onClick={() => update((p) => openLesson(p, l.id))}
                >
                  <span className="lesson-title">
                    {l.order}. {l.title}
                  </span>{' '}
                  <span className="muted">{l.minutes} min</span>
                  {status === 'complete' && (
                    <span className="done-mark">
                      {' '}
                      <span aria-hidden="true">✓</span>
                      <span className="sr-only"> (done)</span>
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ol>
        {broken.length > 0 && (
          <p className="muted">
            {broken.length} lesson file{broken.length > 1 ? 's have' : ' has'} errors and
            {broken.length > 1 ? ' are' : ' is'} not shown.
          </p>
        )}
        <ProgressFiles onExport={exportFile} onImport={(f) => void importFile(f)} />
      </nav>
      {lesson ? (
        <LessonView
          key={`${lesson.id}#${generation}`}
          lesson={lesson}
          progress={progress}
          update={update}
          course={course}
        />
      ) : (
        <p className="muted">There are no lessons.</p>
      )}
    </div>
  );
}
