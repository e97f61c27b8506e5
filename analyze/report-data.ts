/**
 * A finished run's files → the RunReportData the HTML report renders, so `analyze-results report`
 * turns brood's or Locust's CSVs into a brood report. What a producer does not record is shown as
 * unknown, never made up: Locust has no host, command or seed in its CSVs.
 */
import { evaluateTargets } from '../src/core/target-check.js';
import type { HtmlReportInput } from '../src/report/html-report.js';
import type { ResourcesReport } from '../src/report/resources-report.js';
import { rateTargetSecs } from '../src/report/entry-metrics.js';
import { statsDurationSecs, statsStartWallMs, type RunInfo } from '../src/report/run-info.js';
import type { FailureRow } from '../src/stats/types.js';
import type { LoadedRun } from './loaded-run.js';
import type { TargetSource } from './target-source.js';

function runInfo(run: LoadedRun, nowWallMs: number): RunInfo {
  const m = run.meta;
  const start = m.startWallMs ?? run.history[0]?.timestamp ?? nowWallMs;
  const duration = m.durationSecs ?? 0;
  return {
    broodVersion: m.broodVersion ?? (run.source === 'csv' ? 'unknown (rebuilt from CSV files)' : 'unknown'),
    command: m.command ?? `unknown (rebuilt from ${run.files.join(', ')})`,
    scenario: m.scenario, testFile: m.testFile, host: m.host ?? 'unknown', users: m.users, spawnRate: m.spawnRate,
    shape: m.shape, seed: m.seed, userClasses: m.userClasses, startWallMs: start,
    endWallMs: m.endWallMs ?? start + duration * 1000, durationSecs: duration, stopReason: m.stopReason, breakingPoint: m.breakingPoint,
    statsResetWallMs: m.statsResetWallMs,
    runTimeLimitSecs: m.runTimeLimitSecs, nodeVersion: m.nodeVersion ?? 'unknown',
  };
}

/** Locust ≤ 2.43 writes no failure times: they stay null, and the report says they were not recorded. */
function failures(run: LoadedRun): FailureRow[] {
  return run.failures.map((f) => ({
    method: f.method, name: f.name, error: f.error, occurrences: f.occurrences,
    firstSeenWallMs: f.firstSeenWallMs, lastSeenWallMs: f.lastSeenWallMs,
  }));
}

function resourcesReport(run: LoadedRun): ResourcesReport | null {
  const r = run.resources ?? null;
  return r === null ? null : { summary: r.summary, samples: r.samples, sources: r.sources, metricNames: r.metricNames };
}

export function reportInput(run: LoadedRun, targets: TargetSource | null, nowWallMs: number): HtmlReportInput {
  const info = runInfo(run, nowWallMs);
  // CSV rows carry no request times; the report's rates need the Aggregated row's last request.
  const aggregated = { ...run.aggregated.summary };
  if (aggregated.lastRequestWallMs === null && info.durationSecs > 0) {
    aggregated.firstRequestWallMs = info.startWallMs;
    aggregated.lastRequestWallMs = info.startWallMs + info.durationSecs * 1000;
  }
  const entries = run.entries.map((e) => e.summary);
  return {
    run: info,
    entries,
    aggregated,
    failures: failures(run),
    exceptions: run.exceptions,
    metrics: run.metrics,
    // Rate targets over the Requests/s column's window, as the run judged them.
    targets: targets === null ? [] : evaluateTargets(targets.targets, entries, aggregated, rateTargetSecs(aggregated, statsStartWallMs(info), statsDurationSecs(info)), run.resources?.summary.worst ?? null),
    history: run.history,
    endpointHistory: run.endpointHistory,
    metricHistory: run.metricHistory,
    stages: run.stages,
    // The watched server's summary and, from PREFIX_resources.csv, its readings for the charts.
    resources: resourcesReport(run),
    generatedWallMs: nowWallMs,
  };
}
