import { describe, expect, it } from 'vitest';
import { escapeMermaidLabel, labelText, MAX_LABEL } from '../../../src/ui/diagram/escape';

describe('the Mermaid label escaper', () => {
  it('writes sequence labels with Mermaid entity codes', () => {
    expect(escapeMermaidLabel('MAIL FROM:<a@b>')).toBe('MAIL FROM#58;#60;a@b#62;');
    expect(escapeMermaidLabel('%%{init}%%')).toBe('#37;#37;#123;init#125;#37;#37;');
  });

  it('drops controls and direction overrides, and caps length', () => {
    expect(escapeMermaidLabel('a\x1b]0;x\x07b\r\n\u202ec\u200bd')).not.toMatch(
      /[\x00-\x1f\u202e\u200b]/,
    );
    const long = escapeMermaidLabel('x'.repeat(1000)).replace(/#(\d+);/g, (_, c: string) =>
      String.fromCodePoint(Number(c)),
    );
    expect([...long]).toHaveLength(MAX_LABEL);
    expect(long.endsWith('…')).toBe(true);
  });

  it('keeps plain label text (drawn as React text) as it is, but for controls and length', () => {
    expect(labelText('MAIL FROM:<a@b> %%{init}%%')).toBe('MAIL FROM:<a@b> %%{init}%%');
    expect(labelText('a\x1b]0;x\x07b\r\n\u202ec\u200bd')).toBe('a]0;xbcd');
    expect(labelText('x'.repeat(1000))).toBe('x'.repeat(MAX_LABEL - 1) + '…');
    expect(labelText('x'.repeat(1000), 500)).toHaveLength(500);
  });

  it('leaves nothing Mermaid or HTML could read as syntax', () => {
    const all = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join(
      '',
    );
    const seq = escapeMermaidLabel(all, 1000).replace(/#\d+;/g, '');
    expect(seq).toMatch(/^[A-Za-z0-9 .,@_\-+=/()?!*']*$/);
  });
});
