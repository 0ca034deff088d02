/**
 * Virtual time and a deterministic scheduler. Nothing in the engine reads a wall clock:
 * time moves only when the world runs, and tasks due at the same instant run in the order
 * they were scheduled, so a scenario replays identically.
 */
export type Millis = number;

export interface TimerHandle {
  cancel(): void;
}

/** A scheduled run; it is its own handle, so scheduling allocates one object. */
class Task implements TimerHandle {
  cancelled = false;
  /** Whether the task is still in the heap (a cancel after it ran changes nothing). */
  queued = true;
  constructor(
    readonly at: Millis,
    readonly seq: number,
    readonly run: () => void,
    private readonly scheduler: Scheduler,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    if (this.queued) this.scheduler.noteCancelled();
  }
}

export class Scheduler {
  private time: Millis = 0;
  private seq = 0;
  /** Binary min-heap ordered by (at, seq). */
  private heap: Task[] = [];
  /** Cancelled tasks still in the heap (timeouts of replies that came in time). */
  private cancelled = 0;

  get now(): Millis {
    return this.time;
  }

  /** Run `run` after `delay` virtual milliseconds (0 means "after what is already due now"). */
  after(delay: Millis, run: () => void): TimerHandle {
    const task = new Task(this.time + Math.max(0, delay), this.seq++, run, this);
    this.push(task);
    return task;
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

  /**
   * Most timers are cancelled (a reply came before its timeout), and a cancelled timer far
   * in the future would otherwise stay in the heap until its time: once they are half of
   * it, rebuild the heap without them, so its size follows the live tasks.
   */
  noteCancelled(): void {
    if (++this.cancelled * 2 <= this.heap.length || this.heap.length < 64) return;
    const live = this.heap.filter((t) => !t.cancelled);
    for (const t of this.heap) if (t.cancelled) t.queued = false;
    this.heap = [];
    this.cancelled = 0;
    for (const t of live) this.push(t);
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled) this.pop();
  }

  private push(task: Task): void {
    const h = this.heap;
    // Sift up by moving parents down into the hole, then drop the task in once.
    let i = h.length;
    h.push(task);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(task, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = task;
  }

  private pop(): Task | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top) {
      top.queued = false;
      if (top.cancelled) this.cancelled--;
    }
    const n = h.length;
    if (n > 0 && last) {
      // Sift down the same way: children move up into the hole.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && before(h[r]!, h[l]!) ? r : l;
        if (!before(h[m]!, last)) break;
        h[i] = h[m]!;
        i = m;
      }
      h[i] = last;
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
