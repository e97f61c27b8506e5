/**
 * The run's statistics as a test-level listener reads them: Locust's `environment.stats`, so a
 * locustfile's closing check ports word for word (`environment.stats.total.fail_ratio > 0.01`).
 * Each field under Locust's name and brood's camelCase one; reading any other throws a TypeError
 * naming what there is (a misspelt field must not read as undefined and pass a check).
 */
export interface StatsEntryView {
  readonly method: string;
  readonly name: string;
  readonly num_requests: number;
  readonly numRequests: number;
  readonly num_failures: number;
  readonly numFailures: number;
  /** Failures over requests (0 with none). */
  readonly fail_ratio: number;
  readonly failRatio: number;
  /** Mean response time in ms (0 with none, as Locust). */
  readonly avg_response_time: number;
  readonly avgResponseTime: number;
  readonly median_response_time: number;
  readonly medianResponseTime: number;
  readonly min_response_time: number;
  readonly minResponseTime: number;
  readonly max_response_time: number;
  readonly maxResponseTime: number;
  readonly avg_content_length: number;
  readonly avgContentLength: number;
  /** Requests per second since the run (or the last stats reset) started. */
  readonly total_rps: number;
  readonly totalRps: number;
  readonly total_fail_per_sec: number;
  readonly totalFailPerSec: number;
  /** Requests and failures per second over the last seconds (Locust's "current" rates). */
  readonly current_rps: number;
  readonly currentRps: number;
  readonly current_fail_per_sec: number;
  readonly currentFailPerSec: number;
  /** The response time in ms under which `fraction` (0-1, e.g. 0.95) of the requests fall; 0 with none. */
  get_response_time_percentile(fraction: number): number;
  getResponseTimePercentile(fraction: number): number;
}

/** One failure group (Locust's StatsError): a method, name and error, and how often it happened. */
export interface StatsErrorView {
  readonly method: string;
  readonly name: string;
  readonly error: string;
  readonly occurrences: number;
}

/**
 * Locust's dicts (`stats.entries`, `stats.errors`) as a port iterates them: an object keyed
 * `'GET /items'` (errors: `'GET /items: HTTP 500'`) whose values are the rows, and Python's
 * `values()`, `keys()` and `items()` (`[[name, method], row]` for entries, as Locust's tuple keys).
 * A key it has not got throws, naming those it has. Taken when read: read it again for later figures.
 */
export type StatsDictView<V, K> = Readonly<Record<string, V>> & {
  values(): V[];
  keys(): string[];
  items(): Array<[K, V]>;
};

export interface RunStatsView {
  /** The Aggregated row: every request of the run (since the last stats reset). */
  readonly total: StatsEntryView;
  /** Every row but the Aggregated one (Locust's `stats.entries`). */
  readonly entries: StatsDictView<StatsEntryView, [name: string, method: string]>;
  /** The failures grouped (Locust's `stats.errors`). */
  readonly errors: StatsDictView<StatsErrorView, string>;
  /** One row (Locust's `stats.get(name, method)`); a row with no requests yet reads as zeros. */
  get(name: string, method: string): StatsEntryView;
  readonly num_requests: number;
  readonly numRequests: number;
  readonly num_failures: number;
  readonly numFailures: number;
}
