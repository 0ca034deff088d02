import { useRef } from 'react';

/** Export the learner's progress to a JSON file, or import one (a teacher's, another browser's). */
export function ProgressFiles({
  onExport,
  onImport,
}: {
  onExport: () => void;
  onImport: (file: File) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="progress-files toolbar">
      <button
        type="button"
        data-testid="progress-export"
        title="Save your progress, answers and terminal history to a file"
        onClick={onExport}
      >
        Export progress
      </button>
      <button
        type="button"
        data-testid="progress-import"
        title="Replace your progress by a file exported before (you can undo it)"
        onClick={() => input.current?.click()}
      >
        Import progress…
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="progress-import-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onImport(file);
        }}
      />
    </div>
  );
}
