/**
 * The sandbox editor's model: a scenario being edited (plain scenario JSON, the shape the
 * engine's schema reads), updated by path, and checked by the engine's own validation so
 * each problem names its field (`users.5.address: must be local@domain`). No DOM here.
 */
import {
  builtInScenario,
  parseScenario,
  ScenarioError,
  type Scenario,
  type ScenarioInput,
} from '../../engine/scenario';

export type Draft = ScenarioInput;
export type Path = readonly (string | number)[];

export interface Problem {
  /** The field, as `hosts.2.address` ('' for the scenario as a whole). */
  path: string;
  message: string;
}

/** A draft to edit, starting from `scenario` (a deep copy: edits never touch the original). */
export function draftFrom(scenario: Scenario, name = scenario.name): Draft {
  return { ...(JSON.parse(JSON.stringify(scenario)) as Draft), name };
}

/** A built-in scenario as a draft, renamed so it is not mistaken for the original. */
export function draftOfBuiltIn(name: string): Draft {
  return draftFrom(builtInScenario(name), `${name}-sandbox`);
}

/** `draft` with the value at `path` replaced (`undefined` removes an object's field). */
export function setIn<T>(draft: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [key, ...rest] = path;
  const current = (draft as Record<string | number, unknown>)[key!];
  const next = setIn(current, rest, value);
  if (Array.isArray(draft)) {
    const copy = [...draft];
    copy[key as number] = next;
    return copy as T;
  }
  const copy: Record<string | number, unknown> = { ...(draft as object) };
  if (next === undefined) delete copy[key!];
  else copy[key!] = next;
  return copy as T;
}

/** The value at `path` (undefined where the path leads nowhere). */
export function getIn(draft: unknown, path: Path): unknown {
  let value = draft;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** `draft` with `item` appended to the list at `path`. */
export function addTo<T>(draft: T, path: Path, item: unknown): T {
  const list = getIn(draft, path);
  return setIn(draft, path, [...(Array.isArray(list) ? list : []), item]);
}

/** `draft` without the `index`th entry of the list at `path`. */
export function removeFrom<T>(draft: T, path: Path, index: number): T {
  const list = getIn(draft, path);
  return setIn(
    draft,
    path,
    (Array.isArray(list) ? list : []).filter((_, i) => i !== index),
  );
}

/**
 * Check a draft with the engine (schema, then references such as a user's mail host), as
 * a world would be checked before it is built.
 */
export function check(
  draft: Draft,
): { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] } {
  try {
    return { ok: true, scenario: parseScenario(draft, 'sandbox') };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    // The engine's message: a first line, then one "  path: message" line per problem.
    const lines = error.message.split('\n').slice(1);
    const problems = lines.map((line) => {
      const text = line.trim();
      const colon = text.indexOf(': ');
      const path = colon < 0 ? '' : text.slice(0, colon);
      return {
        path: path === '(root)' ? '' : path,
        message: colon < 0 ? text : text.slice(colon + 2),
      };
    });
    return {
      ok: false,
      problems: problems.length ? problems : [{ path: '', message: error.message }],
    };
  }
}

/** The problems about the field at `path` or inside it. */
export function problemsAt(problems: readonly Problem[], path: Path): Problem[] {
  const key = path.join('.');
  return problems.filter((p) => p.path === key || p.path.startsWith(`${key}.`));
}

/** A name not yet in `taken`: `make(1)`, `make(2)`, … */
export function unusedName(taken: readonly string[], make: (n: number) => string): string {
  for (let n = 1; ; n++) if (!taken.includes(make(n))) return make(n);
}
