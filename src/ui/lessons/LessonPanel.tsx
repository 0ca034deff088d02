/**
 * The lesson view: the course map, the current lesson and step (instructions, hints on
 * demand, "show me", "reset lesson", "next"), steps completed automatically when their
 * check holds on the trace since the step began, and progress kept in localStorage.
 * Everything here (lesson files, marked, DOMPurify, zod) is in the view's lazy chunk.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
// Types only: the lesson core runs in a worker (./core.ts says why).
import type { Course } from '../../lessons/course';
import type { Lesson } from '../../lessons/lesson';
import type { LessonProgress, Progress } from '../../lessons/progress';
import { core, type Update } from './core';
import { parseSolution } from './solution';
import { firstHost, useLab } from '../../store/labStore';
import { useLayout } from '../../store/layout';
import { Markdown } from './Markdown';
import './lessons.css';

const FILES = import.meta.glob<string>('/lessons/*.md', { query: '?raw', import: 'default' });

const STORAGE_KEY = 'smtp-lab.progress'; // as src/lessons/progress.ts

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** As lessonProgress and lessonStatus in src/lessons/progress.ts (kept off the worker). */
function lessonProgress(progress: Progress, id: string): LessonProgress {
  return (
    progress.lessons[id] ?? {
      currentStep: 0,
      completed: [],
      hintsRevealed: [],
      quizAnswers: [],
      history: {},
    }
  );
}
function lessonStatus(progress: Progress, lesson: Lesson): string {
  const l = progress.lessons[lesson.id];
  if (!l || (l.completed.length === 0 && l.currentStep === 0)) return 'not-started';
  return lesson.steps.every((_, i) => l.completed.includes(i)) ? 'complete' : 'in-progress';
}

/** Pause between lines typed by "show me", so the learner can follow. */
const SHOW_ME_DELAY_MS = 200;

async function loadLessons(): Promise<Course> {
  const files = await Promise.all(
    Object.entries(FILES).map(async ([path, load]) => ({
      name: path.slice(1),
      text: await load(),
    })),
  );
  return core.course(files);
}

async function loadStored(): Promise<{ progress: Progress; notice?: string }> {
  let text: string | null = null;
  try {
    text = globalThis.localStorage.getItem(STORAGE_KEY);
  } catch (error) {
    return core.load(null, describe(error));
  }
  return core.load(text);
}

function lessonFromUrl(): string | null {
  return new URLSearchParams(location.search).get('lesson');
}

export default function LessonPanel() {
  const [course, setCourse] = useState<Course | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [progress, setProgress] = useState<Progress | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const latest = useRef<Progress | undefined>(undefined);
  useEffect(() => {
    let live = true;
    Promise.all([loadLessons(), loadStored()]).then(
      async ([c, loaded]) => {
        let p = loaded.progress;
        const asked = lessonFromUrl();
        if (asked && c.lessons.some((l) => l.id === asked)) {
          p = (await core.update(p, { op: 'open', lessonId: asked })).progress;
        }
        if (!live) return;
        latest.current = p;
        setCourse(c);
        setProgress(p);
        setNotice(loaded.notice);
      },
      (e: unknown) => live && setLoadError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  const queue = useRef<Promise<void>>(Promise.resolve());
  /** Apply an update in the worker, then keep the result in localStorage; in order. */
  const save = useCallback((update: Update) => {
    queue.current = queue.current.then(async () => {
      if (!latest.current) return;
      try {
        const { progress: next, text } = await core.update(latest.current, update);
        latest.current = next;
        setProgress(next);
        try {
          globalThis.localStorage.setItem(STORAGE_KEY, text);
          setNotice(undefined);
        } catch (error) {
          setNotice(
            `Progress could not be saved (${describe(error)}). It is kept for this visit only.`,
          );
        }
      } catch (error) {
        setNotice(`Progress could not be updated (${describe(error)}).`);
      }
    });
  }, []);

  if (loadError) return <p className="error-text">The lessons could not be loaded: {loadError}</p>;
  if (!course || !progress) return <p className="muted loading">Loading the lessons…</p>;

  const lesson = course.lessons.find((l) => l.id === progress.currentLesson) ?? course.lessons[0];
  const broken = course.entries.filter((e) => e.errors.length > 0);

  return (
    <div className="lesson-panel" data-testid="lesson-panel">
      {notice && (
        <p className="notice error" role="alert" data-testid="lesson-notice">
          {notice}
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
                  onClick={() => save({ op: 'open', lessonId: l.id })}
                >
                  <span className="lesson-title">
                    {l.order}. {l.title}
                  </span>{' '}
                  <span className="muted">{l.minutes} min</span>
                  {status === 'complete' && (
                    <span className="done-mark" aria-label="done">
                      {' '}
                      ✓
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
      </nav>
      {lesson ? (
        <LessonView
          key={lesson.id}
          lesson={lesson}
          progress={progress}
          save={save}
          course={course}
        />
      ) : (
        <p className="muted">There are no lessons.</p>
      )}
    </div>
  );
}

function LessonView({
  lesson,
  progress,
  save,
  course,
}: {
  lesson: Lesson;
  progress: Progress;
  save: (update: Update) => void;
  course: Course;
}) {
  const mine = lessonProgress(progress, lesson.id);
  const [shown, setShown] = useState(() => Math.min(mine.currentStep, lesson.steps.length));
  const [playing, setPlaying] = useState(false);
  const [showError, setShowError] = useState<string | undefined>();
  const scenario = useLab((s) => s.scenario);
  const rightWorld = scenario === lesson.scenario;

  const step = lesson.steps[shown];
  const done = mine.completed.includes(shown);

  // The check runs on the trace since the step began (a fresh world starts it over).
  useEffect(() => {
    if (!step || done || !rightWorld) return;
    let rt = useLab.getState().runtime;
    let generation = rt.generation;
    let since = rt.events.length;
    let version = -1;
    let completing = false;
    let stopped = false;
    const check = (s: { runtime: typeof rt; version: number }) => {
      if (s.version === version) return;
      version = s.version;
      if (s.runtime !== rt) {
        rt = s.runtime;
        generation = rt.generation;
        since = 0;
      } else if (rt.generation !== generation) {
        generation = rt.generation;
        since = Math.min(since, rt.events.length);
      }
      if (rt.events.length <= since || completing) return;
      core.check(step.check, rt.events, since).then(
        (holds) => {
          if (holds && !completing && !stopped) {
            completing = true;
            save({ op: 'complete', lesson, step: shown });
          }
        },
        (error: unknown) => console.error('lesson check failed', error),
      );
    };
    const unsubscribe = useLab.subscribe(check);
    return () => {
      stopped = true;
      unsubscribe();
    };
  }, [step, done, rightWorld, lesson, shown, save]);

  const go = (i: number) => {
    setShown(i);
    save({ op: 'goto', lesson, step: i });
  };

  const reloadInto = () => {
    const url = new URL(location.href);
    url.searchParams.set('scenario', lesson.scenario);
    url.searchParams.set('lesson', lesson.id);
    location.assign(url.toString());
  };

  const reset = () => {
    save({ op: 'reset', lessonId: lesson.id });
    setShown(0);
    if (rightWorld) useLab.getState().reset();
    else reloadInto();
  };

  const showMe = async () => {
    if (!step || playing) return;
    setShowError(undefined);
    let steps;
    try {
      steps = parseSolution(step.solution, `${lesson.file}: step ${shown + 1}`);
    } catch (e) {
      setShowError(e instanceof Error ? e.message : String(e));
      return;
    }
    setPlaying(true);
    try {
      const lab = useLab.getState();
      // The reference solutions start on the scenario's first workstation.
      let host = firstHost(lab.runtime.scenario);
      const show = (h: string) => {
        const l = useLayout.getState();
        const shownTabs = l.terminals.length ? l.terminals : [firstHost(lab.runtime.scenario)];
        useLab.getState().openTerminal(h);
        l.showTerminal(h, shownTabs);
      };
      show(host);
      for (const s of steps) {
        await new Promise((r) => setTimeout(r, SHOW_ME_DELAY_MS));
        const state = useLab.getState();
        if (s.kind === 'host') {
          host = s.host;
          show(host);
        } else if (s.kind === 'wait') {
          state.seek(state.runtime.now + s.ms);
        } else {
          state.input(host, s.text + '\r');
        }
      }
    } finally {
      setPlaying(false);
    }
  };

  const hintsShown = step ? Math.min(mine.hintsRevealed[shown] ?? 0, step.hints.length) : 0;
  const openFile = (file: string) => {
    const target = course.entries.find((e) => e.file.split('/').pop() === file)?.lesson;
    if (target) save({ op: 'open', lessonId: target.id });
  };

  return (
    <article
      className="lesson"
      data-testid="lesson"
      data-lesson={lesson.id}
      data-current-step={shown}
    >
      <header className="lesson-header">
        <h3>
          {lesson.title} <span className="muted">· {lesson.minutes} min</span>
        </h3>
        <button type="button" onClick={reset} data-testid="lesson-reset">
          Reset lesson
        </button>
      </header>
      {!rightWorld && (
        <p className="notice" data-testid="lesson-scenario-notice">
          This lesson runs in the scenario “{lesson.scenario}” (the lab shows “{scenario}”).{' '}
          <button type="button" onClick={reloadInto}>
            Load it
          </button>
        </p>
      )}
      <ol className="lesson-steps" aria-label="Steps">
        {lesson.steps.map((s, i) => {
          const state = mine.completed.includes(i) ? 'done' : i === shown ? 'current' : 'todo';
          return (
            <li key={i} data-testid={`lesson-step-${i}`} data-step-state={state}>
              <button
                type="button"
                aria-current={i === shown ? 'step' : undefined}
                onClick={() => go(i)}
              >
                <span aria-hidden="true">{state === 'done' ? '✓' : i === shown ? '▸' : '○'}</span>{' '}
                {s.title}
              </button>
            </li>
          );
        })}
      </ol>
      {shown === 0 && !done && mine.completed.length === 0 && (
        <Markdown source={lesson.intro} onLessonLink={openFile} className="lesson-intro" />
      )}
      {step ? (
        <section
          className="lesson-step"
          data-testid="lesson-current-step"
          data-step={shown}
          data-step-state={done ? 'done' : 'current'}
          aria-label={`Step ${shown + 1}: ${step.title}`}
        >
          <h4>
            Step {shown + 1} of {lesson.steps.length}: {step.title}
          </h4>
          <Markdown source={step.instructions} onLessonLink={openFile} />
          {step.hints.slice(0, hintsShown).map((h, i) => (
            <div key={i} className="lesson-hint" data-testid={`lesson-hint-${i}`}>
              <strong>Hint {i + 1}</strong>
              <Markdown source={h} onLessonLink={openFile} />
            </div>
          ))}
          <div className="toolbar lesson-actions">
            {!done && hintsShown < step.hints.length && (
              <button
                type="button"
                data-testid="lesson-hint"
                onClick={() => save({ op: 'hint', lesson, step: shown })}
              >
                {hintsShown === 0 ? 'Hint' : 'Another hint'} ({hintsShown}/{step.hints.length})
              </button>
            )}
            {!done && (
              <button
                type="button"
                data-testid="lesson-show-me"
                disabled={playing || !rightWorld}
                onClick={() => void showMe()}
              >
                {playing ? 'Typing…' : 'Show me'}
              </button>
            )}
          </div>
          {showError && <p className="error-text">{showError}</p>}
          {done && (
            <div className="lesson-success" data-testid="lesson-explain">
              <p>
                <strong>✓ Done.</strong>
              </p>
              <Markdown source={step.explain} onLessonLink={openFile} />
              <button
                type="button"
                data-testid="lesson-next"
                onClick={() => go(Math.min(mine.currentStep, lesson.steps.length))}
              >
                {shown + 1 < lesson.steps.length ? 'Next' : 'Finish'}
              </button>
            </div>
          )}
        </section>
      ) : (
        <section className="lesson-step" data-testid="lesson-recap">
          <h4>Recap</h4>
          <Markdown source={lesson.recap} onLessonLink={openFile} />
        </section>
      )}
    </article>
  );
}
