/**
 * Mermaid diagrams in lesson Markdown (```mermaid blocks). The panel draws them through
 * the views' Mermaid path (securityLevel 'strict'); `lessons check` refuses what that path
 * should not be given. Pure and small: the panel uses it directly.
 */

/** The kinds of diagram a lesson may draw (as src/ui/diagram/mermaid.ts renders them). */
export type LessonDiagramKind = 'sequence' | 'flowchart';

const KINDS: [RegExp, LessonDiagramKind][] = [
  [/^sequenceDiagram$/, 'sequence'],
  [/^(?:flowchart|graph)(?:\s+(?:TB|TD|BT|RL|LR))?$/, 'flowchart'],
];

/** The first line that is not blank or a `%%` comment. */
function header(source: string): string {
  return (
    source
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('%%')) ?? ''
  );
}

export function diagramKind(source: string): LessonDiagramKind | undefined {
  const first = header(source);
  return KINDS.find(([re]) => re.test(first))?.[1];
}

/** The diagram's `accTitle:`, read out by screen readers in place of the picture. */
export function diagramTitle(source: string): string | undefined {
  return /^[ \t]*accTitle[ \t]*:[ \t]*(\S.*?)[ \t]*$/m.exec(source)?.[1];
}

/** What is wrong with a lesson's diagram, or undefined. */
export function diagramProblem(source: string): string | undefined {
  if (source.trim() === '') return 'is empty';
  if (/%%\{/.test(source)) {
    return 'has a %%{…}%% directive: the lab configures Mermaid itself (securityLevel strict)';
  }
  if (!diagramKind(source)) {
    return `starts with "${header(source).slice(0, 40)}": lessons draw a sequenceDiagram or a flowchart (graph)`;
  }
  if (/^[ \t]*(?:click|href)\b/m.test(source)) {
    return 'has a "click" line: diagrams in lessons are pictures, not links or buttons';
  }
  if (!diagramTitle(source)) {
    return 'needs an "accTitle: …" line, the title screen readers read in place of the picture';
  }
  return undefined;
}
