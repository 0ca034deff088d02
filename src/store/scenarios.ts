/**
 * The scenarios the app offers (`?scenario=NAME`): the engine's built-in worlds (scenario
 * JSON validated by the engine's schema), with a short title for the picker and the
 * scenario's own description as the hint.
 */
import {
  builtInScenario,
  loadScenario as validateScenario,
  scenarioNames,
  type Scenario,
} from '../engine/scenario';
import type { ScenarioRef } from './doc';

export interface ScenarioEntry {
  name: string;
  title: string;
  /** What the world is about, shown beside the picker. */
  hint: string;
}

const TITLES: Record<string, string> = {
  default: 'Default world',
  'mx-fallback': 'Primary MX down',
  'unknown-user': 'Unknown recipient',
  greylisting: 'Greylisting',
  'null-mx': 'Null MX',
  'open-relay': 'Open relay',
  'size-limit': 'Size limit',
  'dns-failure': 'DNS failure',
  'slow-link': 'Slow link',
};

let catalogue: ScenarioEntry[] | undefined;

export function scenarioCatalogue(): ScenarioEntry[] {
  catalogue ??= scenarioNames().map((name) => {
    let hint = '';
    try {
      hint = builtInScenario(name).description;
    } catch {
      hint = '(this scenario does not load)';
    }
    return { name, title: TITLES[name] ?? name, hint };
  });
  return catalogue;
}

export function hasScenario(name: string): boolean {
  return scenarioNames().includes(name);
}

/** The scenario `name`, validated; throws for an unknown name. */
export function loadScenario(name: string): Scenario {
  return builtInScenario(name);
}

/**
 * The world a lab document asks for: a built-in scenario by name, or the document's own
 * scenario checked by the engine's schema (it may extend a built-in one). Throws an Error
 * naming the field (`scenario: invalid scenario  hosts.0.address: must be an IPv4 address`).
 */
export function scenarioFor(ref: ScenarioRef): Scenario {
  if (typeof ref === 'string') {
    if (!hasScenario(ref)) throw new Error(`there is no scenario called "${ref.slice(0, 60)}"`);
    return loadScenario(ref);
  }
  return validateScenario(ref, 'scenario');
}
