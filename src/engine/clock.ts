/**
 * Virtual time and a deterministic scheduler. Nothing in the engine reads a wall clock:
 * time moves only when the world runs, and tasks due at the same instant run in the order
 * they were scheduled, so a scenario replays identically.
 */
export type Millis = number;

interface Task {
  at: Millis;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

export interface TimerHandle {
  cancel(): void;
}

export class Scheduler {
  private time: Millis = 0;
  private seq = 0;
  /** Binary min-heap ordered by (at, seq). */
  private heap: Task[] = [];

  get now(): Millis {
    return this.time;
  }

  /** Run `run` after `delay` virtual milliseconds (0 means "after what is already due now"). */
  after(delay: Millis, run: () => void): TimerHandle {
    const task: Task = {
      at: this.time + Math.max(0, delay),
      seq: this.seq++,
      run,
      cancelled: false,
    };
    this.push(task);
    return { cancel: () => void (task.cancelled = true) };
  }

  /** Time of the next pending task, or undefined when nothing is scheduled. */
  nextDue(): Millis | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Run the next task, advancing time to it. Returns false when nothing was pending. */
  step(): boolean {
    this.dropCancelled();
    const task = this.pop();
    if (!task) return false;
    this.time = task.at;
    task.run();
    return true;
  }

  /** Run every task due up to and including `until`, then set the clock to `until`. */
  runUntil(until: Millis): void {
    for (let due = this.nextDue(); due !== undefined && due <= until; due = this.nextDue()) {
      this.step();
    }
    if (until > this.time) this.time = until;
  }

  /**
   * Run until nothing is due within `quiet` ms of the last task run: the world has settled
   * (a retry scheduled minutes ahead does not count as activity). `maxTasks` bounds a
   * runaway scenario.
   */
  settle(quiet: Millis, maxTasks = 1_000_000): number {
    let ran = 0;
    for (
      let due = this.nextDue();
      due !== undefined && due <= this.time + quiet;
      due = this.nextDue()
    ) {
      if (ran++ >= maxTasks) throw new Error(`scheduler did not settle after ${maxTasks} tasks`);
      this.step();
    }
    return ran;
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled) this.pop();
  }

  private push(task: Task): void {
    const h = this.heap;
    h.push(task);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): Task | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Format virtual time as an RFC 5322 date, counting from the scenario's epoch. */
export function rfc5322Date(epochMs: Millis, now: Millis): string {
  const d = new Date(epochMs + now);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}
