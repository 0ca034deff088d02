/**
 * Mermaid, fetched the first time a diagram is shown (never in the initial bundle), and a
 * render queue: Mermaid's render is not re-entrant, so diagrams render one after another.
 * Every render runs with securityLevel 'strict'; flowcharts use SVG text labels (no HTML).
 */
type MermaidApi = (typeof import('mermaid'))['default'];

let loading: Promise<MermaidApi> | undefined;

export function loadMermaid(): Promise<MermaidApi> {
  loading ??= import('mermaid').then(({ default: mermaid }) => mermaid);
  return loading;
}

const BASE = {
  startOnLoad: false,
  securityLevel: 'strict',
  theme: 'dark',
  fontSize: 13,
  themeVariables: { fontSize: '13px' },
  // No wrapping: Mermaid's wrapper splits entity codes (#60;) and hyphenates addresses.
  sequence: {
    mirrorActors: false,
    wrap: false,
    useMaxWidth: false,
    messageMargin: 20,
    actorMargin: 40,
    width: 130,
    height: 44,
    boxMargin: 6,
    noteMargin: 6,
    actorFontSize: 13,
    messageFontSize: 13,
    noteFontSize: 12,
  },
  flowchart: { useMaxWidth: false, curve: 'basis', nodeSpacing: 30, rankSpacing: 60 },
} as const;

let counter = 0;
let queue: Promise<unknown> = Promise.resolve();

export type DiagramKind = 'sequence' | 'flowchart';

/** Render Mermaid source (built by the diagram builders, labels escaped) to SVG markup. */
export function renderMermaid(
  kind: DiagramKind,
  source: string,
  stillWanted: () => boolean = () => true,
): Promise<{ svg: string; id: string } | undefined> {
  const run = async () => {
    // A newer source replaced this one while it waited its turn: skip the work.
    if (!stillWanted()) return undefined;
    const mermaid = await loadMermaid();
    // Re-initialised per render: flowcharts draw labels as SVG text, sequences as before.
    mermaid.initialize({ ...BASE, htmlLabels: kind !== 'flowchart' });
    const id = `mermaid-${++counter}`;
    const { svg } = await mermaid.render(id, source);
    return { svg, id };
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
