/**
 * A terminal on one virtual host: a login shell with its prompt, line editing, history,
 * Tab completion, the command line being run (its job) and the foreground program reading
 * lines. The xterm pane and the headless `lab run` both drive this same class.
 */
import type { World } from '../engine/world';
import { columns } from './commands/ls';
import { findCommand, commandsOn } from './commands';
import { commonPrefix, complete } from './complete';
import { LineEditor } from './editor';
import { escapeForTerminal } from './escape';
import { Executor, type Job } from './exec';
import { hostFileSystem, resolvePath, type FileSystem } from './fs';
import { splitKeys } from './keys';
import { parse } from './parse';
import type { Program, RealTime, ShellSession } from './program';

export interface TerminalOptions {
  /** Colour in the prompt (off for the headless runner). */
  color?: boolean;
  cols?: number;
  /** Called after each finished line so the world can run (default: world.settle()). */
  afterLine?: () => void;
  /** A `lab run` script: nothing can press Ctrl-C, so nothing may run until interrupted. */
  headless?: boolean;
  /** A wall clock for ping without -c; by default the environment's timers, never when headless. */
  realTime?: RealTime;
  /** The login shell ended (exit, logout, Ctrl-D); a fresh one starts right after. */
  onLogout?: (status: number) => void;
  /** Log in as this user rather than the host's (ssh USER@HOST). */
  user?: string;
  /** Nothing starts after the login shell ends (a shell reached with ssh). */
  endOnLogout?: boolean;
}

/** How many scheduled tasks a foreground command may run while the terminal waits for it. */
const WAIT_LIMIT = 1_000_000;

export class TerminalSession {
  readonly user: string;
  readonly fs: FileSystem;
  readonly session: ShellSession;
  private editor: LineEditor;
  private executor: Executor;
  private program: Program | undefined;
  private job: Job | undefined;
  /** Lines of a command that is not complete yet (an open quote, a trailing `|`). */
  private continuation: string[] | undefined;
  /** Handling a key: prompts wait until it is done. */
  private handling = false;
  private tabs = 0;
  /** Whom the line being edited is for. */
  private promptFor: Program | 'shell' | undefined;
  /** The line being run logged out (exit, logout). */
  private loggedOut = false;
  /** A shell on another host that has this terminal now (ssh). */
  private remote: TerminalSession | undefined;
  /** This session is over (an ssh session that logged out): no more prompts or input. */
  private ended = false;
  /** Runs one command line for `ssh HOST COMMAND`: no shell prompt. */
  private batch = false;
  /** The foreground program's prompt changed while a key was being handled. */
  private promptStale = false;
  private readonly color: boolean;
  private readonly headless: boolean;
  private readonly afterLine: () => void;

  constructor(
    readonly world: World,
    readonly host: string,
    private readonly output: (text: string) => void,
    private readonly options: TerminalOptions = {},
  ) {
    const spec = world.host(host);
    if (!spec) throw new Error(`no host named ${host}`);
    this.user = options.user ?? spec.user;
    this.color = options.color ?? true;
    this.headless = options.headless ?? false;
    this.afterLine = options.afterLine ?? (() => world.settle());
    this.fs = hostFileSystem(world, host);
    this.editor = new LineEditor(output, options.cols ?? 80, '');
    this.session = this.newSession();
    this.executor = this.newExecutor();
  }

  get history(): readonly string[] {
    return this.editor.history;
  }

  /** Start with the shell history of an earlier visit (Up arrow recalls it). */
  restoreHistory(lines: readonly string[]): void {
    this.editor.restoreHistory(lines);
  }

  /** Print the first prompt. */
  start(): void {
    this.editor.begin(this.shellPrompt());
    this.promptFor = 'shell';
  }

  /** Print the current prompt and line again (after output went elsewhere). */
  redrawPrompt(): void {
    if (this.remote) this.remote.redrawPrompt();
    else if (this.editor.active) this.editor.redraw();
  }

  resize(cols: number): void {
    this.editor.cols = Math.max(10, cols);
    this.remote?.resize(cols);
  }

  /** Where typing goes now: this shell, or the one reached from it with ssh. */
  get innermost(): TerminalSession {
    return this.remote ? this.remote.innermost : this;
  }

  /** Keystrokes or pasted text, exactly as a terminal delivers them. */
  input(data: string): void {
    if (this.remote) return this.remote.input(data);
    if (this.ended) return;
    const keys = splitKeys(data);
    for (const [i, [key]] of keys.entries()) {
      // A line may have started an ssh session: the rest of the input is typed into it.
      const remote = this.remote as TerminalSession | undefined;
      if (remote)
        return remote.input(
          keys
            .slice(i)
            .map(([, raw]) => raw)
            .join(''),
        );
      // While a command runs without reading the terminal, only Ctrl-C reaches it.
      const interrupting = key.kind === 'key' && key.name === 'ctrl-c';
      if (this.job && !this.program && !interrupting) continue;
      const result = this.editor.handle(key);
      this.tabs = result.kind === 'complete' ? this.tabs + 1 : 0;
      this.handling = true;
      try {
        this.dispatch(result);
      } finally {
        this.handling = false;
      }
      this.promptIfIdle();
      if (result.kind === 'submit') {
        this.afterLine();
        if (this.headless) this.waitForJob();
      }
    }
  }

  /** Type one line followed by Enter (the headless runner and "show me"). */
  type(line: string): void {
    this.input(line.replace(/[\r\n]/g, '') + '\r');
  }

  private dispatch(result: ReturnType<LineEditor['handle']>): void {
    switch (result.kind) {
      case 'submit':
        if (this.program) this.program.line(result.line);
        else this.runLine(result.line);
        break;
      case 'interrupt':
        if (this.program) {
          const job = this.job;
          if (job) job.interrupting = true;
          this.program.interrupt();
          if (job) job.interrupting = false;
        } else if (this.job) this.job.interrupt();
        this.continuation = undefined;
        break;
      case 'eof':
        if (this.program) this.program.eof?.();
        else if (this.continuation) {
          this.editor.leave();
          this.output('\r\n');
          this.error("unexpected EOF while looking for matching `''");
          this.continuation = undefined;
        } else {
          this.editor.leave();
          this.logout(0);
        }
        break;
      case 'escape':
        if (this.program?.escape) {
          this.editor.dismiss();
          this.output('^]\r\n');
          this.program.escape();
        }
        break;
      case 'clear':
        this.output('\x1b[H\x1b[2J');
        this.editor.redraw();
        break;
      case 'complete':
        if (!this.program) this.complete();
        break;
      case 'none':
        break;
    }
  }

  private runLine(line: string): void {
    const text = [...(this.continuation ?? []), line].join('\n');
    const parsed = parse(text);
    if (parsed.kind === 'incomplete') {
      this.continuation = [...(this.continuation ?? []), line];
      return;
    }
    this.continuation = undefined;
    if (parsed.kind === 'error') {
      this.error(parsed.message);
      this.executor.status = 2;
      return;
    }
    if (parsed.list.items.length === 0) return;
    let job: Job | undefined = undefined;
    this.loggedOut = false;
    job = this.executor.run(parsed.list, () => {
      if (this.job === job) this.job = undefined;
      // `exit 3` ends this shell; the next one starts with $? = 0.
      if (this.loggedOut) this.executor.status = 0;
      this.jobFinished();
    });
    if (job.running) this.job = job;
  }

  /**
   * A script cannot wait in real time: run the world while the foreground command waits on
   * it (not on the keyboard), as the shell waits for a command before reading the next line.
   */
  private waitForJob(): void {
    let ran = 0;
    while (this.waitsOnWorld() && ran++ < WAIT_LIMIT && this.world.clock.step()) {
      // Each step may finish the job (a DNS answer, ping's last reply, a timeout).
    }
    if (ran > 1) this.afterLine();
  }

  /** The command line runs on without the keyboard (here, or in `ssh HOST COMMAND`). */
  private waitsOnWorld(): boolean {
    if (!this.job || this.program) return false;
    const remote = this.remote;
    return !remote || (remote.batch && remote.waitsOnWorld());
  }

  private jobFinished(): void {
    if (this.handling) return;
    if (this.editor.active) this.editor.dismiss();
    this.promptIfIdle();
  }

  /** Show the prompt that fits: the program's, the shell's, or none while a command runs. */
  private promptIfIdle(): void {
    if (this.ended || this.remote) return;
    // A line begun for a program that has gone (or for the shell, now a program runs) goes,
    // and so does an empty one whose prompt the program changed (mail's "Cc: " after Ctrl-D).
    const stale = this.promptStale && !this.handling && this.promptFor === this.program;
    if (!this.handling) this.promptStale = false;
    if (this.editor.active && (stale || this.promptFor !== (this.program ?? 'shell'))) {
      this.editor.dismiss();
    }
    if (this.editor.active || this.handling) return;
    if (this.program) {
      this.editor.begin(this.program.prompt(), false);
      this.promptFor = this.program;
    } else if (!this.job && !this.batch) {
      this.editor.begin(this.continuation ? '> ' : this.shellPrompt());
      this.promptFor = 'shell';
    }
  }

  private setProgram(program: Program | undefined): void {
    this.program = program;
    if (this.editor.active && !this.handling) this.editor.dismiss();
    this.promptIfIdle();
  }

  private promptChanged(): void {
    if (!this.program) return;
    if (this.handling) {
      this.promptStale = true;
      return;
    }
    if (this.editor.active) this.editor.dismiss();
    this.promptIfIdle();
  }

  private complete(): void {
    const { world, host, fs, user } = this;
    const hosts = world.scenario.hosts;
    const found = complete(this.editor.line, this.editor.cursorIndex, {
      commands: () => commandsOn(world, host).map((c) => c.name),
      hosts: () => [
        ...hosts.map((h) => h.name),
        ...world.scenario.domains.map((d) => d.name),
        ...hosts.map((h) => h.address),
      ],
      list: (dir) => {
        const names = fs.list(dir, user);
        if (!names.ok) return undefined;
        return names.value.map((name) => {
          const stat = fs.stat(resolvePath(dir, name), user);
          return { name, dir: stat.ok && stat.value.type === 'dir' };
        });
      },
      argumentKind: (name) => findCommand(name, world, host)?.completes ?? 'files',
      resolve: (path) =>
        resolvePath(
          this.session.cwd,
          path.replace(/^~(?=\/|$)/, this.session.vars.get('HOME') ?? ''),
        ),
    });
    const { candidates } = found;
    if (candidates.length === 1) {
      const only = candidates[0]!;
      this.editor.replace(found.start, found.end, only.text + only.suffix);
      return;
    }
    const prefix = commonPrefix(candidates.map((c) => c.text));
    if (prefix.length > found.word.length && prefix.startsWith(found.word)) {
      this.editor.replace(found.start, found.end, prefix);
    } else if (candidates.length > 1 && this.tabs >= 2) {
      const names = candidates.map((c) => escapeForTerminal(c.display));
      this.editor.showBelow(columns(names, this.editor.cols).replace(/\n/g, '\r\n'));
    } else {
      this.output('\x07');
    }
  }

  /** Text the shell itself prints above the line being edited. */
  private print(safe: string): void {
    const editing = this.editor.active;
    if (editing) this.editor.hide();
    this.output(safe);
    if (editing) this.editor.redraw();
  }

  private error(message: string): void {
    this.print(escapeForTerminal(`-bash: ${message}\n`));
  }

  /** End the login shell; a new one starts on the same host, as after logging in again. */
  private logout(status: number): void {
    this.print('logout\r\n');
    this.executor.abort();
    this.executor.status = 0;
    this.loggedOut = true;
    this.continuation = undefined;
    this.session.cwd = this.session.home;
    this.session.vars.clear();
    for (const [k, v] of this.initialVars()) this.session.vars.set(k, v);
    if (this.options.endOnLogout) this.ended = true;
    this.options.onLogout?.(status);
  }

  /** A shell on `host` for ssh, drawing on this terminal with the same settings. */
  private remoteSession(
    host: string,
    user: string,
    onLogout: (status: number) => void,
    output: (text: string) => void = this.output,
  ): TerminalSession {
    return new TerminalSession(this.world, host, output, {
      ...this.options,
      cols: this.editor.cols,
      user,
      endOnLogout: true,
      onLogout,
    });
  }

  private remoteLogin(host: string, user: string, closed: (status: number) => void): void {
    const remote = this.remoteSession(host, user, (status) => {
      if (this.remote === remote) this.remote = undefined;
      closed(status);
    });
    this.remote = remote;
    remote.start();
  }

  private remoteCommand(
    host: string,
    user: string,
    line: string,
    done: (status: number) => void,
    output?: (text: string) => void,
  ): void {
    const remote = this.remoteSession(host, user, () => {}, output);
    remote.batch = true;
    const parsed = parse(line);
    if (parsed.kind !== 'ok') {
      remote.error(
        parsed.kind === 'error' ? parsed.message : 'syntax error: unexpected end of file',
      );
      return done(2);
    }
    this.remote = remote;
    const job = remote.executor.run(parsed.list, (status) => {
      remote.job = undefined;
      remote.ended = true;
      if (this.remote === remote) this.remote = undefined;
      done(status);
    });
    if (job.running) remote.job = job;
  }

  private newSession(): ShellSession {
    const home = this.fs.home(this.user);
    const history = this.editor.history;
    return {
      cwd: home,
      home,
      vars: new Map(this.initialVars()),
      history: history as string[],
      cols: () => this.editor.cols,
      clear: () => this.output('\x1b[H\x1b[2J\x1b[3J'),
      logout: (status) => this.logout(status),
      remoteLogin: (host, user, closed) => this.remoteLogin(host, user, closed),
      remoteCommand: (host, user, line, done, output) =>
        this.remoteCommand(host, user, line, done, output),
    };
  }

  private newExecutor(): Executor {
    const realTime = this.headless ? undefined : (this.options.realTime ?? environmentTimers());
    return new Executor({
      world: this.world,
      host: this.host,
      user: this.user,
      fs: this.fs,
      session: this.session,
      headless: this.headless,
      realTime,
      print: (safe) => this.print(safe),
      settle: () => this.afterLine(),
      setProgram: (program) => this.setProgram(program),
      promptChanged: () => this.promptChanged(),
    });
  }

  private initialVars(): [string, string][] {
    const home = this.fs.home(this.user);
    return [
      ['HOME', home],
      ['USER', this.user],
      ['LOGNAME', this.user],
      ['HOSTNAME', this.host],
      ['SHELL', '/bin/bash'],
      [
        'PATH',
        this.user === 'root'
          ? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
          : '/usr/local/bin:/usr/bin:/bin:/usr/games',
      ],
      ['PWD', home],
      ['TERM', 'xterm-256color'],
      ['LANG', 'C.UTF-8'],
      ['MAIL', `/var/mail/${this.user}`],
    ];
  }

  private shellPrompt(): string {
    const short = this.host.split('.')[0];
    const who = `${this.user}@${short}`;
    const home = this.session.vars.get('HOME') ?? this.session.home;
    const cwd = this.session.cwd;
    const where = escapeForTerminal(
      cwd === home ? '~' : cwd.startsWith(home + '/') ? '~' + cwd.slice(home.length) : cwd,
    );
    const sigil = this.user === 'root' ? '#' : '$';
    return this.color
      ? `\x1b[1;32m${who}\x1b[0m:\x1b[1;34m${where}\x1b[0m${sigil} `
      : `${who}:${where}${sigil} `;
  }
}

/** The host environment's timers (a browser tab, Node), if there are any. */
function environmentTimers(): RealTime | undefined {
  const g = globalThis as {
    setTimeout?: (run: () => void, ms: number) => unknown;
    clearTimeout?: (handle: unknown) => void;
  };
  if (typeof g.setTimeout !== 'function' || typeof g.clearTimeout !== 'function') return undefined;
  const { setTimeout, clearTimeout } = g;
  return {
    after(ms, run) {
      const handle = setTimeout(run, ms);
      return { cancel: () => clearTimeout(handle) };
    },
  };
}
