/**
 * `"extends": "default"` in a scenario file: start from another scenario and change only
 * what differs. Hosts merge by name (their SMTP services by port), users by address and
 * domains by name; `"remove": true` deletes an inherited entry; records, faults and links
 * add to the inherited ones. The result is validated as a whole afterwards.
 */
import { ScenarioError } from './schema';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolve `input`'s extends chain using `lookup` for the named parents. */
export function resolveExtends(
  input: unknown,
  source: string,
  lookup: (name: string) => unknown,
  seen: string[] = [],
): unknown {
  if (!isObject(input) || input.extends === undefined) return input;
  const parentName = input.extends;
  if (typeof parentName !== 'string')
    throw new ScenarioError(`${source}: extends: must be a scenario name`);
  if (seen.includes(parentName)) {
    throw new ScenarioError(`${source}: extends: a cycle (${[...seen, parentName].join(' → ')})`);
  }
  const parentInput = lookup(parentName);
  if (parentInput === undefined)
    throw new ScenarioError(`${source}: extends: no scenario named "${parentName}"`);
  const parent = resolveExtends(parentInput, `scenario "${parentName}"`, lookup, [
    ...seen,
    parentName,
  ]);
  if (!isObject(parent)) return input;

  const { extends: _, ...child } = input;
  const merged: Json = { ...parent, ...child };
  const problems: string[] = [];
  merged.hosts = mergeBy(parent.hosts, child.hosts, 'name', 'hosts', problems, mergeHost);
  merged.users = mergeBy(parent.users, child.users, 'address', 'users', problems);
  merged.domains = mergeBy(parent.domains, child.domains, 'name', 'domains', problems);
  merged.aliases = mergeBy(parent.aliases, child.aliases, 'address', 'aliases', problems);
  for (const key of ['records', 'faults', 'links'] as const) {
    merged[key] = [...asArray(parent[key]), ...asArray(child[key])];
  }
  if (problems.length)
    throw new ScenarioError(`${source}: invalid scenario\n  ${problems.join('\n  ')}`);
  return merged;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function mergeBy(
  inherited: unknown,
  changes: unknown,
  key: string,
  field: string,
  problems: string[],
  merge: (a: Json, b: Json) => Json = (_a, b) => b,
): unknown[] {
  const result = asArray(inherited)
    .filter(isObject)
    .map((e) => ({ ...e }));
  asArray(changes).forEach((change, i) => {
    if (!isObject(change)) return void result.push(change as Json);
    const at = result.findIndex((e) => e[key] === change[key]);
    if (change.remove === true) {
      if (at < 0)
        problems.push(`${field}.${i}.remove: nothing inherited has ${key} ${String(change[key])}`);
      else result.splice(at, 1);
    } else if (at < 0) {
      result.push(change);
    } else {
      result[at] = merge(result[at]!, change);
    }
  });
  return result;
}

/** A host's fields override; its SMTP services merge by port. */
function mergeHost(host: Json, change: Json): Json {
  const services = asArray(host.smtp)
    .filter(isObject)
    .map((s) => ({ ...s }));
  for (const service of asArray(change.smtp).filter(isObject)) {
    const at = services.findIndex((s) => s.port === service.port);
    if (at < 0) services.push(service);
    else services[at] = { ...services[at], ...service };
  }
  return { ...host, ...change, smtp: services };
}
