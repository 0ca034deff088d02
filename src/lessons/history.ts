/**
 * A lesson's terminal history (what Up arrow recalls), kept per host across visits. When
 * the lesson opens on a lab, each terminal that nothing was typed into yet starts with the
 * lines saved at the last visit (the lab decides: a replay must start it the same way).
 * From then on `changes()` says what to save for each host: the saved lines of a terminal
 * that could not take them, then what was typed there since the lesson opened.
 */

/** What the history needs from the lab's terminals. */
export interface HistoryTerminals {
  /** Hosts with a terminal open now. */
  hosts(): readonly string[];
  /** The lines Up arrow recalls on `host`, oldest first (undefined: no terminal there). */
  history(host: string): readonly string[] | undefined;
  /** Start the terminal on `host` with `lines`; false if something was typed there already. */
  restore(host: string, lines: readonly string[]): boolean;
}

interface Base {
  /** Saved lines the terminal does not hold. */
  keep: readonly string[];
  /** Lines the terminal held before the lesson opened (not the lesson's). */
  from: number;
}

export class LessonHistory {
  private readonly bases = new Map<string, Base>();
  private readonly reported = new Map<string, readonly string[]>();

  constructor(
    saved: Readonly<Record<string, readonly string[]>>,
    private readonly terminals: HistoryTerminals,
  ) {
    const held = (host: string) => terminals.history(host)?.length ?? 0;
    for (const [host, lines] of Object.entries(saved)) {
      this.reported.set(host, lines);
      const restored = terminals.restore(host, lines);
      this.bases.set(host, restored ? { keep: [], from: 0 } : { keep: lines, from: held(host) });
    }
    for (const host of terminals.hosts()) {
      if (!this.bases.has(host)) this.bases.set(host, { keep: [], from: held(host) });
    }
  }

  /** Hosts whose lesson history changed since the last call (or since it opened). */
  changes(): [host: string, lines: string[]][] {
    const changed: [string, string[]][] = [];
    for (const host of this.terminals.hosts()) {
      const history = this.terminals.history(host);
      // A terminal opened after the lesson began is the lesson's from its first line.
      const base = this.bases.get(host) ?? { keep: [], from: 0 };
      // Stepped back to before the lesson opened: nothing of the lesson's to read.
      if (!history || history.length < base.from) continue;
      const lines = [...base.keep, ...history.slice(base.from)];
      const before = this.reported.get(host) ?? [];
      if (lines.length === before.length && lines.every((l, i) => l === before[i])) continue;
      this.reported.set(host, lines);
      changed.push([host, lines]);
    }
    return changed;
  }
}
