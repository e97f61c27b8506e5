/**
 * Everything the analyzer says about one run, as plain data: what the text, markdown and JSON
 * formats print and what decides the exit code (1 when a target is missed or a regression flagged).
 */
import { evaluateTargets, isResourceMetric } from '../src/core/target-check.js';
import type { TargetResult } from '../src/core/targets.js';
import type { ResourcesSummary } from '../src/monitor/resource-summary.js';
import { compareWithBaseline, type BaselineComparison, type BaselineOptions } from './baseline-compare.js';
import { statsSpanSecs, type LoadedRun } from './loaded-run.js';
import type { Recommendation } from './recommendation.js';
import { recommendations } from './recommendations.js';
import { endpointRows, overallSummary, type EndpointRow, type OverallSummary } from './run-summary.js';
import { targetsForRun, type TargetSource } from './target-source.js';
import { topEndpoints, type TopEndpoints } from './top-endpoints.js';

export interface AnalysisReport {
  run: {
    label: string;
    source: LoadedRun['source'];
    files: string[];
    scenario: string | null;
    host: string | null;
    command: string | null;
  };
  summary: OverallSummary;
  endpoints: EndpointRow[];
  top: TopEndpoints;
  /** Null when no target applies (no --targets, no scenario, none declared). */
  targets: { origin: string; results: TargetResult[]; allMet: boolean } | null;
  recommendations: Recommendation[];
  /**
   * The watched server's resources (brood's JSON `resources` block, or recomputed from
   * PREFIX_resources.csv), with the file it came from; absent when nothing was watched (so the
   * JSON of such a run is as it was).
   */
  resources?: ResourcesSummary & { origin: string };
  baseline: BaselineComparison | null;
  /** False when a target is missed or a regression is flagged; `reasons` says which. */
  passed: boolean;
  reasons: string[];
  notes: string[];
}

export interface AnalysisOptions {
  targets: TargetSource | null;
  baseline: LoadedRun | null;
  baselineOptions: BaselineOptions;
}

function notes(run: LoadedRun): string[] {
  const out: string[] = [];
  if (run.source === 'csv') out.push('Percentiles read from the stats CSV (Locust rounds response times to about two significant digits).');
  if (run.meta.durationSecs === null) out.push('No run duration known: rate targets cannot be measured.');
  const m = run.meta;
  if (m.statsResetWallMs !== null && m.startWallMs !== null) {
    out.push(`Statistics reset ${((m.statsResetWallMs - m.startWallMs) / 1000).toFixed(1)} s into the run (--reset-stats): these figures cover the ${(statsSpanSecs(m) ?? 0).toFixed(1)} s after it, not the ramp.`);
  }
  return out;
}

/** Resource targets on a run nothing watched are missed (measured null), as the runner misses them: say why. */
function resourceTargetNote(run: LoadedRun, results: readonly TargetResult[] | null): string[] {
  if (run.resources != null || !(results ?? []).some((t) => isResourceMetric(t.metric))) return [];
  return ['No server resources in this run (no PREFIX_resources.csv, no "resources" in its JSON): resource targets are missed. Watch the server with --monitor-pid or --monitor-url.'];
}

/**
 * The window the run's throughput targets were judged over (entry-metrics.ts rateTargetSecs): the
 * Requests/s column's, which every loaded run carries as Aggregated requests ÷ Requests/s (a CSV's
 * column, or a JSON's rows recomputed from its snapshot); the stats' span when nothing was sent.
 */
function rateTargetSecsOfLoaded(run: LoadedRun): number {
  const { rps, summary } = run.aggregated;
  return rps > 0 ? summary.numRequests / rps : (statsSpanSecs(run.meta) ?? 0);
}

export function analyzeRun(run: LoadedRun, options: AnalysisOptions): AnalysisReport {
  const summary = overallSummary(run);
  const endpoints = endpointRows(run);
  const source = targetsForRun(run, options.targets);
  const resources = run.resources ?? null;
  const results = source === null
    ? null
    : evaluateTargets(source.targets, run.entries.map((e) => e.summary), run.aggregated.summary, rateTargetSecsOfLoaded(run), resources?.summary.worst ?? null);
  const baseline = options.baseline === null ? null : compareWithBaseline(run, options.baseline, options.baselineOptions);
  const reasons: string[] = [];
  const missed = results?.filter((t) => !t.met).length ?? 0;
  if (missed > 0) reasons.push(`${missed} target(s) missed`);
  if (baseline !== null && baseline.regressions > 0) reasons.push(`${baseline.regressions} regression(s) against ${baseline.baseline}`);
  return {
    run: { label: run.label, source: run.source, files: run.files, scenario: run.meta.scenario, host: run.meta.host, command: run.meta.command },
    summary,
    endpoints,
    top: topEndpoints(endpoints),
    targets: source === null || results === null ? null : { origin: source.origin, results, allMet: missed === 0 },
    recommendations: recommendations(run, summary, endpoints),
    ...(resources === null ? {} : { resources: { origin: resources.origin, ...resources.summary } }),
    baseline,
    passed: reasons.length === 0,
    reasons,
    notes: [...notes(run), ...resourceTargetNote(run, results)],
  };
}
