/**
 * Steps that wait on virtual time: the parser finds the time their solution lets pass (the
 * panel then shows how to advance time), and the lab's skip to the next retry completes
 * such a step, as a learner would with the timeline's button, and replays identically.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../../src/lessons/check';
import { parseLesson, type Lesson } from '../../../src/lessons/lesson';
import { emptyDoc } from '../../../src/store/doc';
import { LabRuntime } from '../../../src/store/runtime';
import { loadScenario } from '../../../src/store/scenarios';

const LAPTOP = 'laptop.alpha.example';

function lesson(file: string): Lesson {
  const name = `lessons/${file}`;
  const result = parseLesson(
    name,
    readFileSync(new URL(`../../../${name}`, import.meta.url), 'utf8'),
  );
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.lesson;
}

const greylisting = lesson('10-queue-deferrals.md');
const stepNamed = (l: Lesson, title: string) => l.steps.findIndex((s) => s.title === title);

/** Type a step's reference solution live, line by line, on the laptop. */
function typeSolution(rt: LabRuntime, l: Lesson, step: number): void {
  for (const s of l.steps[step]!.script) {
    if (s.kind === 'type') rt.input(LAPTOP, s.text + '\r');
  }
}

describe('steps that wait on virtual time', () => {
  it('know how long their solution waits, whether by #! wait or by sleep', () => {
    const backup = lesson('09-backup-mx.md');
    expect(backup.steps.map((s) => s.waitMs)).toEqual([60_000, 0, 45_000, 1_800_000, 1_800_000]);
    const waits = greylisting.steps.map((s) => s.waitMs);
    expect(waits[stepNamed(greylisting, 'Let five minutes pass')]).toBe(300_000);
    expect(waits[stepNamed(greylisting, 'Greylisted by hand')]).toBe(0);
    expect(lesson('01-hello-smtp.md').steps.every((s) => s.waitMs === 0)).toBe(true);
  });

  it('complete when the lab skips to the next retry, and replay identically', () => {
    const rt = new LabRuntime(loadScenario(greylisting.scenario), emptyDoc(greylisting.scenario));
    rt.open(LAPTOP);
    typeSolution(rt, greylisting, stepNamed(greylisting, "Hand the message to alice's server"));
    const wait = stepNamed(greylisting, 'Let five minutes pass');
    const since = rt.events.length;
    const check = greylisting.steps[wait]!.check;
    expect(evaluateCheck(check, rt.events, since)).toBe(false);

    const retry = rt.futureMarks().find((m) => m.kind === 'retry');
    expect(retry).toMatchObject({ host: 'mail.alpha.example' });
    const before = rt.now;
    rt.skipTo(retry!.t);
    expect(rt.now).toBeGreaterThanOrEqual(retry!.t);
    expect(retry!.t - before).toBeGreaterThanOrEqual(299_000);
    expect(evaluateCheck(check, rt.events, since)).toBe(true);
    expect(rt.futureMarks().filter((m) => m.kind === 'retry')).toEqual([]);

    // Typed after the jump, a line carries the later time: a replay passes the retry too.
    rt.input(LAPTOP, 'date\r');
    const replay = new LabRuntime(rt.scenario, rt.doc());
    replay.replaying(() => replay.runToEnd());
    expect(JSON.stringify(replay.events)).toBe(JSON.stringify(rt.events));
  });

  it('never moves time back', () => {
    const rt = new LabRuntime(loadScenario('default'), emptyDoc('default'));
    rt.advanceTo(5000);
    rt.skipTo(1000);
    expect(rt.now).toBe(5000);
  });
});
