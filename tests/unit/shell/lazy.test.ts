/** Commands whose program loads on first use (src/shell/commands/lazy.ts). */
import { describe, expect, it } from 'vitest';
import { lazyRun } from '../../../src/shell/commands/lazy';
import { PENDING, type Command, type CommandContext } from '../../../src/shell/program';

/** Just what lazyRun and the stand-in programs touch. */
function context() {
  const out = { stderr: '', status: undefined as number | undefined };
  const ctx = {
    name: 'dig',
    stderr: { write: (d: string) => void (out.stderr += d), isTerminal: true },
    exit: (status: number) => void (out.status = status),
  } as unknown as CommandContext;
  return { ctx, out };
}

const settled = () => new Promise((r) => setTimeout(r, 0));

describe('lazyRun', () => {
  it('waits for the program the first time, then runs it synchronously', async () => {
    const program: Command = () => 3;
    const run = lazyRun(() => Promise.resolve(program));
    const first = context();
    expect(run(first.ctx)).toBe(PENDING);
    await settled();
    expect(first.out.status).toBe(3);
    expect(run(context().ctx)).toBe(3);
  });

  it('reports a program that cannot load, exits 126, and tries again next time', async () => {
    let attempts = 0;
    const run = lazyRun(() =>
      ++attempts === 1 ? Promise.reject(new Error('offline')) : Promise.resolve<Command>(() => 0),
    );
    const first = context();
    expect(run(first.ctx)).toBe(PENDING);
    await settled();
    expect(first.out).toEqual({ stderr: 'dig: cannot load the program (offline)\n', status: 126 });
    const second = context();
    expect(run(second.ctx)).toBe(PENDING);
    await settled();
    expect(second.out.status).toBe(0);
    expect(attempts).toBe(2);
  });
});
