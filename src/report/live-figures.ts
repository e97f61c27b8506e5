import type { FailureSnapshot, MetricSummary, ResponseTimes } from '../stats/types.js';

/**
 * What brood's own exporters (Prometheus text on --metrics-port and the web UI's /metrics, OTLP
 * pushes to --otlp-endpoint) read of a run while it goes: the same figures the files are written
 * from, read when a scrape or a push asks, never per request.
 */
export interface LiveFigures {
  /**
   * Every entry's counts and response times at or below `limitsUs` (cumulative since the run's start
   * or its last stats reset), read from the live histograms: a scrape encodes none of them.
   */
  responseTimes(limitsUs: readonly number[]): ResponseTimes;
  /** Failure groups (bounded as in _failures.csv). */
  failures(): readonly FailureSnapshot[];
  /** Custom metrics (this.environment / events.request metrics) with values. */
  metrics(): readonly MetricSummary[];
  /** Users running now, and per user class. */
  userCount(): number;
  classCounts(): Readonly<Record<string, number>>;
  /** The generator's own CPU over the last history interval, % of one core; null before the first. */
  generatorCpuPercent(): number | null;
}

/** Figures that follow whichever run is current (the web UI's runs, one after another); empty before the first. */
export function currentRunFigures(current: () => LiveFigures | null, nowWallMs: () => number): LiveFigures {
  return {
    responseTimes: (limitsUs) => current()?.responseTimes(limitsUs) ?? { startWallMs: nowWallMs(), takenWallMs: nowWallMs(), entries: [] },
    failures: () => current()?.failures() ?? [],
    metrics: () => current()?.metrics() ?? [],
    userCount: () => current()?.userCount() ?? 0,
    classCounts: () => current()?.classCounts() ?? {},
    generatorCpuPercent: () => current()?.generatorCpuPercent() ?? null,
  };
}
