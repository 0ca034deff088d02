import { useEffect, useMemo, useRef, useState } from 'react';
import { describeSequence } from '../a11y/describe';
import { DiagramText } from './DiagramText';
import { renderMermaid, type DiagramKind } from './mermaid';

/**
 * Render a lesson's Mermaid source as SVG. While a render is in flight, newer sources wait;
 * only the latest one is drawn. A sequence diagram's text alternative is read from its
 * source.
 */
export function MermaidView({
  source,
  title,
  kind = 'sequence',
}: {
  source: string;
  title: string;
  kind?: DiagramKind;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  const text = useMemo(
    () => (kind === 'sequence' ? describeSequence(source) : undefined),
    [kind, source],
  );

  useEffect(() => {
    let cancelled = false;
    renderMermaid(kind, source, () => !cancelled).then(
      (result) => {
        const element = host.current;
        if (cancelled || !element || !result) return;
        const { svg, id } = result;
        element.innerHTML = svg; // sanitised by Mermaid (securityLevel 'strict')
        element.dataset.rendered = id;
        setError(undefined);
      },
      (e: unknown) => {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [source, kind]);

  return (
    <div className="mermaid-view">
      <div ref={host} className="diagram" role="img" aria-label={title} />
      {error && <p className="error">Diagram could not be drawn: {error}</p>}
      {text && <DiagramText lines={text} />}
      <details className="diagram-source">
        <summary>Diagram source</summary>
        <pre tabIndex={0}>{source}</pre>
      </details>
    </div>
  );
}
