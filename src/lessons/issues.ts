/**
 * Validation problems with a path (`check.all[1].match.code`) and a short message, and
 * their translation from zod's issues, so every message reads the same way whatever the
 * schema library's defaults.
 */
import type { z } from 'zod';

export type PathPart = string | number;

export interface Issue {
  path: PathPart[];
  message: string;
}

/** `check`, `all`, 1, `match`, `code` → `check.all[1].match.code`. */
export function formatPath(path: readonly PathPart[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

/** `path: message`, or the message alone at the root. */
export function formatIssue(issue: Issue): string {
  return issue.path.length > 0 ? `${formatPath(issue.path)}: ${issue.message}` : issue.message;
}

export function prefixIssues(prefix: readonly PathPart[], issues: Issue[]): Issue[] {
  return issues.map((i) => ({ path: [...prefix, ...i.path], message: i.message }));
}

/** Validate `value` with a zod schema; problems come back as Issues under `path`. */
export function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
  path: readonly PathPart[],
  issues: Issue[],
): T | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const at = [...path, ...(issue.path as PathPart[])];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: at, message: `unknown field "${key}"` });
    } else {
      issues.push({ path: at, message: zodMessage(issue) });
    }
  }
  return undefined;
}

function zodMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return issue.expected === 'int' ? 'expected a whole number' : `expected ${issue.expected}`;
    case 'too_small':
      if (issue.origin === 'array') return `expected at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array') return `expected at most ${String(issue.maximum)} item(s)`;
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.message;
    default:
      return issue.message;
  }
}
