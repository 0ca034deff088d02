import { defaultScenario } from './default';
import { parseScenario, type Scenario, type ScenarioInput } from './schema';

const builtIn: Record<string, ScenarioInput> = { default: defaultScenario };

export function scenarioNames(): string[] {
  return Object.keys(builtIn);
}

/** A built-in scenario by name, validated. */
export function builtInScenario(name: string): Scenario {
  const input = builtIn[name];
  if (!input) {
    throw new Error(`unknown scenario "${name}" (built in: ${scenarioNames().join(', ')})`);
  }
  return parseScenario(input, `scenario "${name}"`);
}

export { parseScenario, ScenarioError, type Scenario, type ScenarioInput } from './schema';
