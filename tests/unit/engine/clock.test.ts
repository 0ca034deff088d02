/** Virtual time: the Scheduler and RFC 5322 dates. */
import { describe, expect, it } from 'vitest';
import { Scheduler, rfc5322Date } from '../../../src/engine/clock';

/** A scheduler plus a log of which task ran at which virtual time. */
function setup() {
  const clock = new Scheduler();
  const log: string[] = [];
  const at = (delay: number, name: string, then?: () => void) =>
    clock.after(delay, () => {
      log.push(`${clock.now}:${name}`);
      then?.();
    });
  return { clock, log, at };
}

describe('Scheduler ordering', () => {
  it('starts at 0 with nothing due', () => {
    const { clock } = setup();
    expect(clock.now).toBe(0);
    expect(clock.nextDue()).toBeUndefined();
    expect(clock.step()).toBe(false);
  });

  it('runs tasks in time order, advancing the clock to each', () => {
    const { clock, log, at } = setup();
    at(30, 'c');
    at(10, 'a');
    at(20, 'b');
    expect(clock.nextDue()).toBe(10);
    while (clock.step());
    expect(log).toEqual(['10:a', '20:b', '30:c']);
    expect(clock.now).toBe(30);
  });

  it('tasks due at the same time run in the order they were scheduled (FIFO)', () => {
    const { clock, log, at } = setup();
    for (const name of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']) at(5, name);
    at(0, 'early');
    while (clock.step());
    expect(log).toEqual([
      '0:early',
      ...['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'].map((n) => `5:${n}`),
    ]);
  });

  it('FIFO holds among many interleaved times (heap stability)', () => {
    const { clock, log, at } = setup();
    const expected: string[] = [];
    // Schedule 300 tasks over 7 distinct times in a scrambled order.
    for (let i = 0; i < 300; i++) at((i * 37) % 7, `t${i}`);
    for (let t = 0; t < 7; t++) {
      for (let i = 0; i < 300; i++) if ((i * 37) % 7 === t) expected.push(`${t}:t${i}`);
    }
    while (clock.step());
    expect(log).toEqual(expected);
  });

  it('after(0) from inside a task runs after what is already due now', () => {
    const { clock, log, at } = setup();
    at(10, 'first', () => at(0, 'spawned'));
    at(10, 'second');
    while (clock.step());
    expect(log).toEqual(['10:first', '10:second', '10:spawned']);
  });

  it('a negative delay counts as 0: time never runs backwards', () => {
    const { clock, log, at } = setup();
    clock.runUntil(100);
    at(-50, 'late');
    clock.step();
    expect(log).toEqual(['100:late']);
    expect(clock.now).toBe(100);
  });
});

describe('Scheduler cancel', () => {
  it('a cancelled task never runs and is not reported as due', () => {
    const { clock, log, at } = setup();
    const a = at(10, 'a');
    at(20, 'b');
    a.cancel();
    expect(clock.nextDue()).toBe(20);
    while (clock.step());
    expect(log).toEqual(['20:b']);
  });

  it('cancelling a task buried in the heap, and cancelling twice, are harmless', () => {
    const { clock, log, at } = setup();
    const handles = [5, 3, 8, 1, 9, 2].map((d) => at(d, `d${d}`));
    handles[2]!.cancel(); // d8
    handles[2]!.cancel();
    handles[3]!.cancel(); // d1
    while (clock.step());
    expect(log).toEqual(['2:d2', '3:d3', '5:d5', '9:d9']);
  });

  it('cancelling after the task ran does nothing', () => {
    const { clock, log, at } = setup();
    const h = at(1, 'x');
    clock.step();
    h.cancel();
    expect(log).toEqual(['1:x']);
  });

  it('a task may cancel a later one', () => {
    const { clock, log, at } = setup();
    const victim = at(10, 'victim');
    at(5, 'killer', () => victim.cancel());
    while (clock.step());
    expect(log).toEqual(['5:killer']);
  });

  it('step() skips only cancelled tasks and returns false when all are cancelled', () => {
    const { clock, at } = setup();
    at(1, 'a').cancel();
    at(2, 'b').cancel();
    expect(clock.step()).toBe(false);
    expect(clock.now).toBe(0);
  });
});

describe('Scheduler.runUntil', () => {
  it('runs everything due up to and including the limit, then sets the clock to it', () => {
    const { clock, log, at } = setup();
    at(10, 'a');
    at(50, 'b');
    at(51, 'c');
    clock.runUntil(50);
    expect(log).toEqual(['10:a', '50:b']);
    expect(clock.now).toBe(50);
    expect(clock.nextDue()).toBe(51);
  });

  it('also runs tasks scheduled while running, if they fall inside the window', () => {
    const { clock, log, at } = setup();
    at(10, 'a', () => {
      at(10, 'a+10');
      at(100, 'a+100');
    });
    clock.runUntil(60);
    expect(log).toEqual(['10:a', '20:a+10']);
    expect(clock.now).toBe(60);
  });

  it('advances time even when nothing is due', () => {
    const { clock } = setup();
    clock.runUntil(90_000);
    expect(clock.now).toBe(90_000);
  });

  it('never moves time backwards', () => {
    const { clock } = setup();
    clock.runUntil(500);
    clock.runUntil(100);
    expect(clock.now).toBe(500);
  });
});

describe('Scheduler.settle', () => {
  it('runs until nothing is due within `quiet` of the last task, and returns the count', () => {
    const { clock, log, at } = setup();
    at(1_000, 'a');
    at(4_000, 'b'); // within 5 s of a
    at(20_000, 'retry'); // far away: not activity
    expect(clock.settle(5_000)).toBe(2);
    expect(log).toEqual(['1000:a', '4000:b']);
    expect(clock.now).toBe(4_000);
    expect(clock.nextDue()).toBe(20_000);
  });

  it('the quiet window slides with each task run', () => {
    const { clock, log, at } = setup();
    const chain = (n: number) => {
      if (n < 5) at(3_000, `hop${n}`, () => chain(n + 1));
    };
    chain(0);
    clock.settle(5_000);
    expect(log).toEqual(['3000:hop0', '6000:hop1', '9000:hop2', '12000:hop3', '15000:hop4']);
  });

  it('returns 0 and leaves time alone when nothing is due soon', () => {
    const { clock, at } = setup();
    at(60_000, 'later');
    expect(clock.settle(5_000)).toBe(0);
    expect(clock.now).toBe(0);
  });

  it('throws on a runaway scenario instead of spinning forever', () => {
    const { clock } = setup();
    const forever = () => void clock.after(1, forever);
    forever();
    expect(() => clock.settle(5_000, 1_000)).toThrow('scheduler did not settle after 1000 tasks');
  });
});

describe('rfc5322Date', () => {
  const epoch = Date.parse('2026-01-05T09:00:00Z');

  it.each([
    [0, 'Mon, 5 Jan 2026 09:00:00 +0000'],
    [999, 'Mon, 5 Jan 2026 09:00:00 +0000'],
    [61_000, 'Mon, 5 Jan 2026 09:01:01 +0000'],
    [15 * 3600_000, 'Tue, 6 Jan 2026 00:00:00 +0000'],
    [(365 - 4) * 86_400_000, 'Fri, 1 Jan 2027 09:00:00 +0000'],
  ])('epoch + %i ms → %s', (now, expected) => {
    expect(rfc5322Date(epoch, now)).toBe(expected);
  });

  it('matches the RFC 5322 date-time shape', () => {
    expect(rfc5322Date(epoch, 123_456_789)).toMatch(
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/,
    );
  });
});
