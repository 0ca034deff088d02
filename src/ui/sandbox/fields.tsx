/**
 * The sandbox form's controls. Each edits one field of the draft by its path, is labelled,
 * and shows the problems the engine found in that field beside it (linked with
 * aria-describedby, flagged with aria-invalid). Ids are `sb-` + the path, so a problem in
 * the summary can move focus to its field.
 */
import { createContext, useContext, useState, type ReactNode } from 'react';
import { problemsAt, type Path, type Problem } from './draft';

export interface Editing {
  problems: readonly Problem[];
  set(path: Path, value: unknown): void;
  /** Append `item` to the list at `path` and move the focus to its field `first`. */
  add(path: Path, item: Record<string, unknown>, first: string): void;
  remove(path: Path, index: number): void;
}

export const EditContext = createContext<Editing>({
  problems: [],
  set: () => {},
  add: () => {},
  remove: () => {},
});

export function fieldId(path: Path): string {
  return `sb-${path.join('.')}`;
}

function Field({ path, label, children }: { path: Path; label: string; children: ReactNode }) {
  const { problems } = useContext(EditContext);
  const found = problemsAt(problems, path);
  const id = fieldId(path);
  return (
    <div className={`sb-field${found.length ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {found.length > 0 && (
        <span id={`${id}-error`} className="sb-error" data-testid={`${id}-error`}>
          {found.map((p) => `${p.path}: ${p.message}`).join('; ')}
        </span>
      )}
    </div>
  );
}

/** The attributes every control shares: id, invalid state, link to its problems. */
function useControl(path: Path) {
  const { problems, set } = useContext(EditContext);
  const id = fieldId(path);
  const invalid = problemsAt(problems, path).length > 0;
  return {
    set: (value: unknown) => set(path, value),
    attrs: {
      id,
      'aria-invalid': invalid || undefined,
      'aria-describedby': invalid ? `${id}-error` : undefined,
    },
  };
}

export function Text({
  path,
  label,
  value,
  optional = false,
  list,
  placeholder,
}: {
  path: Path;
  label: string;
  value: unknown;
  /** Empty means "not set" (the field is left out) rather than "". */
  optional?: boolean;
  list?: string;
  placeholder?: string;
}) {
  const { set, attrs } = useControl(path);
  return (
    <Field path={path} label={label}>
      <input
        {...attrs}
        type="text"
        value={typeof value === 'string' ? value : ''}
        list={list}
        placeholder={placeholder}
        spellCheck={false}
        onChange={(e) => set(optional && e.target.value === '' ? undefined : e.target.value)}
      />
    </Field>
  );
}

export function Num({
  path,
  label,
  value,
  optional = false,
}: {
  path: Path;
  label: string;
  value: unknown;
  optional?: boolean;
}) {
  const { set, attrs } = useControl(path);
  return (
    <Field path={path} label={label}>
      <input
        {...attrs}
        type="number"
        className="sb-number"
        value={typeof value === 'number' && Number.isFinite(value) ? value : ''}
        onChange={(e) => {
          const text = e.target.value;
          // An empty required number stays invalid (NaN) so the schema says so.
          set(text === '' ? (optional ? undefined : Number.NaN) : Number(text));
        }}
      />
    </Field>
  );
}

export function Choice({
  path,
  label,
  value,
  options,
  onChoose,
}: {
  path: Path;
  label: string;
  value: unknown;
  /** [value, text]; the value '' stands for "not set". */
  options: readonly (readonly [string, string])[];
  /** Instead of setting the field (a choice that reshapes its object). */
  onChoose?: (value: string) => void;
}) {
  const { set, attrs } = useControl(path);
  return (
    <Field path={path} label={label}>
      <select
        {...attrs}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) =>
          onChoose
            ? onChoose(e.target.value)
            : set(e.target.value === '' ? undefined : e.target.value)
        }
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function Flag({ path, label, value }: { path: Path; label: string; value: unknown }) {
  const { set, attrs } = useControl(path);
  return (
    <Field path={path} label={label}>
      <input
        {...attrs}
        type="checkbox"
        checked={value !== false}
        onChange={(e) => set(e.target.checked)}
      />
    </Field>
  );
}

const splitNames = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/**
 * A list of names typed as "a.example, b.example". The text is kept while typing (a
 * trailing comma), and follows the list when it changes otherwise (a row above removed).
 */
export function Names({ path, label, value }: { path: Path; label: string; value: unknown }) {
  const { set, attrs } = useControl(path);
  const names = Array.isArray(value) ? value.map(String) : [];
  const [text, setText] = useState(names.join(', '));
  const typed = splitNames(text);
  const shown =
    typed.length === names.length && typed.every((n, i) => n === names[i])
      ? text
      : names.join(', ');
  return (
    <Field path={path} label={label}>
      <input
        {...attrs}
        type="text"
        value={shown}
        spellCheck={false}
        placeholder="none"
        onChange={(e) => {
          setText(e.target.value);
          set(splitNames(e.target.value));
        }}
      />
    </Field>
  );
}
