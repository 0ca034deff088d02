import { useMemo, type MouseEvent } from 'react';
import { marked, type Token, type TokensList } from 'marked';
import DOMPurify from 'dompurify';
import { diagramKind, diagramTitle } from '../../lessons/diagram';
import { MermaidView } from '../diagram/MermaidView';

/**
 * Lesson Markdown rendered by `marked`, then sanitised by DOMPurify; ```mermaid blocks are
 * drawn by the views' Mermaid path (MermaidView: loaded on first use, securityLevel
 * 'strict'). `lessons check` has vetted the diagrams (src/lessons/diagram.ts).
 */
type Part = { kind: 'html'; html: string } | { kind: 'diagram'; source: string };

const sanitize = (html: string) => DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });

function render(source: string): Part[] {
  const tokens = marked.lexer(source, { gfm: true });
  const parts: Part[] = [];
  let run: Token[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const list = Object.assign(run, { links: tokens.links }) as TokensList;
    parts.push({ kind: 'html', html: sanitize(marked.parser(list, { gfm: true })) });
    run = [];
  };
  for (const token of tokens) {
    if (token.type === 'code' && token.lang?.split(/\s/)[0] === 'mermaid') {
      flush();
      parts.push({ kind: 'diagram', source: (token as { text: string }).text });
    } else run.push(token);
  }
  flush();
  return parts;
}

/** A link to another lesson file (`02-ehlo-extensions.md`) goes to that lesson. */
function follow(e: MouseEvent<HTMLElement>, onLessonLink?: (file: string) => void) {
  const a = (e.target as HTMLElement).closest('a');
  const href = a?.getAttribute('href');
  if (!a || !href) return;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return;
  }
  if (href.startsWith('#')) return;
  e.preventDefault();
  onLessonLink?.(href.split('#')[0]!);
}

export function Markdown({
  source,
  onLessonLink,
  className,
}: {
  source: string;
  onLessonLink?: (file: string) => void;
  className?: string;
}) {
  const parts = useMemo(() => render(source), [source]);
  return (
    <div className={`markdown ${className ?? ''}`} onClick={(e) => follow(e, onLessonLink)}>
      {parts.map((part, i) =>
        part.kind === 'html' ? (
          <div key={i} className="markdown-part" dangerouslySetInnerHTML={{ __html: part.html }} />
        ) : (
          <div key={i} className="lesson-diagram" data-testid="lesson-diagram">
            <MermaidView
              source={part.source}
              kind={diagramKind(part.source) ?? 'flowchart'}
              title={diagramTitle(part.source) ?? 'Diagram'}
            />
          </div>
        ),
      )}
    </div>
  );
}

/** A line of Markdown (a quiz question or choice), without the paragraph around it. */
export function InlineMarkdown({ source }: { source: string }) {
  const html = useMemo(
    () => sanitize(marked.parseInline(source, { async: false, gfm: true })),
    [source],
  );
  return <span className="markdown-inline" dangerouslySetInnerHTML={{ __html: html }} />;
}
