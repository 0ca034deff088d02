/**
 * A lab: one world and the terminals open on it. The browser store and the headless
 * runner both hold one.
 */
import { builtInScenario, type Scenario } from '../engine/scenario';
import { World } from '../engine/world';
import { TerminalSession, type TerminalOptions } from './terminal';

export class Lab {
  readonly world: World;
  readonly terminals: TerminalSession[] = [];

  constructor(scenario: Scenario = builtInScenario('default')) {
    this.world = new World(scenario);
  }

  open(host: string, output: (text: string) => void, options?: TerminalOptions): TerminalSession {
    const terminal = new TerminalSession(this.world, host, output, options);
    this.terminals.push(terminal);
    return terminal;
  }
}
