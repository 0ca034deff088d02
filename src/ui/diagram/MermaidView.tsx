import { useEffect, useRef, useState } from 'react';

type MermaidApi = (typeof import('mermaid'))['default'];

let loading: Promise<MermaidApi> | undefined;

/** Mermaid is large: fetch it the first time a diagram is shown, never at start-up. */
function loadMermaid(): Promise<MermaidApi> {
  loading ??= import('mermaid').then(({ default: mermaid }) => {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: 'dark',
      // No wrapping: Mermaid's wrapper splits entity codes (#60;) and hyphenates addresses.
      sequence: { mirrorActors: false, wrap: false, messageMargin: 24, useMaxWidth: false },
    });
    return mermaid;
  });
  return loading;
}

let counter = 0;
/** Renders one after another: Mermaid's render is not re-entrant. */
let queue: Promise<unknown> = Promise.resolve();

/** Render Mermaid source (already escaped by the diagram builders) as SVG. */
export function MermaidView({ source, title }: { source: string; title: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    queue = queue.then(async () => {
      if (cancelled) return;
      try {
        const mermaid = await loadMermaid();
        const { svg } = await mermaid.render(`mermaid-${++counter}`, source);
        if (!cancelled && host.current) {
          host.current.innerHTML = svg; // sanitised by Mermaid (securityLevel 'strict')
          host.current.dataset.rendered = String(counter);
          // Follow the conversation: keep the newest exchange in view.
          host.current.parentElement?.scrollTo({ top: host.current.scrollHeight });
          setError(undefined);
        }
      } catch (e) {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      }
    });
    return () => {
      cancelled = true;
    };
  }, [source]);

  return (
    <div className="mermaid-view">
      <div ref={host} className="diagram" role="img" aria-label={title} data-testid="sequence" />
      {error && <p className="error">Diagram could not be drawn: {error}</p>}
      <details className="diagram-source">
        <summary>Diagram source</summary>
        <pre>{source}</pre>
      </details>
    </div>
  );
}
