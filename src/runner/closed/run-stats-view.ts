/**
 * `environment.stats` for test-level listeners (core/run-stats-view.ts): Locust's StatsEntry fields
 * over the live registry, each computed when read with the same rules as the reports
 * (report/entry-metrics.ts), so a listener's check never disagrees with the files.
 */
import type { RunStatsView, StatsDictView, StatsEntryView, StatsErrorView } from '../../core/run-stats-view.js';
import type { StatsRegistry } from '../../stats/registry.js';
import { AGGREGATED_NAME, type EntrySummary } from '../../stats/types.js';
import { strictView } from '../../core/strict-view.js';
import { avgContentSize, avgResponseTimeMs, failRatio, percentileMs, rateWindowSecs, totalFailPerSec, totalRps } from '../../report/entry-metrics.js';

type Field = (row: EntrySummary, window: number) => number;

/** What a "has no" error adds: the camelCase names are not listed, only said to exist. */
const CAMEL = '; each also in camelCase';

/** Locust's name, brood's name, and the value. */
const FIELDS: ReadonlyArray<readonly [string, string, Field]> = [
  ['num_requests', 'numRequests', (r) => r.numRequests],
  ['num_failures', 'numFailures', (r) => r.numFailures],
  ['fail_ratio', 'failRatio', (r) => failRatio(r)],
  ['avg_response_time', 'avgResponseTime', (r) => avgResponseTimeMs(r)],
  ['median_response_time', 'medianResponseTime', (r) => percentileMs(r, 0.5) ?? 0],
  ['min_response_time', 'minResponseTime', (r) => r.minResponseTimeMs ?? 0],
  ['max_response_time', 'maxResponseTime', (r) => r.maxResponseTimeMs ?? 0],
  ['avg_content_length', 'avgContentLength', (r) => avgContentSize(r)],
  ['total_rps', 'totalRps', (r, w) => totalRps(r, w)],
  ['total_fail_per_sec', 'totalFailPerSec', (r, w) => totalFailPerSec(r, w)],
  ['current_rps', 'currentRps', (r) => r.currentRps],
  ['current_fail_per_sec', 'currentFailPerSec', (r) => r.currentFailPerSec],
];

/** A row that has no entry yet reads as zeros (Locust's stats.get() makes an empty one). */
function emptyRow(method: string, name: string): EntrySummary {
  return {
    method, name, numRequests: 0, numFailures: 0, totalResponseTimeMs: 0, minResponseTimeMs: null, maxResponseTimeMs: null,
    totalContentLength: 0, percentilesMs: [], firstRequestWallMs: null, lastRequestWallMs: null, currentRps: 0, currentFailPerSec: 0,
  };
}

/** What the view reads of a registry. */
export type StatsReader = Pick<StatsRegistry, 'summaryOf' | 'percentileOf' | 'wallNow' | 'startWallMs' | 'rowKeys' | 'failures'>;

/** Whether `recorder` (a registry, or a stand-in that only records) can be read back. */
export function isStatsReader(recorder: object): recorder is StatsReader {
  return 'summaryOf' in recorder && 'percentileOf' in recorder && 'wallNow' in recorder && 'rowKeys' in recorder && 'failures' in recorder;
}

/** `environment.stats` over `stats`, read at the registry's own clock. */
export function runStatsView(stats: StatsReader): RunStatsView {
  const entry = (method: string | null, name: string): StatsEntryView => entryView(stats, method, name);
  const view = {
    get total(): StatsEntryView {
      return entry(null, AGGREGATED_NAME);
    },
    get entries(): StatsDictView<StatsEntryView, [string, string]> {
      const rows = stats.rowKeys().map(({ method, name }): [string, StatsEntryView, [string, string]] => [`${method} ${name}`, entry(method, name), [name, method]]);
      return dictView('environment.stats.entries', rows);
    },
    get errors(): StatsDictView<StatsErrorView, string> {
      const rows = stats.failures().map((f) => {
        const key = `${f.method} ${f.name}: ${f.error}`;
        const error = strictView(Object.freeze({ method: f.method, name: f.name, error: f.error, occurrences: f.occurrences }), `environment.stats.errors[${JSON.stringify(key)}]`);
        return [key, error, key] as const;
      });
      return dictView('environment.stats.errors', rows);
    },
    get(name: string, method: string): StatsEntryView {
      if (typeof name !== 'string' || typeof method !== 'string') throw new TypeError(`environment.stats.get(name, method): both are strings, as in Locust's stats.get('/items', 'GET') (got ${typeof name}, ${typeof method})`);
      return entry(method, name);
    },
  };
  for (const [locust, brood] of [['num_requests', 'numRequests'], ['num_failures', 'numFailures']] as const) {
    for (const key of [locust, brood]) Object.defineProperty(view, key, { enumerable: true, get: () => view.total[brood] });
  }
  return strictView(view as unknown as RunStatsView, 'environment.stats', CAMEL);
}

function entryView(stats: StatsReader, method: string | null, name: string): StatsEntryView {
  const read = (): [EntrySummary, number] => {
    const wallMs = stats.wallNow();
    const row = stats.summaryOf(method, name, wallMs) ?? emptyRow(method ?? '', name);
    // Locust's total rates divide by the run's window (its start to the last request of the whole run).
    const aggregated = method === null ? row : (stats.summaryOf(null, AGGREGATED_NAME, wallMs) ?? row);
    return [row, rateWindowSecs(aggregated, stats.startWallMs)];
  };
  const percentile = (fraction: number): number => {
    if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) throw new TypeError(`get_response_time_percentile(fraction): a fraction from 0 to 1, e.g. 0.95 (got ${String(fraction)})`);
    return stats.percentileOf(method, name, fraction) ?? 0;
  };
  const view: Record<string, unknown> = { method: method ?? '', name, get_response_time_percentile: percentile, getResponseTimePercentile: percentile };
  for (const [locust, brood, field] of FIELDS) {
    const get = (): number => field(...read());
    Object.defineProperty(view, locust, { enumerable: true, get });
    Object.defineProperty(view, brood, { enumerable: true, get });
  }
  return strictView(view as unknown as StatsEntryView, method === null ? 'environment.stats.total' : `environment.stats.get(${JSON.stringify(name)}, ${JSON.stringify(method)})`, CAMEL);
}

/** A Locust dict as a port iterates it (core/run-stats-view.ts StatsDictView): frozen, strict, with values()/keys()/items(). */
function dictView<V, K>(path: string, rows: ReadonlyArray<readonly [string, V, K]>): StatsDictView<V, K> {
  const dict: Record<string, V> = {};
  for (const [key, value] of rows) dict[key] = value;
  const methods: Record<string, () => unknown> = {
    values: () => rows.map((r) => r[1]),
    keys: () => rows.map((r) => r[0]),
    items: () => rows.map((r) => [r[2], r[1]]),
  };
  for (const [name, fn] of Object.entries(methods)) Object.defineProperty(dict, name, { value: fn });
  const has = rows.length === 0 ? 'no rows yet' : rows.map((r) => JSON.stringify(r[0])).join(', ');
  // strictView's list leaves out names with capitals (camelCase twins), which every key here has.
  return new Proxy(Object.freeze(dict) as StatsDictView<V, K>, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop in target || prop === 'then' || prop === 'toJSON') return Reflect.get(target, prop, receiver) as unknown;
      throw new TypeError(`${path} has no ${JSON.stringify(prop)} (it has: ${has}; and values(), keys(), items())`);
    },
  });
}
