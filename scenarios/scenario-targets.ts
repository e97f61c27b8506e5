/**
 * The targets each ready-made scenario is judged by, as plain data. analyze-results reads them
 * (`--targets quick`, or the scenario a run's JSON names) from here, so judging a run never loads
 * the scenarios' user classes, the HTTP client, undici or faker; each scenario file takes its list
 * from here too. Why each target is (or is not) there: the comment of its scenario file.
 * Imports nothing at run time (the one import is a type).
 */
import type { Target } from '../src/index.js';

/** The ready-made scenarios, in listing order (`--list-scenarios`). */
export const SCENARIO_NAMES = ['quick', 'memory', 'search', 'federation', 'api', 'websocket', 'grpc'] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

const TARGETS: Readonly<Record<ScenarioName, readonly Target[]>> = {
  quick: [
    { label: 'P95 latency', metric: 'p95', comparator: '<', threshold: 200 },
    { label: 'Error rate', metric: 'error_rate', comparator: '<', threshold: 0.01 },
  ],
  memory: [
    { label: 'P95 latency', metric: 'p95', comparator: '<', threshold: 100 },
    { label: 'P99 latency', metric: 'p99', comparator: '<', threshold: 500 },
    { label: 'Error rate', metric: 'error_rate', comparator: '<', threshold: 0.01 },
    { label: 'Creates/min', metric: 'requests_per_minute', comparator: '>=', threshold: 1000, endpoints: ['POST /learn'] },
    { label: 'Updates/min', metric: 'requests_per_minute', comparator: '>=', threshold: 500, endpoints: ['PUT /concepts/[id]'] },
    { label: 'Deletes/min', metric: 'requests_per_minute', comparator: '>=', threshold: 100, endpoints: ['DELETE /concepts/[id]'] },
  ],
  search: [
    { label: 'P95 latency', metric: 'p95', comparator: '<', threshold: 200 },
    { label: 'P99 latency', metric: 'p99', comparator: '<', threshold: 1000 },
    { label: 'Error rate', metric: 'error_rate', comparator: '<', threshold: 0.01 },
    { label: 'Semantic searches/min', metric: 'requests_per_minute', comparator: '>=', threshold: 1000, endpoints: ['POST /recall'] },
    { label: 'Graph traversals/min', metric: 'requests_per_minute', comparator: '>=', threshold: 500, endpoints: ['POST /search/embedding'] },
  ],
  federation: [
    { label: 'P95 latency', metric: 'p95', comparator: '<', threshold: 500 },
    { label: 'P99 latency', metric: 'p99', comparator: '<', threshold: 2000 },
    { label: 'Error rate', metric: 'error_rate', comparator: '<', threshold: 0.05 },
  ],
  api: [
    { label: 'P50 latency', metric: 'p50', comparator: '<', threshold: 50 },
    { label: 'P95 latency', metric: 'p95', comparator: '<', threshold: 200 },
    { label: 'P99 latency', metric: 'p99', comparator: '<', threshold: 500 },
    { label: 'Error rate', metric: 'error_rate', comparator: '<', threshold: 0.01 },
  ],
  websocket: [
    { label: 'Turn round trip P99', metric: 'p99', comparator: '<', threshold: 200, endpoints: ['WS turn'] },
    { label: 'Error rate', metric: 'error_rate', comparator: '<', threshold: 0.01 },
    { label: 'Connections refused or dropped', metric: 'error_rate', comparator: '<=', threshold: 0, endpoints: ['WS connect /ws/conversation', 'WS close /ws/conversation'] },
  ],
  grpc: [
    { label: 'Kernel P99', metric: 'p99', comparator: '<', threshold: 100, endpoints: ['continuum.Kernel/Recall', 'continuum.Kernel/Learn', 'continuum.Kernel/Stats', 'continuum.Kernel/Watch'] },
    { label: 'AI service P99', metric: 'p99', comparator: '<', threshold: 2000, endpoints: ['continuum.AIService/Generate'] },
    { label: 'Error rate', metric: 'error_rate', comparator: '<', threshold: 0.01 },
  ],
};

/**
 * Seed 004's soak criteria ("Memory Growth < 10 MB/min", "CPU utilization < 80 %"), which the
 * memory scenario and the TOML (seed 001 stability) scenarios are judged by whenever the command
 * line names a server to watch (--monitor-pid, --monitor-url). Not with the demo server alone: it
 * keeps what the memory scenario teaches it, so its RSS grows by design.
 */
export const SOAK_TARGETS: readonly Target[] = [
  { label: 'Server memory growth', metric: 'memory_growth_mb_per_min', comparator: '<', threshold: 10 },
  { label: 'Server CPU (mean)', metric: 'cpu_percent', comparator: '<', threshold: 80 },
];

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/** A fresh copy of a scenario's targets: a caller that changes its list never changes the table. */
export function scenarioTargets(name: ScenarioName): Target[] {
  return TARGETS[name].map((t) => (t.endpoints === undefined ? { ...t } : { ...t, endpoints: [...t.endpoints] }));
}
