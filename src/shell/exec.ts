/**
 * Runs parsed command lines: lists (`;`, `&&`, `||`), pipelines and redirections, with
 * commands that may finish later (a DNS answer, a TCP session). Pipeline stages run one
 * after another, each reading what the previous one wrote; the last stage's output and
 * every stage's errors reach the terminal through the escaping sink.
 */
import { utf8 } from '../engine/bytes';
import type { World } from '../engine/world';
import { escapeForTerminal } from './escape';
import { expandString, expandWord, type ExpandEnv } from './expand';
import { ERROR_TEXT, resolvePath, type FileSystem } from './fs';
import { FileOutput, PipeBuffer, TerminalOutput, type InputSource, type OutputStream } from './io';
import { renderHelp } from './man';
import type { AndOr, CommandList, Pipeline, Redirect, SimpleCommand, Word } from './parse';
import {
  PENDING,
  type CommandContext,
  type Program,
  type RealTime,
  type ShellSession,
} from './program';
import { findCommand } from './commands';

/** What the terminal provides to the commands it runs. */
export interface ExecHost {
  readonly world: World;
  readonly host: string;
  readonly user: string;
  readonly fs: FileSystem;
  readonly session: ShellSession;
  readonly headless: boolean;
  readonly realTime: RealTime | undefined;
  /** Text already made safe, to the terminal. */
  print(safe: string): void;
  /** The program reading the terminal's lines, or none. */
  setProgram(program: Program | undefined): void;
  /** The foreground program's prompt changed. */
  promptChanged(): void;
  /** Let the world run as after a typed line. */
  settle(): void;
}

/** $$: bash's process id, fixed so that runs are reproducible. */
const PID = '1337';

/** A command line being run: the terminal can interrupt it (Ctrl-C). */
export class Job {
  running = true;
  aborted = false;
  /** Ctrl-C is being delivered to the program in the foreground. */
  interrupting = false;
  /** Stops the stage that is running now. */
  kill: (() => void) | undefined;

  interrupt(): void {
    this.aborted = true;
    this.kill?.();
  }
}

type Fds = [InputSource, OutputStream, OutputStream];

export class Executor {
  /** $? */
  status = 0;
  private current: Job | undefined;

  constructor(private readonly host: ExecHost) {}

  /** Run nothing more of the current command line once its running command ends (exit). */
  abort(): void {
    if (this.current) this.current.aborted = true;
  }

  run(list: CommandList, done: (status: number) => void): Job {
    const job = new Job();
    this.current = job;
    const next = (i: number): void => {
      const item = list.items[i];
      if (!item || job.aborted) {
        job.running = false;
        if (this.current === job) this.current = undefined;
        done(this.status);
        return;
      }
      if (item.background) {
        this.host.print(
          escapeForTerminal(
            '-bash: job control is not available here; running in the foreground\n',
          ),
        );
      }
      this.andOr(job, item.andOr, () => next(i + 1));
    };
    next(0);
    return job;
  }

  private andOr(job: Job, andOr: AndOr, done: () => void): void {
    const next = (i: number): void => {
      const step = andOr.rest[i];
      if (!step || job.aborted) return done();
      const run = step.op === '&&' ? this.status === 0 : this.status !== 0;
      if (run) this.pipeline(job, step.pipeline, () => next(i + 1));
      else next(i + 1);
    };
    this.pipeline(job, andOr.first, () => next(0));
  }

  private pipeline(job: Job, pipeline: Pipeline, done: () => void): void {
    const count = pipeline.commands.length;
    const step = (k: number, stdin: InputSource): void => {
      const last = k === count - 1;
      const pipe = last ? undefined : new PipeBuffer();
      this.stage(job, pipeline.commands[k]!, stdin, pipe, (status) => {
        if (job.aborted) {
          this.status = status;
          return done();
        }
        if (!last) return step(k + 1, { terminal: false, data: pipe!.bytes() });
        this.status = pipeline.negate ? Number(status === 0) : status;
        done();
      });
    };
    step(0, { terminal: true });
  }

  private stage(
    job: Job,
    command: SimpleCommand,
    stdin: InputSource,
    pipe: PipeBuffer | undefined,
    done: (status: number) => void,
  ): void {
    const host = this.host;
    const env = this.expandEnv();
    const terminalOut = new TerminalOutput((s) => host.print(s));
    const terminalErr = new TerminalOutput((s) => host.print(s));
    let finished = false;
    let program: Program | undefined;
    const finish = (status: number) => {
      if (finished) return;
      finished = true;
      // Killed by Ctrl-C (status 128 + SIGINT): bash runs nothing more of the line.
      if (job.interrupting && status === 130) job.aborted = true;
      job.kill = undefined;
      if (program) host.setProgram(undefined);
      terminalOut.end();
      terminalErr.end();
      done(status);
    };

    const assignments: [string, string][] = [];
    let w = 0;
    for (; w < command.words.length; w++) {
      const assignment = splitAssignment(command.words[w]!);
      if (!assignment) break;
      assignments.push([assignment.name, expandString(assignment.value, env)]);
    }
    const argv = command.words.slice(w).flatMap((word) => expandWord(word, env));

    const fds: Fds = [stdin, pipe ?? terminalOut, terminalErr];
    for (const redirect of command.redirects) {
      const problem = this.redirect(redirect, fds, env);
      if (problem) {
        fds[2].write(`-bash: ${problem}\n`);
        return finish(1);
      }
    }
    const [name, ...args] = argv;
    if (name === undefined) {
      for (const [key, value] of assignments) host.session.vars.set(key, value);
      return finish(0);
    }
    const spec = findCommand(name, host.world, host.host);
    if (!spec) {
      fds[2].write(`-bash: ${name}: ${this.notFound(name)}\n`);
      return finish(this.notFoundStatus(name));
    }
    if (args.includes('--help')) {
      fds[1].write(renderHelp(spec.name, spec.man));
      return finish(0);
    }
    const guard = (out: OutputStream): OutputStream => ({
      isTerminal: out.isTerminal,
      write: (data) => {
        if (!finished) out.write(data);
      },
    });
    const ctx: CommandContext = {
      world: host.world,
      host: host.host,
      user: host.user,
      name,
      args,
      fs: host.fs,
      session: host.session,
      stdin: fds[0],
      stdout: guard(fds[1]),
      stderr: guard(fds[2]),
      headless: host.headless,
      realTime: host.realTime,
      foreground: (p) => {
        if (finished) return;
        program = p;
        host.setProgram(p);
      },
      promptChanged: () => host.promptChanged(),
      settle: () => host.settle(),
      exit: finish,
      resolve: (path) => resolvePath(host.session.cwd, path),
    };
    job.kill = () => finish(130);
    const result = spec.run(ctx);
    if (result !== PENDING) finish(result);
  }

  /** Apply one redirection to the descriptor table; returns bash's complaint, if any. */
  private redirect(r: Redirect, fds: Fds, env: ExpandEnv): string | undefined {
    const { fs, user, session } = this.host;
    if (r.op === '<<' || r.op === '<<<') {
      const text = r.op === '<<' ? expandString(r.body!, env) : expandString(r.target, env) + '\n';
      if (r.fd === 0) fds[0] = { terminal: false, data: utf8(text) };
      return undefined;
    }
    const fields = expandWord(r.target, env);
    const raw = r.target.parts.map((p) => (p.kind === 'text' ? p.text : `$${p.name}`)).join('');
    if (fields.length !== 1) return `${raw}: ambiguous redirect`;
    const target = fields[0]!;
    const path = resolvePath(session.cwd, target);
    const open = (append: boolean): OutputStream | string => {
      if (target === '') return `: ${ERROR_TEXT.ENOENT}`;
      const opened = fs.write(path, user, new Uint8Array(0), append);
      return opened.ok ? new FileOutput(fs, path, user) : `${target}: ${ERROR_TEXT[opened.error]}`;
    };
    const setOut = (fd: number, out: OutputStream | string): string | undefined => {
      if (typeof out === 'string') return out;
      if (fd === 1 || fd === 2) fds[fd] = out;
      return undefined;
    };
    switch (r.op) {
      case '<': {
        const read = fs.read(path, user);
        if (!read.ok) return `${target}: ${ERROR_TEXT[read.error]}`;
        if (r.fd === 0) fds[0] = { terminal: false, data: read.value };
        return undefined;
      }
      case '>':
      case '>|':
      case '>>':
        return setOut(r.fd, open(r.op === '>>'));
      case '&>':
      case '&>>': {
        const out = open(r.op === '&>>');
        return setOut(1, out) ?? setOut(2, out);
      }
      case '>&': {
        if (/^\d+$/.test(target)) {
          const from = Number(target);
          if (from !== 1 && from !== 2) return `${target}: Bad file descriptor`;
          return setOut(r.fd, fds[from]);
        }
        if (target === '-') return setOut(r.fd, { isTerminal: false, write: () => {} });
        const out = open(false);
        return r.fd === 1 ? (setOut(1, out) ?? setOut(2, out)) : setOut(r.fd, out);
      }
      case '<&':
        if (target === '-') fds[0] = { terminal: false, data: new Uint8Array(0) };
        else if (target !== '0') return `${target}: Bad file descriptor`;
        return undefined;
    }
  }

  private notFound(name: string): string {
    if (!name.includes('/')) return 'command not found';
    const stat = this.host.fs.stat(resolvePath(this.host.session.cwd, name), this.host.user);
    if (!stat.ok) return ERROR_TEXT[stat.error];
    return stat.value.type === 'dir' ? ERROR_TEXT.EISDIR : ERROR_TEXT.EACCES;
  }

  /** 127 for "not found", 126 for "found but cannot run". */
  private notFoundStatus(name: string): number {
    if (!name.includes('/')) return 127;
    return this.host.fs.stat(resolvePath(this.host.session.cwd, name), this.host.user).ok
      ? 126
      : 127;
  }

  private expandEnv(): ExpandEnv {
    const { fs, user, session } = this.host;
    return {
      param: (name) => {
        if (name === '?') return String(this.status);
        if (name === '$') return PID;
        if (name === '0') return '-bash';
        if (name === '#') return '0';
        if (name === '-') return 'himBHs';
        if (/^[0-9!@*]$/.test(name)) return '';
        return session.vars.get(name);
      },
      home: (who) =>
        who === ''
          ? (session.vars.get('HOME') ?? session.home)
          : fs.hasUser(who)
            ? fs.home(who)
            : undefined,
      list: (dir) => {
        const listed = fs.list(dir, user);
        return listed.ok ? listed.value : undefined;
      },
      exists: (path) => fs.stat(path, user).ok,
      cwd: session.cwd,
    };
  }
}

/** `NAME=value` at the start of a command (the `NAME=` part unquoted, as POSIX requires). */
function splitAssignment(word: Word): { name: string; value: Word } | undefined {
  const first = word.parts[0];
  if (first?.kind !== 'text' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (!m) return undefined;
  const rest = first.text.slice(m[0].length);
  return {
    name: m[1]!,
    value: { parts: [...(rest ? [{ ...first, text: rest }] : []), ...word.parts.slice(1)] },
  };
}
