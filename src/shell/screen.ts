/**
 * A minimal model of a terminal screen: it applies the control sequences the shell emits
 * (CR, LF, cursor moves, erase, SGR colours ignored) and yields the text a person would
 * see. The headless runner prints it; tests assert on it.
 */
/** A control sequence (CSI), matched where the ESC is: sticky, so no copy of the rest. */
const CSI = /\x1b\[([0-9;]*)([A-Za-z])/y;

export class Screen {
  private lines: string[] = [''];
  private row = 0;
  private col = 0;

  constructor(private readonly cols = 100_000) {}

  write(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      if (c === '\x1b') {
        CSI.lastIndex = i;
        const m = CSI.exec(data);
        if (!m) continue;
        i += m[0].length - 1;
        this.control(m[2]!, m[1] ? Number(m[1].split(';')[0]) : undefined);
      } else if (c === '\r') {
        this.col = 0;
      } else if (c === '\n') {
        this.moveTo(this.row + 1, this.col);
      } else if (c === '\b') {
        this.col = Math.max(0, this.col - 1);
      } else if (c === '\t') {
        // To the next tab stop (every 8 columns), as a terminal moves the cursor.
        this.col = Math.min(this.cols - 1, (Math.floor(this.col / 8) + 1) * 8);
      } else if (c === '\x07') {
        // The bell makes no mark on the screen.
      } else {
        if (this.col >= this.cols) this.moveTo(this.row + 1, 0);
        const line = this.lines[this.row]!.padEnd(this.col);
        this.lines[this.row] = line.slice(0, this.col) + c + line.slice(this.col + 1);
        this.col++;
      }
    }
  }

  /** The screen's text, trailing spaces and empty last lines removed. */
  text(): string {
    const lines = this.lines.map((l) => l.trimEnd());
    while (lines.length > 1 && lines.at(-1) === '') lines.pop();
    return lines.join('\n');
  }

  private control(final: string, n: number | undefined): void {
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - (n ?? 1));
        break;
      case 'B':
        this.moveTo(this.row + (n ?? 1), this.col);
        break;
      case 'C':
        this.col += n ?? 1;
        break;
      case 'D':
        this.col = Math.max(0, this.col - (n ?? 1));
        break;
      case 'H':
        this.row = this.col = 0;
        break;
      case 'J':
        if (n === 2) {
          this.lines = [''];
          this.row = this.col = 0;
        } else {
          this.lines[this.row] = this.lines[this.row]!.slice(0, this.col);
          this.lines.length = this.row + 1;
        }
        break;
      case 'K':
        this.lines[this.row] = this.lines[this.row]!.slice(0, this.col);
        break;
      default: // SGR colours and anything else: no effect on the text
        break;
    }
  }

  private moveTo(row: number, col: number): void {
    while (this.lines.length <= row) this.lines.push('');
    this.row = row;
    this.col = col;
  }
}
