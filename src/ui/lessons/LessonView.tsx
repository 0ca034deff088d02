import { useCallback, useEffect, useRef, useState } from 'react';
import type { Course } from '../../lessons/course';
import type { Lesson } from '../../lessons/lesson';
import {
  answerQuiz,
  clearQuizAnswer,
  completeStep,
  goToStep,
  lessonProgress,
  openLesson,
  resetLesson,
  revealHint,
  setHistory,
  type Progress,
} from '../../lessons/progress';
import { firstHost, useLab } from '../../store/labStore';
import { useLayout } from '../../store/layout';
import { core } from './core';
import { Markdown } from './Markdown';
import { Quiz } from './Quiz';
import { TimeHelp } from './TimeHelp';
import { useTerminalHistory } from './useTerminalHistory';

/** Pause between lines typed by "show me", so the learner can follow. */
const SHOW_ME_DELAY_MS = 200;

/**
 * One lesson: its steps (each completes by itself when its check holds on the trace since
 * the step began), hints on demand, "show me", "reset lesson", the time help of a step
 * that waits on virtual time, then the recap and the quiz.
 */
export function LessonView({
  lesson,
  progress,
  update,
  course,
}: {
  lesson: Lesson;
  progress: Progress;
  /** Apply a change to the progress and keep it; the function keeps its identity. */
  update: (change: (p: Progress) => Progress) => void;
  course: Course;
}) {
  const mine = lessonProgress(progress, lesson.id);
  const [shown, setShown] = useState(() => Math.min(mine.currentStep, lesson.steps.length));
  const [playing, setPlaying] = useState(false);
  const scenario = useLab((s) => s.scenario);
  const rightWorld = scenario === lesson.scenario;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => void (mounted.current = false);
  }, []);

  const saveHistory = useCallback(
    (host: string, lines: string[]) => update((p) => setHistory(p, lesson.id, host, lines)),
    [update, lesson.id],
  );
  useTerminalHistory(lesson.id, mine.history, saveHistory, rightWorld);

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
            update((p) => completeStep(p, lesson, shown));
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
  }, [step, done, rightWorld, lesson, shown, update]);

  const go = (i: number) => {
    setShown(i);
    update((p) => goToStep(p, lesson, i));
  };

  const reloadInto = () => {
    const url = new URL(location.href);
    url.searchParams.set('scenario', lesson.scenario);
    url.searchParams.set('lesson', lesson.id);
    location.assign(url.toString());
  };

  const reset = () => {
    update((p) => resetLesson(p, lesson.id));
    setShown(0);
    if (rightWorld) useLab.getState().reset();
    else reloadInto();
  };

  const showMe = async () => {
    if (!step || playing) return;
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
      for (const s of step.script) {
        await new Promise((r) => setTimeout(r, SHOW_ME_DELAY_MS));
        if (!mounted.current) return;
        const state = useLab.getState();
        if (s.kind === 'host') {
          host = s.host;
          show(host);
        } else if (s.kind === 'wait') {
          state.skipTo(state.runtime.now + s.ms);
        } else if (s.kind === 'type') {
          state.input(host, s.text + '\r');
        }
        // Captions and pauses are for presenting demos; a lesson's solution has none.
      }
    } finally {
      if (mounted.current) setPlaying(false);
    }
  };

  const hintsShown = step ? Math.min(mine.hintsRevealed[shown] ?? 0, step.hints.length) : 0;
  const openFile = (file: string) => {
    const target = course.entries.find((e) => e.file.split('/').pop() === file)?.lesson;
    if (target) update((p) => openLesson(p, target.id));
  };
  const quizDone = lesson.quiz.every((_, i) => mine.quizAnswers[i]);
  const atRecap = shown === lesson.steps.length;

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
                {state === 'done' && <span className="sr-only"> (done)</span>}
              </button>
            </li>
          );
        })}
        <li
          data-testid="lesson-step-recap"
          data-step-state={quizDone ? 'done' : atRecap ? 'current' : 'todo'}
        >
          <button
            type="button"
            aria-current={atRecap ? 'step' : undefined}
            onClick={() => go(lesson.steps.length)}
          >
            <span aria-hidden="true">{quizDone ? '✓' : atRecap ? '▸' : '○'}</span> Recap and quiz
          </button>
        </li>
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
          {!done && step.waitMs > 0 && <TimeHelp waitMs={step.waitMs} />}
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
                onClick={() => update((p) => revealHint(p, lesson, shown).progress)}
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
        <>
          <section className="lesson-step" data-testid="lesson-recap">
            <h4>Recap</h4>
            <Markdown source={lesson.recap} onLessonLink={openFile} />
          </section>
          <Quiz
            lesson={lesson}
            progress={mine}
            onAnswer={(q, picked) => update((p) => answerQuiz(p, lesson, q, picked).progress)}
            onClear={(q) => update((p) => clearQuizAnswer(p, lesson, q))}
            onLessonLink={openFile}
          />
        </>
      )}
    </article>
  );
}
