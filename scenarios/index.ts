/** The ready-made scenarios behind `--scenario NAME` and `--list-scenarios`, in listing order. */
import { ConfigError, type Scenario } from '../src/index.js';
import { apiScenario } from './api-scenario.js';
import { federationScenario } from './federation-scenario.js';
import { grpcScenario } from './grpc-scenario.js';
import { memoryScenario } from './memory-scenario.js';
import { quickScenario } from './quick-scenario.js';
import { searchScenario } from './search-scenario.js';
import type { ScenarioName } from './scenario-targets.js';
import { websocketScenario } from './websocket-scenario.js';

export { apiScenario, federationScenario, grpcScenario, memoryScenario, quickScenario, searchScenario, websocketScenario };

// Keyed by the names of scenario-targets.ts, in the same order (what analyze-results knows of them).
export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.freeze({
  quick: quickScenario,
  memory: memoryScenario,
  search: searchScenario,
  federation: federationScenario,
  api: apiScenario,
  websocket: websocketScenario,
  grpc: grpcScenario,
} satisfies Record<ScenarioName, Scenario>);

export function findScenario(name: string): Scenario {
  const scenario = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
  if (scenario === undefined) {
    throw new ConfigError('UNKNOWN_SCENARIO', `unknown scenario "${name}": known scenarios are ${Object.keys(SCENARIOS).join(', ')}`);
  }
  return scenario;
}
