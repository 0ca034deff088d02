import { useMemo, type MouseEvent } from 'react';
import { marked } from 'marked';
import DOMPurify from 'dompurify';

/** Lesson Markdown rendered by `marked`, then sanitised by DOMPurify (lazy chunk only). */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

export function Markdown({
  source,
  onLessonLink,
  className,
}: {
  source: string;
  /** A link to another lesson file (`02-ehlo-extensions.md`) was followed. */
  onLessonLink?: (file: string) => void;
  className?: string;
}) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  const click = (e: MouseEvent<HTMLDivElement>) => {
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
  };
  return (
    <div
      className={`markdown ${className ?? ''}`}
      onClick={click}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
