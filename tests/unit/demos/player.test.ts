/**
 * The presenter's player, driven in Node against the real lab store: it types each caption
 * key by key through `input` (the lab document records every key), the world reaches the
 * demo's outcome, a replay of the recorded document gives the same trace, and "back"
 * returns to the start of a caption so that it can be typed again.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { builtInDemos } from '../../../src/demos/builtin';
import { useLab } from '../../../src/store/labStore';
import { LabRuntime } from '../../../src/store/runtime';
import { loadScenario } from '../../../src/store/scenarios';
import { createPlayer, segmentsOf } from '../../../src/ui/presenter/player';

const demo = (id: string) => builtInDemos().demos.find((d) => d.id === id)!;

/** A player whose pauses take no time, and a way to wait until it has typed a part. */
function setup() {
  const player = createPlayer(() => Promise.resolve());
  const typed = async () => {
    for (let i = 0; i < 10_000 && player.getState().typing; i++) await Promise.resolve();
    expect(player.getState().typing).toBe(false);
  };
  const next = async () => {
    player.getState().advance();
    await typed();
  };
  return { player, next, typed };
}

beforeEach(() => {
  useLab.getState().play();
  useLab.getState().setSpeed(1);
});

describe('the presenter player', () => {
  it('cuts a demo into parts at captions and pauses, knowing the host each part starts on', () => {
    const parts = segmentsOf(demo('open-relay'), 'laptop.alpha.example');
    expect(parts.map((s) => [s.caption, s.part, s.host])).toEqual([
      [0, 0, 'laptop.alpha.example'],
      [1, 0, 'spammer.outside.example'],
      [2, 0, 'spammer.outside.example'],
      [3, 0, 'mx1.beta.example'],
      [4, 0, 'mx1.beta.example'],
    ]);
    expect(segmentsOf(demo('whole-delivery'), 'laptop.alpha.example')).toHaveLength(6);
  });

  it('types every key through the lab store and reaches the demo’s outcome', async () => {
    const { player, next } = setup();
    player.getState().start(demo('whole-delivery'));
    expect(useLab.getState().scenario).toBe('default');
    expect(player.getState()).toMatchObject({ caption: -1, next: 0, error: undefined });
    // Key by key through the store's input, as xterm would deliver them.
    const keys: string[] = [];
    const input = useLab.getState().input;
    useLab.setState({
      input: (host, data) => {
        keys.push(data);
        input(host, data);
      },
    });
    try {
      await next();
    } finally {
      useLab.setState({ input });
    }
    expect(keys.slice(0, 8)).toEqual(['t', 'e', 'l', 'n', 'e', 't', ' ', 'm']);
    expect(keys.join('')).toBe(
      'telnet mail.alpha.example 587\rEHLO laptop.alpha.example\rAUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r',
    );
    expect(player.getState()).toMatchObject({ caption: 0, next: 1 });
    const runtime = useLab.getState().runtime;
    expect(runtime.screen('laptop.alpha.example')).toContain('235 2.7.0 Authentication successful');
    while (player.getState().next < player.getState().segments.length) await next();
    expect(player.getState().caption).toBe(4);
    const world = useLab.getState().runtime.lab.world;
    expect(world.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
    // The terminal followed the demo to mx1.
    expect(useLab.getState().runtime.screen('mx1.beta.example')).toContain(
      'Subject: Lunch on Friday?',
    );

    // The recorded lab is the real one: replaying its document gives the same trace.
    const doc = useLab.getState().exportDoc();
    const replay = new LabRuntime(loadScenario('default'), doc);
    replay.runToEnd();
    expect(JSON.stringify(replay.events)).toBe(JSON.stringify(world.trace.events));
  });

  it('plays #! wait by jumping ahead and letting the retry finish (greylisting)', async () => {
    const { player, next } = setup();
    player.getState().start(demo('greylisting'));
    for (let i = 0; i < player.getState().segments.length; i++) await next();
    const world = useLab.getState().runtime.lab.world;
    expect(world.clock.now).toBeGreaterThan(6 * 60_000);
    expect(world.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
  });

  it('goes back to the start of a caption, paused, and types it again', async () => {
    const { player, next } = setup();
    player.getState().start(demo('bounce'));
    await next();
    const screenAfterFirst = useLab.getState().runtime.screen('laptop.alpha.example');
    await next();
    const start = player.getState().starts[1]!;
    player.getState().back();
    expect(player.getState()).toMatchObject({ next: 1, caption: 1 });
    expect(useLab.getState().playing).toBe(false);
    expect(useLab.getState().runtime.now).toBe(start);
    expect(useLab.getState().runtime.screen('laptop.alpha.example')).toBe(screenAfterFirst);
    // Back again, at the start of caption 2: to caption 1.
    player.getState().back();
    expect(player.getState()).toMatchObject({ next: 0, caption: 0 });
    expect(useLab.getState().runtime.now).toBe(player.getState().starts[0]);
    // Typed again from there, the demo ends as it should.
    for (let i = 0; i < player.getState().segments.length; i++) await next();
    const world = useLab.getState().runtime.lab.world;
    expect(world.mailstore('mail.alpha.example')!.messages('alice')).toHaveLength(1);
  });

  it('finishes the part at once on a second "next", and plays it again after an interruption', async () => {
    const slow = createPlayer(() => new Promise((r) => setTimeout(r, 5)));
    slow.getState().start(demo('open-relay'));
    slow.getState().advance();
    await new Promise((r) => setTimeout(r, 30));
    expect(slow.getState().typing).toBe(true);
    slow.getState().advance(); // hurry
    for (let i = 0; i < 200 && slow.getState().typing; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(slow.getState()).toMatchObject({ typing: false, next: 1 });
    expect(useLab.getState().runtime.screen('spammer.outside.example')).toContain(
      '554 5.7.1 <bob@beta.example>: Relay access denied',
    );

    slow.getState().advance();
    await new Promise((r) => setTimeout(r, 30));
    slow.getState().interrupt();
    expect(slow.getState()).toMatchObject({ typing: false, next: 1 });
    await new Promise((r) => setTimeout(r, 30));
    slow.getState().advance();
    slow.getState().advance(); // hurry
    for (let i = 0; i < 400 && slow.getState().typing; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(slow.getState().next).toBe(2);
    const world = useLab.getState().runtime.lab.world;
    // One forged message delivered, not two: the part was typed again from its start.
    expect(world.mailstore('mail.alpha.example')!.messages('alice')).toHaveLength(1);
  });

  it('stops typing and forgets the demo when presenter mode closes', async () => {
    const slow = createPlayer(() => new Promise((r) => setTimeout(r, 5)));
    slow.getState().start(demo('greylisting'));
    slow.getState().advance();
    await new Promise((r) => setTimeout(r, 30));
    slow.getState().stop();
    const typed = useLab.getState().runtime.allInputs().length;
    await new Promise((r) => setTimeout(r, 50));
    expect(useLab.getState().runtime.allInputs()).toHaveLength(typed);
    expect(slow.getState()).toMatchObject({ demo: undefined, typing: false, segments: [] });
    slow.getState().advance(); // nothing to play
    expect(slow.getState().typing).toBe(false);
  });

  it('says why a demo cannot start', () => {
    const { player } = setup();
    player.getState().start({ ...demo('bounce'), scenario: 'atlantis' });
    expect(player.getState().error).toMatch(/atlantis/);
    expect(player.getState().segments).toEqual([]);
  });
});
