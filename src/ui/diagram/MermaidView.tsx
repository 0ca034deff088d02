import { useEffect, useMemo, useRef, useState } from 'react';
import { describeSequence } from '../a11y/describe';
import { renderMermaid, type DiagramKind } from './mermaid';

/**
 * Render Mermaid source (already escaped by the diagram builders) as SVG. While a render
 * is in flight, newer sources wait; only the latest one is drawn. `onRendered` gets the
 * host element once the SVG is in place (the topology animates tokens on it). Every diagram
 * has a text alternative: `description`, or for a sequence diagram one read from its source.
 */
export function MermaidView({
  source,
  title,
  kind = 'sequence',
  testId,
  follow = false,
  description,
  interactive = false,
  onRendered,
}: {
  source: string;
  title: string;
  kind?: DiagramKind;
  testId?: string;
  /** Scroll to the newest part after each render (a growing conversation). */
  follow?: boolean;
  /** The diagram in words, a line per thing drawn. */
  description?: readonly string[];
  /** The diagram has controls in it (topology nodes): a group, not an image. */
  interactive?: boolean;
  onRendered?: (host: HTMLDivElement) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  const callback = useRef(onRendered);
  const text = useMemo(
    () => description ?? (kind === 'sequence' ? describeSequence(source) : undefined),
    [description, kind, source],
  );
  useEffect(() => {
    callback.current = onRendered;
  }, [onRendered]);

  useEffect(() => {
    let cancelled = false;
    renderMermaid(kind, source, () => !cancelled).then(
      (result) => {
        const element = host.current;
        if (cancelled || !element || !result) return;
        const { svg, id } = result;
        element.innerHTML = svg; // sanitised by Mermaid (securityLevel 'strict')
        element.dataset.rendered = id;
        if (follow) {
          const scroller = element.closest<HTMLElement>('.diagram-scroll');
          scroller?.scrollTo({ top: scroller.scrollHeight });
        }
        setError(undefined);
        callback.current?.(element);
      },
      (e: unknown) => {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [source, kind, follow]);

  return (
    <div className="mermaid-view">
      <div
        ref={host}
        className="diagram"
        role={interactive ? 'group' : 'img'}
        aria-label={title}
        data-testid={testId}
      />
      {error && <p className="error">Diagram could not be drawn: {error}</p>}
      {text && (
        <details className="diagram-text" data-testid={testId && `${testId}-text`}>
          <summary>Text description</summary>
          {/* Focusable: a long description scrolls. */}
          <ol tabIndex={0}>
            {text.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        </details>
      )}
      <details className="diagram-source">
        <summary>Diagram source</summary>
        <pre tabIndex={0}>{source}</pre>
      </details>
    </div>
  );
}
