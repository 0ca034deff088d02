/**
 * The lab as data: live use and replay of the same document give the same trace; moving
 * back rebuilds by replay; typing in the past drops the recorded future.
 */
import { describe, expect, it } from 'vitest';
import { emptyDoc, parseDoc } from '../../../src/store/doc';
import { LabRuntime } from '../../../src/store/runtime';
import { loadScenario } from '../../../src/store/scenarios';

const LAPTOP = 'laptop.alpha.example';
const AUTH = 'AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ='; // \0alice\0wonderland

function submission(rcpt: string): string[] {
  return [
    'telnet mail.alpha.example 587',
    'EHLO laptop.alpha.example',
    AUTH,
    'MAIL FROM:<alice@alpha.example>',
    `RCPT TO:<${rcpt}>`,
    'DATA',
    'Subject: hello',
    '',
    'Hi there.',
    '.',
    'QUIT',
  ];
}

const json = (rt: LabRuntime) => JSON.stringify(rt.events);

/** Type like a person: key by key, with time passing between some keys. */
function typeLive(rt: LabRuntime, lines: string[], pause = 137): void {
  for (const line of lines) {
    for (const ch of line) {
      rt.input(LAPTOP, ch);
      if (ch === ' ') rt.advanceTo(rt.now + pause);
    }
    rt.input(LAPTOP, '\r');
    rt.advanceTo(rt.now + pause * 3);
  }
}

describe('LabRuntime', () => {
  it('replays a document into the same trace, byte for byte', () => {
    const live = new LabRuntime(loadScenario('mx-fallback'), emptyDoc('mx-fallback'));
    live.open(LAPTOP);
    typeLive(live, submission('bob@beta.example'));
    live.advanceTo(live.now + 400_000); // the backup MX retries mx1 after 5 minutes
    const end = live.now;
    expect(live.events.some((e) => e.type === 'queue.deferred')).toBe(true);

    const doc = parseDoc(JSON.parse(JSON.stringify(live.doc())));
    expect(doc.ok).toBe(true);
    if (!doc.ok) return;
    // Plain keys typed at one instant are kept as one record.
    expect(doc.doc.inputs.length).toBeLessThan(120);
    const replay = new LabRuntime(loadScenario('mx-fallback'), doc.doc);
    replay.advanceTo(end);
    expect(json(replay)).toBe(json(live));
    expect(replay.screen(LAPTOP)).toBe(live.screen(LAPTOP));
  });

  it('goes back by rebuilding and forward again to the same state', () => {
    const rt = new LabRuntime(loadScenario('default'), emptyDoc('default'));
    rt.open(LAPTOP);
    typeLive(rt, submission('bob@beta.example'));
    rt.advanceTo(rt.now + 10_000);
    const full = json(rt);
    const end = rt.now;
    const delivered = rt.events.find((e) => e.type === 'mail.delivered')!;
    const generation = rt.generation;

    rt.seek(delivered.t - 1);
    expect(rt.generation).toBe(generation + 1);
    expect(rt.events.every((e) => e.t <= delivered.t - 1)).toBe(true);
    expect(rt.lab.world.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(0);
    expect(full.startsWith(json(rt).slice(0, -1))).toBe(true);
    expect(rt.futureInputs().length).toBeGreaterThan(0);

    rt.seek(end);
    expect(json(rt)).toBe(full);
    expect(rt.lab.world.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
  });

  it('steps back one instant at a time, then forward through the same instants', () => {
    const rt = new LabRuntime(loadScenario('default'), emptyDoc('default'));
    typeLive(rt, submission('bob@beta.example'));
    const times = [...new Set(rt.events.map((e) => e.t))];
    const visited: number[] = [];
    for (let i = 0; i < 5; i++) {
      rt.stepBack();
      visited.push(rt.events.at(-1)!.t);
    }
    expect(visited).toEqual(times.slice(-6, -1).reverse());
    const before = json(rt);
    rt.stepForward();
    expect(json(rt).length).toBeGreaterThan(before.length);
  });

  it('drops the recorded future when typing in the past', () => {
    const rt = new LabRuntime(loadScenario('default'), emptyDoc('default'));
    typeLive(rt, ['echo one', 'echo two']);
    const count = rt.allInputs().length;
    rt.seek(0, false);
    expect(rt.applied).toBe(0);
    expect(rt.futureInputs().length).toBe(count);
    rt.input(LAPTOP, 'x');
    expect(rt.allInputs()).toHaveLength(1);
  });

  it('steps back to before the first input', () => {
    const rt = new LabRuntime(loadScenario('default'), emptyDoc('default'));
    rt.input(LAPTOP, 'ping -c 1 ns.example\r');
    expect(rt.events.length).toBeGreaterThan(0);
    for (let i = 0; i < 50 && rt.applied > 0; i++) rt.stepBack();
    expect(rt.applied).toBe(0);
    expect(rt.events).toHaveLength(0);
    rt.stepForward();
    expect(rt.applied).toBe(1);
  });

  it('runs real-time programs (ping without -c) on virtual time, replayably', () => {
    const rt = new LabRuntime(loadScenario('default'), emptyDoc('default'));
    rt.input(LAPTOP, 'ping ns.example\r');
    for (let i = 0; i < 7; i++) rt.advanceTo(rt.now + 500);
    rt.input(LAPTOP, '\x03'); // Ctrl-C
    rt.advanceTo(rt.now + 2000);
    const screen = rt.screen(LAPTOP);
    expect(screen.match(/bytes from/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(screen).toContain('ping statistics');
    const replay = new LabRuntime(loadScenario('default'), rt.doc());
    replay.advanceTo(rt.now);
    expect(json(replay)).toBe(json(rt));
    expect(replay.screen(LAPTOP)).toBe(screen);
  });
});
