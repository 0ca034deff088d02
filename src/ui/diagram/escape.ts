/**
 * The one escaper for text that goes into a Mermaid diagram. Control characters and
 * direction overrides are dropped and length is capped, because a label is a summary, not
 * the data; then every character that could mean something to Mermaid or to HTML is
 * written as an entity, so no label can close a message or a node, start a directive
 * (`%%{init}%%`), a comment, a markdown string or inject markup. Participant and node ids
 * are never built from data: builders use fixed ids (P0, h1, e2…) with escaped labels.

 */
export const MAX_LABEL = 120;

const SAFE = /[A-Za-z0-9 .,@_\-+=/()?!*']/;

const STRIP = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function summarize(untrusted: string, max: number): string[] {
  const clean = [...untrusted.replace(STRIP, '')];
  return clean.length > max ? [...clean.slice(0, Math.max(0, max - 1)), '…'] : clean;
}

/**
 * Untrusted text as a one-line label: control characters and direction overrides dropped,
 * at most `max` characters (the last an ellipsis when cut). Drawn as React text (the
 * sequence diagram's SVG) it needs nothing more; for Mermaid, the escapers below follow.
 */
export function labelText(untrusted: string, max = MAX_LABEL): string {
  return summarize(untrusted, max).join('');
}

/** For sequence diagrams: unsafe characters become Mermaid entity codes (`#60;`). */
export function escapeMermaidLabel(untrusted: string, max = MAX_LABEL): string {
  return summarize(untrusted, max)
    .map((ch) => (SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`))
    .join('');
}
