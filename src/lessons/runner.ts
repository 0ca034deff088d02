/**
 * The headless runner: a fresh lab from the lesson's scenario, each step's reference
 * solution typed in turn (terminals carry over between steps, as for a learner), and the
 * step's check evaluated on the events recorded since the step began. A check that already
 * holds before its solution runs is a failure too: the step would complete by itself.
 */
import { builtInScenario } from '../engine/scenario';
import type { TraceEvent } from '../engine/trace';
import { Lab } from '../shell/lab';
import { ScriptError, ScriptRunner } from '../shell/script';
import { describeCheck, evaluateCheck } from './check';
import type { Lesson } from './lesson';

export interface StepFailure {
  /** 1-based step number. */
  step: number;
  title: string;
  message: string;
}

export interface LessonRun {
  lesson: Lesson;
  failure?: StepFailure;
  /** What the terminals showed, for diagnosing a failure. */
  output: string;
}

export function runLesson(lesson: Lesson): LessonRun {
  const lab = new Lab(builtInScenario(lesson.scenario));
  const runner = new ScriptRunner(lab);
  const events = lab.world.trace.events;
  for (const [i, step] of lesson.steps.entries()) {
    const fail = (message: string): LessonRun => ({
      lesson,
      failure: { step: i + 1, title: step.title, message },
      output: runner.output(),
    });
    const since = events.length;
    if (evaluateCheck(step.check, events, since)) {
      return fail('the check holds before the solution runs, so the step would complete at once');
    }
    try {
      runner.run(step.solution, `${lesson.file}: step ${i + 1} (${step.title}) solution`);
    } catch (error) {
      if (error instanceof ScriptError) return fail(error.message);
      throw error;
    }
    if (!evaluateCheck(step.check, events, since)) {
      return fail(
        `the reference solution does not satisfy the check\n` +
          `  expected: ${describeCheck(step.check)}\n` +
          `  events since the step began:\n${summarize(events.slice(since))}`,
      );
    }
  }
  return { lesson, output: runner.output() };
}

/** A short listing of the SMTP-level events, for failure messages. */
function summarize(events: readonly TraceEvent[]): string {
  const lines = events.flatMap((e) => {
    switch (e.type) {
      case 'net.connect':
        return [`${e.conn} connect ${e.from.host} → ${e.to.host}:${e.to.port}`];
      case 'net.refused':
        return [`${e.conn} refused (${e.reason})`];
      case 'smtp.command':
        return [`${e.conn} C: ${e.line}`];
      case 'smtp.reply':
        return e.lines.map((l) => `${e.conn} S: ${l}`);
      case 'smtp.data':
        return [`${e.conn} (end of data: ${e.lines} lines)`];
      case 'mail.accepted':
      case 'mail.delivered':
      case 'mail.bounce':
        return [`${e.type} on ${e.host} (${e.queueId})`];
      default:
        return [];
    }
  });
  const shown = lines.length > 40 ? [...lines.slice(0, 40), `… ${lines.length - 40} more`] : lines;
  return shown.length > 0 ? shown.map((l) => `    ${l}`).join('\n') : '    (none)';
}
