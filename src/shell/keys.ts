/** Split terminal input (what xterm's onData gives, or a pasted string) into keys. */
export type Key =
  | { kind: 'char'; ch: string }
  | {
      kind: 'key';
      name:
        | 'enter'
        | 'backspace'
        | 'delete'
        | 'left'
        | 'right'
        | 'up'
        | 'down'
        | 'home'
        | 'end'
        | 'tab'
        | 'ctrl-a'
        | 'ctrl-c'
        | 'ctrl-d'
        | 'ctrl-e'
        | 'ctrl-k'
        | 'ctrl-l'
        | 'ctrl-u'
        | 'ctrl-w'
        | 'ctrl-]'
        | 'unknown';
    };

const SEQUENCES: Record<string, Key> = {
  '\x1b[A': { kind: 'key', name: 'up' },
  '\x1b[B': { kind: 'key', name: 'down' },
  '\x1b[C': { kind: 'key', name: 'right' },
  '\x1b[D': { kind: 'key', name: 'left' },
  '\x1bOA': { kind: 'key', name: 'up' },
  '\x1bOB': { kind: 'key', name: 'down' },
  '\x1bOC': { kind: 'key', name: 'right' },
  '\x1bOD': { kind: 'key', name: 'left' },
  '\x1b[H': { kind: 'key', name: 'home' },
  '\x1b[F': { kind: 'key', name: 'end' },
  '\x1bOH': { kind: 'key', name: 'home' },
  '\x1bOF': { kind: 'key', name: 'end' },
  '\x1b[1~': { kind: 'key', name: 'home' },
  '\x1b[4~': { kind: 'key', name: 'end' },
  '\x1b[3~': { kind: 'key', name: 'delete' },
};

const CONTROLS: Record<string, Key> = {
  '\r': { kind: 'key', name: 'enter' },
  '\n': { kind: 'key', name: 'enter' },
  '\x7f': { kind: 'key', name: 'backspace' },
  '\b': { kind: 'key', name: 'backspace' },
  '\t': { kind: 'key', name: 'tab' },
  '\x01': { kind: 'key', name: 'ctrl-a' },
  '\x03': { kind: 'key', name: 'ctrl-c' },
  '\x04': { kind: 'key', name: 'ctrl-d' },
  '\x05': { kind: 'key', name: 'ctrl-e' },
  '\x0b': { kind: 'key', name: 'ctrl-k' },
  '\x0c': { kind: 'key', name: 'ctrl-l' },
  '\x15': { kind: 'key', name: 'ctrl-u' },
  '\x17': { kind: 'key', name: 'ctrl-w' },
  '\x1d': { kind: 'key', name: 'ctrl-]' },
};

export function parseKeys(data: string): Key[] {
  return splitKeys(data).map(([key]) => key);
}

/** Each key with the input it came from (to hand the rest of a paste on unchanged). */
export function splitKeys(data: string): [Key, string][] {
  const keys: [Key, string][] = [];
  for (let i = 0; i < data.length;) {
    const start = i;
    if (data[i] === '\x1b') {
      const seq = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])?/.exec(data.slice(i))![0];
      keys.push([SEQUENCES[seq] ?? { kind: 'key', name: 'unknown' }, seq]);
      i += seq.length;
      continue;
    }
    // A CRLF pair (from a paste) is one Enter.
    if (data[i] === '\r' && data[i + 1] === '\n') i++;
    const ch = String.fromCodePoint(data.codePointAt(i)!);
    i += ch.length;
    const control = CONTROLS[ch];
    const raw = data.slice(start, i);
    if (control) keys.push([control, raw]);
    else if (/[\x00-\x1f\x7f-\x9f]/.test(ch)) keys.push([{ kind: 'key', name: 'unknown' }, raw]);
    else keys.push([{ kind: 'char', ch }, raw]);
  }
  return keys;
}
