import { defaultScenario } from './default';
import { resolveExtends } from './extends';
import { parseScenario, type Scenario } from './schema';
import dnsFailure from './builtin/dns-failure.json';
import greylisting from './builtin/greylisting.json';
import mxFallback from './builtin/mx-fallback.json';
import nullMx from './builtin/null-mx.json';
import openRelay from './builtin/open-relay.json';
import sizeLimit from './builtin/size-limit.json';
import slowLink from './builtin/slow-link.json';
import unknownUser from './builtin/unknown-user.json';

/** Built-in scenarios by name, as written (before `extends` and validation). */
const builtIn: Record<string, unknown> = {
  default: defaultScenario,
  'mx-fallback': mxFallback,
  'unknown-user': unknownUser,
  greylisting,
  'null-mx': nullMx,
  'open-relay': openRelay,
  'size-limit': sizeLimit,
  'dns-failure': dnsFailure,
  'slow-link': slowLink,
};

export function scenarioNames(): string[] {
  return Object.keys(builtIn);
}

/** Validate a scenario from a file or a link; it may extend a built-in scenario. */
export function loadScenario(input: unknown, source: string): Scenario {
  return parseScenario(
    resolveExtends(input, source, (name) => builtIn[name]),
    source,
  );
}

/** A built-in scenario by name, validated. */
export function builtInScenario(name: string): Scenario {
  const input = builtIn[name];
  if (input === undefined) {
    throw new Error(`unknown scenario "${name}" (built in: ${scenarioNames().join(', ')})`);
  }
  return loadScenario(input, `scenario "${name}"`);
}

export { parseScenario, ScenarioError, type Scenario, type ScenarioInput } from './schema';
