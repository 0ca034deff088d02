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
  const preload = () => (loading ??= load().then((p) => (program = p)));
  const run: Command = (ctx) => {
    if (program) return program(ctx);
    void preload().then((p) => {
      const status = p(ctx);
      if (status !== PENDING) ctx.exit(status);
    });
    return PENDING;
  };
  return Object.assign(run, { preload });
}
