/**
 * The lab document, version 2: a built-in scenario's name or a whole scenario of its own;
 * version 1 files still load; errors name the field; the lab store loads, exports and
 * resets a lab on an embedded scenario.
 */
import { describe, expect, it } from 'vitest';
import { builtInScenario, type ScenarioInput } from '../../../src/engine/scenario';
import { DOC_FORMAT, parseDoc } from '../../../src/store/doc';
import { useLab } from '../../../src/store/labStore';
import { LabRuntime } from '../../../src/store/runtime';
import { scenarioFor } from '../../../src/store/scenarios';
import { LAPTOP, submission } from './support';

/** The default world with dave@delta.example, a domain whose MX is mx1.beta.example. */
function deltaWorld(): ScenarioInput {
  const world = builtInScenario('default');
  return {
    ...world,
    name: 'delta',
    hosts: world.hosts.map((h) =>
      h.name === 'mx1.beta.example'
        ? { ...h, localDomains: [...h.localDomains, 'delta.example'] }
        : h,
    ),
    domains: [
      ...world.domains,
      { name: 'delta.example', mx: [{ preference: 10, host: 'mx1.beta.example' }] },
    ],
    users: [...world.users, { address: 'dave@delta.example', mailHost: 'mx1.beta.example' }],
  };
}

const typed = (lines: readonly string[]) =>
  lines.map((line, i) => ({ t: i * 1000, host: LAPTOP, data: `${line}\r` }));

describe('lab document', () => {
  it('reads a version 1 file as version 2, scenario and inputs unchanged', () => {
    const v1 = {
      format: 'smtp-lab/v1',
      scenario: 'greylisting',
      inputs: [{ t: 0, host: LAPTOP, data: '' }],
    };
    const parsed = parseDoc(v1);
    expect(parsed).toEqual({ ok: true, doc: { ...v1, format: DOC_FORMAT } });
    expect(DOC_FORMAT).toBe('smtp-lab/v2');
  });

  it('keeps input times between whole milliseconds (live typing lands there)', () => {
    const doc = {
      format: DOC_FORMAT,
      scenario: 'default',
      inputs: [
        { t: 0, host: LAPTOP, data: '' },
        { t: 2933.406, host: LAPTOP, data: 'ls\r' },
      ],
    };
    expect(parseDoc(JSON.parse(JSON.stringify(doc)))).toEqual({ ok: true, doc });
  });

  it('carries a whole scenario, checked by the engine when the lab loads it', () => {
    const parsed = parseDoc({ format: DOC_FORMAT, scenario: deltaWorld(), inputs: [] });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const world = scenarioFor(parsed.doc.scenario);
    expect(world.users.map((u) => u.address)).toContain('dave@delta.example');
  });

  it('names the field that is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [{ format: 'smtp-lab/v9', scenario: 'default', inputs: [] }, /^format: /],
      [
        { format: DOC_FORMAT, scenario: 42, inputs: [] },
        /^scenario: must be a scenario name or a scenario/,
      ],
      [
        { format: DOC_FORMAT, scenario: 'default', inputs: [{ t: -1, host: LAPTOP, data: '' }] },
        /^inputs\.0\.t: /,
      ],
      [
        {
          format: DOC_FORMAT,
          scenario: 'default',
          inputs: [
            { t: 5, host: LAPTOP, data: '' },
            { t: 1, host: LAPTOP, data: '' },
          ],
        },
        /^inputs: inputs must be in time order/,
      ],
      ['{}', /^\(document\): /],
    ];
    for (const [input, error] of cases) {
      const parsed = parseDoc(input);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(error);
    }
    const bad = {
      ...deltaWorld(),
      hosts: [{ name: 'x.example', address: '300.1.2.3', role: 'mx' }],
    };
    expect(() => scenarioFor(bad)).toThrow(/hosts\.0\.address: must be an IPv4 address/);
    expect(() =>
      scenarioFor({ ...deltaWorld(), users: [{ address: 'a@b', mailHost: 'ghost.example' }] }),
    ).toThrow(/users\.0\.mailHost: no host named ghost\.example/);
    expect(() => scenarioFor('no-such-world')).toThrow(/no scenario called "no-such-world"/);
  });

  it('replays an embedded scenario into the same trace as the live lab', () => {
    const world = scenarioFor(deltaWorld());
    const live = new LabRuntime(world, { format: DOC_FORMAT, scenario: world, inputs: [] });
    for (const line of submission('dave@delta.example')) live.input(LAPTOP, `${line}\r`);
    live.advanceTo(live.now + 10_000);
    expect(live.events).toContainEqual(
      expect.objectContaining({ type: 'mail.delivered', host: 'mx1.beta.example', user: 'dave' }),
    );
    const doc = parseDoc(JSON.parse(JSON.stringify({ ...live.doc(), scenario: world })));
    if (!doc.ok) throw new Error(doc.error);
    const replay = new LabRuntime(scenarioFor(doc.doc.scenario), doc.doc);
    replay.advanceTo(live.now);
    expect(JSON.stringify(replay.events)).toBe(JSON.stringify(live.events));
  });
});

describe('lab store with a scenario of its own', () => {
  it('loads it, exports it embedded, and resets to it', () => {
    const lab = useLab.getState();
    const error = lab.load(
      {
        format: DOC_FORMAT,
        scenario: deltaWorld(),
        inputs: typed(submission('dave@delta.example')),
      },
      'end',
    );
    expect(error).toBeUndefined();
    const state = useLab.getState();
    expect(state.scenario).toBe('delta');
    expect(state.custom?.name).toBe('delta');
    expect(state.runtime.events.some((e) => e.type === 'mail.delivered' && e.user === 'dave')).toBe(
      true,
    );

    const exported = state.exportDoc();
    expect(exported.format).toBe(DOC_FORMAT);
    expect(exported.scenario).toEqual(state.custom);
    expect(exported.inputs).toHaveLength(submission('dave@delta.example').length);

    state.reset();
    const fresh = useLab.getState();
    expect(fresh.scenario).toBe('delta');
    expect(fresh.custom).toBe(state.custom);
    expect(fresh.runtime.events).toHaveLength(0);
    expect(fresh.exportDoc().inputs).toEqual([{ t: 0, host: LAPTOP, data: '' }]);

    // A built-in scenario by name drops the lab's own.
    expect(
      useLab.getState().load({ format: 'smtp-lab/v1', scenario: 'default', inputs: [] }),
    ).toBeUndefined();
    expect(useLab.getState().custom).toBeUndefined();
    expect(useLab.getState().exportDoc().scenario).toBe('default');
  });

  it('refuses a lab whose scenario or inputs do not fit, and keeps the lab it had', () => {
    const before = useLab.getState().runtime;
    const bad = { ...deltaWorld(), faults: [{ type: 'host-down', host: 'ghost.example' }] };
    expect(useLab.getState().load({ format: DOC_FORMAT, scenario: bad, inputs: [] })).toMatch(
      /faults\.0\.host: no host named ghost\.example/,
    );
    expect(
      useLab.getState().load({
        format: DOC_FORMAT,
        scenario: deltaWorld(),
        inputs: [{ t: 0, host: 'ghost.example', data: 'ls\r' }],
      }),
    ).toMatch(/types on ghost\.example, which is not a host of scenario "delta"/);
    expect(useLab.getState().runtime).toBe(before);
  });
});
