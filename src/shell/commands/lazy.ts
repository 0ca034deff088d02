/**
 * Commands whose program loads on first use, so that rarely used tools (mail, swaks,
 * openssl) stay out of the page's first bundle. The first run waits for the module (the
 * command is PENDING until then); later runs are synchronous. Node entry points and tests
 * call preloadCommands() (commands/index.ts) first, so headless runs never wait.
 */
import { PENDING, type Command } from '../program';

export type LazyCommand = Command & { preload(): Promise<unknown> };

export function lazyRun(load: () => Promise<Command>): LazyCommand {
  let program: Command | undefined;
  let loading: Promise<Command> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (p) => (program = p),
      (error: unknown) => {
        loading = undefined; // the next run tries again (back online, say)
        throw error;
      },
    ));
  const run: Command = (ctx) => {
    if (program) return program(ctx);
    preload().then(
      (p) => {
        const status = p(ctx);
        if (status !== PENDING) ctx.exit(status);
      },
      (error: unknown) => {
        const why = error instanceof Error ? error.message : String(error);
        ctx.stderr.write(`${ctx.name}: cannot load the program (${why})\n`);
        ctx.exit(126); // as a shell does for a command it found but cannot run
      },
    );
    return PENDING;
  };
  return Object.assign(run, { preload });
}
