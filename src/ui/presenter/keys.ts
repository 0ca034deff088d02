/**
 * The presenter's keyboard shortcuts. The terminal must keep every key a learner types, so
 * a plain key is a shortcut only while the focus is outside the terminal and outside text
 * fields; Ctrl+Alt with the same key works everywhere, the terminal included. A chord that
 * the keyboard layout turns into a character (AltGr, which Windows also reports as
 * Ctrl+Alt) is left alone: it is someone typing.
 */

export type Action =
  | 'next'
  | 'previous'
  | 'play'
  | 'stepBack'
  | 'stepForward'
  | 'slower'
  | 'faster'
  | 'zoomIn'
  | 'zoomOut'
  | 'zoomReset'
  | 'toggleTerminal'
  | 'toggleTopology'
  | 'toggleCaption'
  | 'focus'
  | 'help';

export interface Binding {
  action: Action;
  /** Its keys (KeyboardEvent.key, letters in lower case), alone or with Ctrl+Alt. */
  keys: string[];
  /** Shown in the `?` overlay. */
  label: string[];
  what: string;
}

export const BINDINGS: readonly Binding[] = [
  {
    action: 'next',
    keys: ['n', 'PageDown'],
    label: ['N', 'Page Down'],
    what: 'next caption: type its commands (again: finish typing at once)',
  },
  {
    action: 'previous',
    keys: ['b', 'PageUp'],
    label: ['B', 'Page Up'],
    what: 'back to the start of this caption (again: the one before)',
  },
  { action: 'play', keys: ['k', ' '], label: ['K', 'Space'], what: 'play or pause virtual time' },
  {
    action: 'stepBack',
    keys: ['j', 'ArrowLeft'],
    label: ['J', '←'],
    what: 'step back to the previous moment',
  },
  {
    action: 'stepForward',
    keys: ['l', 'ArrowRight'],
    label: ['L', '→'],
    what: 'step forward to the next moment',
  },
  { action: 'slower', keys: ['['], label: ['['], what: 'slower (virtual time and typing)' },
  { action: 'faster', keys: [']'], label: [']'], what: 'faster' },
  { action: 'zoomIn', keys: ['=', '+'], label: ['+'], what: 'larger text' },
  { action: 'zoomOut', keys: ['-'], label: ['−'], what: 'smaller text' },
  { action: 'zoomReset', keys: ['0'], label: ['0'], what: 'text size back to normal' },
  { action: 'toggleTerminal', keys: ['1'], label: ['1'], what: 'show or hide the terminal' },
  { action: 'toggleTopology', keys: ['2'], label: ['2'], what: 'show or hide the topology' },
  { action: 'toggleCaption', keys: ['3'], label: ['3'], what: 'show or hide the caption bar' },
  {
    action: 'focus',
    keys: ['f'],
    label: ['F'],
    what: 'move the focus into the terminal (Ctrl+Alt+F: and back out)',
  },
  {
    action: 'help',
    keys: ['?', '/'],
    label: ['?'],
    what: 'this list of shortcuts (Esc closes it)',
  },
];

/** Where the focus is: keys typed there belong to it, except Ctrl+Alt chords. */
export type FocusPlace = 'terminal' | 'field' | 'button' | 'page';

export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** getModifierState('AltGraph'). */
  altGraph: boolean;
}

/** The action a key press asks for in `place`, if it is a shortcut there. */
export function actionFor(press: KeyPress, place: FocusPlace): Action | undefined {
  if (press.ctrlKey && press.altKey && !press.metaKey && !press.altGraph) {
    const key = chordKey(press);
    return BINDINGS.find((b) => b.keys.includes(key))?.action;
  }
  if (press.ctrlKey || press.altKey || press.metaKey || press.altGraph) return undefined;
  if (place === 'terminal' || place === 'field') return undefined;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  // Space and Enter press a focused button; they stay its keys.
  if (place === 'button' && (key === ' ' || key === 'Enter')) return undefined;
  return BINDINGS.find((b) => b.keys.includes(key))?.action;
}

const CODES: Record<string, string> = {
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Slash: '/',
};

/** The key of a Ctrl+Alt chord, from the character or, where Alt changed it (macOS), the key's position. */
function chordKey(press: KeyPress): string {
  if (/^[\x21-\x7e]$/.test(press.key)) return press.key.toLowerCase();
  const letter = /^(?:Key([A-Z])|Digit(\d))$/.exec(press.code);
  if (letter) return (letter[1] ?? letter[2]!).toLowerCase();
  return CODES[press.code] ?? press.key;
}
