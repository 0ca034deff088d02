/**
 * The presenter's shortcuts never take a key the learner types into the terminal: alone,
 * a key is a shortcut only outside the terminal and text fields; Ctrl+Alt+key works
 * everywhere, unless the keyboard layout makes a character of it (AltGr).
 */
import { describe, expect, it } from 'vitest';
import { actionFor, BINDINGS, type KeyPress } from '../../../src/ui/presenter/keys';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code: /^[a-z]$/.test(key) ? `Key${key.toUpperCase()}` : '',
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  altGraph: false,
  ...extra,
});
const chord = (key: string, extra: Partial<KeyPress> = {}) =>
  press(key, { ctrlKey: true, altKey: true, ...extra });

describe('presenter shortcuts', () => {
  it('map single keys outside the terminal', () => {
    expect(actionFor(press('n'), 'page')).toBe('next');
    expect(actionFor(press('N'), 'page')).toBe('next');
    expect(actionFor(press('PageDown'), 'page')).toBe('next');
    expect(actionFor(press('b'), 'page')).toBe('previous');
    expect(actionFor(press('k'), 'button')).toBe('play');
    expect(actionFor(press(' '), 'page')).toBe('play');
    expect(actionFor(press('ArrowLeft'), 'page')).toBe('stepBack');
    expect(actionFor(press('l'), 'page')).toBe('stepForward');
    expect(actionFor(press(']'), 'page')).toBe('faster');
    expect(actionFor(press('+'), 'page')).toBe('zoomIn');
    expect(actionFor(press('-'), 'page')).toBe('zoomOut');
    expect(actionFor(press('2'), 'page')).toBe('toggleTopology');
    expect(actionFor(press('?'), 'page')).toBe('help');
    expect(actionFor(press('x'), 'page')).toBeUndefined();
  });

  it('leave every key typed into the terminal or a field to it', () => {
    for (const b of BINDINGS) {
      for (const key of b.keys) {
        expect(actionFor(press(key), 'terminal')).toBeUndefined();
        expect(actionFor(press(key), 'field')).toBeUndefined();
      }
    }
    // Space and Enter press a focused button.
    expect(actionFor(press(' '), 'button')).toBeUndefined();
    expect(actionFor(press('Enter'), 'button')).toBeUndefined();
  });

  it('take Ctrl+Alt with the same key anywhere, the terminal included', () => {
    for (const b of BINDINGS) {
      expect(actionFor(chord(b.keys[0]!), 'terminal')).toBe(b.action);
      expect(actionFor(chord(b.keys[0]!), 'page')).toBe(b.action);
    }
    // macOS: Option changes the character; the key's position still says which.
    expect(actionFor(chord('˜', { code: 'KeyN' }), 'terminal')).toBe('next');
    expect(actionFor(chord('¡', { code: 'Digit1' }), 'terminal')).toBe('toggleTerminal');
  });

  it('leave AltGr characters and browser shortcuts alone', () => {
    // Windows reports AltGr as Ctrl+Alt: "@" on a German keyboard is AltGr+Q.
    expect(actionFor(chord('@', { code: 'KeyQ', altGraph: true }), 'terminal')).toBeUndefined();
    expect(actionFor(chord('n', { altGraph: true }), 'page')).toBeUndefined();
    expect(actionFor(press('n', { ctrlKey: true }), 'page')).toBeUndefined();
    expect(actionFor(press('r', { metaKey: true }), 'page')).toBeUndefined();
    expect(actionFor(press('n', { altKey: true }), 'page')).toBeUndefined();
    expect(actionFor(chord('n', { metaKey: true }), 'page')).toBeUndefined();
  });
});
