import { useContext, type ReactNode } from 'react';
import type { Path } from './draft';
import { EditContext } from './fields';

export type Item = Record<string, unknown>;

/**
 * A list in the draft whose items are a row of fields each: a Remove button ends every row,
 * and an Add button the list (it appends `add.item` and moves the focus to its field
 * `add.first`).
 */
export function ItemList({
  path,
  items,
  sub = false,
  fields,
  removeLabel,
  add,
}: {
  path: Path;
  items: readonly Item[];
  /** A list inside an item (its rows are indented). */
  sub?: boolean;
  /** The fields of the item at `at`. */
  fields: (item: Item, at: Path, index: number) => ReactNode;
  /** The accessible name of a row's Remove button. */
  removeLabel: (item: Item, index: number) => string;
  add: { text: ReactNode; item: Item; first: string; label?: string; testId?: string };
}) {
  const editing = useContext(EditContext);
  return (
    <>
      {items.map((item, i) => (
        <div key={i} className={`sb-row ${sub ? 'sb-subitem' : 'sb-item'}`}>
          {fields(item, [...path, i], i)}
          <button
            type="button"
            onClick={() => editing.remove(path, i)}
            aria-label={removeLabel(item, i)}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => editing.add(path, add.item, add.first)}
        aria-label={add.label}
        data-testid={add.testId}
      >
        {add.text}
      </button>
    </>
  );
}
