import { describe, expect, it } from 'vitest';
import {
  escapeFlowchartLabel,
  escapeMermaidLabel,
  MAX_LABEL,
} from '../../../src/ui/diagram/escape';

describe('the Mermaid label escaper', () => {
  it('writes sequence labels with Mermaid entity codes', () => {
    expect(escapeMermaidLabel('MAIL FROM:<a@b>')).toBe('MAIL FROM#58;#60;a@b#62;');
    expect(escapeMermaidLabel('%%{init}%%')).toBe('#37;#37;#123;init#125;#37;#37;');
  });

  it('writes flowchart labels with HTML named entities', () => {
    expect(escapeFlowchartLabel('a "b" <c> & %%{d}%% #e; `f` [g] |h| é')).toBe(
      'a &quot;b&quot; &lt;c&gt; &amp; &percnt;&percnt;&lbrace;d&rbrace;&percnt;&percnt; &num;e&semi; &grave;f&grave; &lsqb;g&rsqb; &verbar;h&verbar; é',
    );
    expect(escapeFlowchartLabel('mx1.beta.example 203.0.113.25')).toBe(
      'mx1.beta.example 203.0.113.25',
    );
  });

  it('drops controls and direction overrides, and caps length', () => {
    for (const escape of [escapeMermaidLabel, escapeFlowchartLabel]) {
      expect(escape('a\x1b]0;x\x07b\r\n\u202ec\u200bd')).not.toMatch(/[\x00-\x1f\u202e\u200b]/);
      const long = escape('x'.repeat(1000)).replace(/#(\d+);/g, (_, c: string) =>
        String.fromCodePoint(Number(c)),
      );
      expect([...long]).toHaveLength(MAX_LABEL);
      expect(long.endsWith('…')).toBe(true);
    }
  });

  it('leaves nothing Mermaid or HTML could read as syntax', () => {
    const all = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join(
      '',
    );
    const flow = escapeFlowchartLabel(all, 1000).replace(/&[a-zA-Z]+;/g, '');
    expect(flow).toMatch(/^[A-Za-z0-9 .@_\-/]*$/);
    const seq = escapeMermaidLabel(all, 1000).replace(/#\d+;/g, '');
    expect(seq).toMatch(/^[A-Za-z0-9 .,@_\-+=/()?!*']*$/);
  });
});
