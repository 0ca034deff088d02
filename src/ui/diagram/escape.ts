/**
 * The one escaper for text that goes into a Mermaid diagram. Everything but plain letters,
 * digits and a few harmless marks becomes a Mermaid entity code (`#60;`), which Mermaid
 * shows as the character without parsing it, so no label can close a message, start a
 * directive (`%%{init}%%`) or inject markup. Control characters are dropped and length is
 * capped, because a label is a summary, not the data.
 */
export const MAX_LABEL = 120;

const SAFE = /[A-Za-z0-9 .,@_\-+=/()?!*']/;

export function escapeMermaidLabel(untrusted: string, max = MAX_LABEL): string {
  const clean = [...untrusted.replace(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, '')];
  const cut = clean.length > max ? [...clean.slice(0, max - 1), '…'] : clean;
  return cut.map((ch) => (SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`)).join('');
}
