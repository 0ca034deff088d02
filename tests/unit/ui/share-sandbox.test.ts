/**
 * The sandbox editor's model (edits by path, checked by the engine with each problem
 * naming its field) and the export file makers (transcript, trace as `lab run --trace`
 * writes it, file names).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTrace } from '../../../src/cli/common';
import { DOC_FORMAT } from '../../../src/store/doc';
import { LabRuntime } from '../../../src/store/runtime';
import {
  addTo,
  check,
  draftOfBuiltIn,
  getIn,
  problemsAt,
  removeFrom,
  setIn,
  type Draft,
} from '../../../src/ui/sandbox/draft';
import { fileName, traceJsonl, transcriptText } from '../../../src/ui/export/exports';
import { LAPTOP, run, submission } from './support';

function problems(draft: Draft) {
  const result = check(draft);
  return result.ok ? [] : result.problems;
}

describe('sandbox draft', () => {
  it('starts from a built-in world under a name of its own, and is valid as it is', () => {
    const draft = draftOfBuiltIn('mx-fallback');
    expect(draft.name).toBe('mx-fallback-sandbox');
    const result = check(draft);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.scenario.faults).toEqual([
        { type: 'host-down', host: 'mx1.beta.example', forMinutes: expect.any(Number) },
      ]);
  });

  it('edits by path without touching the draft it came from', () => {
    const draft = draftOfBuiltIn('default');
    const renamed = setIn(draft, ['hosts', 1, 'address'], '192.0.2.26');
    expect(getIn(renamed, ['hosts', 1, 'address'])).toBe('192.0.2.26');
    expect(getIn(draft, ['hosts', 1, 'address'])).toBe('192.0.2.25');
    expect(renamed.hosts[0]).toBe(draft.hosts[0]);
    const withUser = addTo(draft, ['users'], {
      address: 'x@beta.example',
      mailHost: 'mx1.beta.example',
    });
    expect(withUser.users).toHaveLength(draft.users!.length + 1);
    const without = removeFrom(withUser, ['users'], 0);
    expect(without.users!.map((u) => u.address)).not.toContain('alice@alpha.example');
    expect(setIn({ a: 1, b: 2 }, ['a'], undefined)).toEqual({ b: 2 });
  });

  it('names each field the engine finds wrong', () => {
    let draft = draftOfBuiltIn('default');
    draft = setIn(draft, ['hosts', 3, 'address'], '203.0.113.300');
    draft = addTo(draft, ['users'], { address: 'not-an-address', mailHost: 'ghost.example' });
    draft = addTo(draft, ['records'], {
      type: 'MX',
      name: 'beta.example',
      preference: 5,
      value: 'bad name!',
    });
    draft = setIn(draft, ['hosts', 3, 'smtp', 0, 'port'], Number.NaN);
    const found = problems(draft);
    const paths = found.map((p) => p.path);
    expect(paths).toContain('hosts.3.address');
    expect(paths).toContain('users.5.address');
    expect(paths).toContain('records.0.value');
    expect(paths).toContain('hosts.3.smtp.0.port');
    expect(found.find((p) => p.path === 'hosts.3.address')!.message).toBe(
      'must be an IPv4 address',
    );
    expect(found.find((p) => p.path === 'users.5.address')!.message).toBe('must be local@domain');
    expect(problemsAt(found, ['hosts', 3])).toHaveLength(2);
    expect(problemsAt(found, ['hosts', 3, 'smtp', 0, 'port'])).toHaveLength(1);

    // References are checked once the fields are well formed.
    const ghost = addTo(draftOfBuiltIn('default'), ['users'], {
      address: 'dave@beta.example',
      mailHost: 'ghost.example',
    });
    expect(problems(ghost)).toEqual([
      { path: 'users.5.mailHost', message: 'no host named ghost.example' },
    ]);
    expect(problems(setIn(ghost, ['hosts'], []))[0]!.path).toBe('hosts');
  });

  it('starts a world where a new user on a new domain receives mail through its MX', () => {
    let draft = draftOfBuiltIn('default');
    draft = addTo(draft, ['domains'], { name: 'delta.example', mx: [] });
    draft = addTo(draft, ['domains', 2, 'mx'], { preference: 10, host: 'mx1.beta.example' });
    draft = setIn(draft, ['hosts', 3, 'localDomains'], ['beta.example', 'delta.example']);
    draft = addTo(draft, ['users'], {
      address: 'dave@delta.example',
      mailHost: 'mx1.beta.example',
    });
    const result = check(draft);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const rt = new LabRuntime(result.scenario, {
      format: DOC_FORMAT,
      scenario: result.scenario,
      inputs: [{ t: 0, host: LAPTOP, data: '' }],
    });
    for (const line of submission('dave@delta.example')) rt.input(LAPTOP, `${line}\r`);
    rt.advanceTo(rt.now + 10_000);
    expect(rt.events).toContainEqual(
      expect.objectContaining({ type: 'dns.query', name: 'delta.example', qtype: 'MX' }),
    );
    expect(rt.events).toContainEqual(
      expect.objectContaining({ type: 'mail.delivered', host: 'mx1.beta.example', user: 'dave' }),
    );
  });
});

describe('exports', () => {
  it('writes the trace exactly as lab run --trace does', () => {
    const rt = run('default', submission('bob@beta.example'));
    const dir = mkdtempSync(join(tmpdir(), 'smtp-lab-trace-'));
    try {
      writeTrace(join(dir, 'trace.jsonl'), rt.events);
      expect(traceJsonl(rt.events)).toBe(readFileSync(join(dir, 'trace.jsonl'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(
      traceJsonl(rt.events)
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l)),
    ).toEqual(JSON.parse(JSON.stringify(rt.events)));
  });

  it('makes the transcript the text the screen showed, without control sequences', () => {
    const rt = run('default', submission('bob@beta.example'));
    const text = transcriptText(rt.screen(LAPTOP));
    expect(text).not.toMatch(/\x1b/);
    expect(text).toMatch(/^220 mail\.alpha\.example/m);
    expect(text).toMatch(/^250 2\.0\.0 Ok: queued as /m);
    // A carriage return goes back to the start of the line; colours leave no text.
    expect(transcriptText('abc\rd\x1b[31mX\x1b[0m\r\n$ ')).toBe('dXc\n$\n');
  });

  it('names files with safe characters only', () => {
    expect(fileName('smtp-lab', '../../etc/passwd')).toBe('smtp-lab-..-..-etc-passwd');
    expect(fileName('bob@beta.example', 'A1B2C3')).toBe('bob@beta.example-A1B2C3');
    expect(fileName('<script>', 'x y')).toBe('script-x-y');
  });
});
