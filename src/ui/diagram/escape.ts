/**
 * The one escaper for text that goes into a Mermaid diagram. Control characters and
 * direction overrides are dropped and length is capped, because a label is a summary, not
 * the data; then every character that could mean something to Mermaid or to HTML is
 * written as an entity, so no label can close a message or a node, start a directive
 * (`%%{init}%%`), a comment, a markdown string or inject markup. Participant and node ids
 * are never built from data: builders use fixed ids (P0, h1, e2…) with escaped labels.
 *
 * Two spellings, because Mermaid decodes entities differently per diagram type:
 * - sequence diagrams decode Mermaid's own `#60;` codes (escapeMermaidLabel);
 * - flowcharts (Mermaid 11.17) leave `#60;` undecoded but read HTML named entities such
 *   as `&lt;` as text (escapeFlowchartLabel). Only ASCII punctuation is syntax there, so
 *   every ASCII mark outside a small safe set gets its named entity.
 */
export const MAX_LABEL = 120;

const SAFE = /[A-Za-z0-9 .,@_\-+=/()?!*']/;

const STRIP = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function summarize(untrusted: string, max: number): string[] {
  const clean = [...untrusted.replace(STRIP, '')];
  return clean.length > max ? [...clean.slice(0, Math.max(0, max - 1)), '…'] : clean;
}

/** For sequence diagrams: unsafe characters become Mermaid entity codes (`#60;`). */
export function escapeMermaidLabel(untrusted: string, max = MAX_LABEL): string {
  return summarize(untrusted, max)
    .map((ch) => (SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`))
    .join('');
}

/** HTML5 named entities for every ASCII mark a flowchart label must not contain raw. */
const FLOWCHART_ENTITIES: Record<string, string> = {
  '!': '&excl;',
  '"': '&quot;',
  '#': '&num;',
  $: '&dollar;',
  '%': '&percnt;',
  '&': '&amp;',
  "'": '&apos;',
  '(': '&lpar;',
  ')': '&rpar;',
  '*': '&ast;',
  '+': '&plus;',
  ',': '&comma;',
  ':': '&colon;',
  ';': '&semi;',
  '<': '&lt;',
  '=': '&equals;',
  '>': '&gt;',
  '?': '&quest;',
  '[': '&lsqb;',
  '\\': '&bsol;',
  ']': '&rsqb;',
  '^': '&Hat;',
  '`': '&grave;',
  '{': '&lbrace;',
  '|': '&verbar;',
  '}': '&rbrace;',
  '~': '&tilde;',
};

const FLOWCHART_SAFE = /[A-Za-z0-9 .@_\-/]/;

/** For flowchart labels (inside `"…"`): ASCII marks become HTML named entities. */
export function escapeFlowchartLabel(untrusted: string, max = MAX_LABEL): string {
  return summarize(untrusted, max)
    .map((ch) => {
      if (FLOWCHART_SAFE.test(ch)) return ch;
      const named = FLOWCHART_ENTITIES[ch];
      if (named) return named;
      // Anything else non-ASCII is text to Mermaid and to HTML alike.
      return ch.codePointAt(0)! > 0x7f ? ch : '';
    })
    .join('');
}
