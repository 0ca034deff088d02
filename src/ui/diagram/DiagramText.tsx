/** A diagram in words, a line per thing drawn, under a "Text description" disclosure. */
export function DiagramText({ lines, testId }: { lines: readonly string[]; testId?: string }) {
  return (
    <details className="diagram-text" data-testid={testId}>
      <summary>Text description</summary>
      {/* Focusable: a long description scrolls. */}
      <ol tabIndex={0}>
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ol>
    </details>
  );
}
