/**
 * The demos that ship: each one parses, plays headlessly with every `#! expect` holding
 * (as `lab demos check` does), and shows what it is about — checked here again on the
 * lab it leaves behind, independently of its own expectations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtInDemos } from '../../../src/demos/builtin';
import { runDemo } from '../../../src/demos/check';
import { isDemoFile, parseDemo, type Demo } from '../../../src/demos/demo';
import { builtInScenario } from '../../../src/engine/scenario';
import type { TraceEvent } from '../../../src/engine/trace';
import { Lab } from '../../../src/shell/lab';
import { ScriptRunner } from '../../../src/shell/script';

const DIR = 'src/demos';

/** Play `demo` headlessly and return the lab, the trace and what the terminals showed. */
function play(demo: Demo) {
  const lab = new Lab(builtInScenario(demo.scenario));
  const runner = new ScriptRunner(lab);
  for (const c of demo.captions) {
    runner.runSteps(
      [
        { kind: 'caption', text: c.text, line: c.line },
        ...c.parts.flat().filter((s) => s.kind !== 'expect'),
      ],
      demo.file,
    );
  }
  return { lab, events: lab.world.trace.events, output: runner.output() };
}

const replies = (events: readonly TraceEvent[], server: string) =>
  events.flatMap((e) =>
    e.type === 'smtp.reply' && e.server === server ? [e.lines.join('\n')] : [],
  );

const KEY_OUTCOMES: Record<string, (run: ReturnType<typeof play>) => void> = {
  'whole-delivery': ({ lab, output }) => {
    const [message] = lab.world.mailstore('mx1.beta.example')!.messages('bob');
    // Two hops, each with its Received: line, newest on top.
    expect(message?.raw).toMatch(
      /Received: from mail\.alpha\.example [^]*by mx1\.beta\.example[^]*Received: from laptop\.alpha\.example [^]*by mail\.alpha\.example [^]*with ESMTPA/,
    );
    expect(output).toContain('235 2.7.0 Authentication successful');
    expect(output).toMatch(/250 2\.0\.0 Ok: queued as [0-9A-F]{10}/);
  },
  'mx-fallback': ({ lab, events }) => {
    const [message] = lab.world.mailstore('mx1.beta.example')!.messages('bob');
    expect(message?.raw).toMatch(/Received: from mx2\.beta\.example [^]*by mx1\.beta\.example/);
    expect(events.some((e) => e.type === 'net.refused' && e.reason === 'host-down')).toBe(true);
    expect(lab.world.mta('mx2.beta.example')!.entries()).toEqual([]);
  },
  bounce: ({ lab, output }) => {
    expect(output).toContain('550 5.1.1 <carol@beta.example>');
    const [dsn] = lab.world.mailstore('mail.alpha.example')!.messages('alice');
    expect(dsn?.raw).toMatch(/^Return-Path: <>/);
    expect(dsn?.raw).toContain('Status: 5.1.1');
  },
  greylisting: ({ lab, events }) => {
    expect(replies(events, 'mx1.beta.example').some((r) => r.startsWith('451 4.7.1'))).toBe(true);
    expect(lab.world.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
    expect(lab.world.mta('mail.alpha.example')!.entries()).toEqual([]);
  },
  'open-relay': ({ lab, events }) => {
    const rcpt = replies(events, 'mx1.beta.example').filter((r) => /^(250 2\.1\.5|554)/.test(r));
    // Relayed before the fix, refused after it; bob's own domain still welcome.
    expect(rcpt).toEqual([
      '250 2.1.5 Ok',
      '554 5.7.1 <alice@alpha.example>: Relay access denied',
      '250 2.1.5 Ok',
    ]);
    expect(lab.world.mailstore('mail.alpha.example')!.messages('alice')).toHaveLength(1);
  },
};

describe('the demos that ship', () => {
  const files = readdirSync(DIR).filter(isDemoFile).sort();
  const { demos, errors } = builtInDemos();

  it('are at least the five of the issue, all valid, with unique ids', () => {
    expect(errors).toEqual([]);
    expect(demos.map((d) => d.id)).toEqual(Object.keys(KEY_OUTCOMES));
    expect(demos.map((d) => d.file)).toEqual(files.map((f) => `${DIR}/${f}`));
    expect(demos.map((d) => d.scenario)).toEqual([
      'default',
      'mx-fallback',
      'unknown-user',
      'greylisting',
      'open-relay',
    ]);
  });

  for (const name of files) {
    it(`${name}: every expectation holds, and it shows what it is about`, () => {
      const parsed = parseDemo(`${DIR}/${name}`, readFileSync(`${DIR}/${name}`, 'utf8'));
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      const run = runDemo(parsed.demo);
      expect(run.failure?.message).toBeUndefined();
      expect(run.passed).toBeGreaterThan(0);
      KEY_OUTCOMES[parsed.demo.id]!(play(parsed.demo));
    });
  }
});
