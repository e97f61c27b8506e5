/**
 * runner/open/: the open model, arrivals on a schedule whatever the server does. The open-model
 * run (here) adds to a Job the schedule's runner (arrival-runner.ts, or replay-runner.ts for a
 * recorded trace), operation stats, judged windows and its outputs; arrivals run on users of a
 * bounded pool (open-pool.ts, open-user-host.ts), pre-allocated if asked
 * (preallocation-report.ts). With --processes the pool lives in the workers (workers/).
 */
import { createArrivalPattern, type ArrivalPattern, type ArrivalPatternSpec } from '../../core/arrival-pattern.js';
import { ArrivalSchedule } from '../../core/arrival-schedule.js';
import type { Clock } from '../../core/clock.js';
import { evaluateOpenModel, type OpenModelCriteria } from '../../core/open-model-criteria.js';
import type { Rng } from '../../core/rng.js';
import type { TargetResult } from '../../core/targets.js';
import type { UserEnvironment } from '../../core/user.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import { stripControl } from '../../report/console-text.js';
import { formatClock, formatMs } from '../../report/number-format.js';
import { operationsCsv } from '../../report/operations-csv.js';
import { OperationStats } from '../../stats/operation-stats.js';
import type { OperationsReport } from '../../report/run-info.js';
import type { EntrySummary } from '../../stats/types.js';
import { ArrivalRunner } from './arrival-runner.js';
import type { ArrivalSink, OpenPool } from './open-pool.js';
import { ReplayRunner } from './replay-runner.js';
import type { ReplayRecord } from '../../core/trace-records.js';
import type { HttpSession } from '../../http/client.js';
import type { UserLoopDeps } from '../closed/user-loop.js';
import type { UserClassSpec } from '../closed/user-runner.js';

export interface ArrivalSetup {
  /** For a replay: a constant pattern at the trace's mean rate (what the live view shows as target). */
  pattern: ArrivalPatternSpec;
  /** Replay a recorded trace instead of drawing arrivals from the pattern. */
  replay?: { records: readonly ReplayRecord[]; rateMultiplier: number } | null;
  /** Pool bound: at most this many users exist; arrivals past it are dropped (default 10 000). */
  maxUsers: number;
  /** Users (each with its connection open) made before the clock starts (--pre-allocated-users; 0: none). */
  preAllocatedUsers?: number;
  /** Length of a judged window (seed: 60 s). */
  windowSec: number;
  criteria: OpenModelCriteria;
}

const P = { p50: 0, p95: 5, p99: 7, p999: 8 } as const;

function latencyJson(e: EntrySummary): Record<string, number | null> {
  const q = e.percentilesMs;
  return { p50: q[P.p50] ?? null, p95: q[P.p95] ?? null, p99: q[P.p99] ?? null, 'p99.9': q[P.p999] ?? null, max: e.maxResponseTimeMs, count: e.numRequests, failures: e.numFailures };
}

/**
 * Everything an arrival-rate run adds to a Job: the schedule and its runner, the operation
 * statistics and windows, the live view, the pass criteria and the extra outputs.
 */
export class OpenModelRun {
  readonly setup: ArrivalSetup;
  readonly stats: OperationStats;
  readonly runner: ArrivalRunner | ReplayRunner;
  readonly #pattern: ArrivalPattern;
  readonly #clock: Clock;
  #windowStart = 0;

  constructor(
    setup: ArrivalSetup,
    specs: readonly UserClassSpec[],
    deps: {
      clock: Clock;
      rng: Rng;
      seed: number;
      stopTimeoutMs: number;
      loop: UserLoopDeps;
      environmentFor: (userId: number, spec: UserClassSpec) => UserEnvironment;
      sessionFor: (user: number) => HttpSession;
      onDone: () => void;
      /** The user pool (default: this thread; --processes: one per worker thread). */
      pool?: (sink: ArrivalSink) => OpenPool;
      /** -t: arrivals scheduled at or after this many seconds are not sent (null: no limit). */
      runTimeSec?: number | null;
      /** -i/--iterations: the run's arrivals stop after this many, and the run ends when they finished. */
      iterations?: { arrivals: number; onLimit(): void } | null;
    },
  ) {
    this.setup = setup;
    this.#clock = deps.clock;
    this.#pattern = createArrivalPattern(setup.pattern, deps.seed);
    this.stats = new OperationStats(() => deps.clock.wallNow());
    const replay = setup.replay;
    this.runner = replay
      ? new ReplayRunner({
          clock: deps.clock,
          records: replay.records,
          rateMultiplier: replay.rateMultiplier,
          sessionFor: deps.sessionFor,
          recorder: this.stats,
          onDone: deps.onDone,
          stopTimeoutMs: deps.stopTimeoutMs,
        })
      : new ArrivalRunner(specs, {
      clock: deps.clock,
      schedule: new ArrivalSchedule(this.#pattern, deps.rng.fork(0x0a771fa1)),
      rng: deps.rng.fork(0x0c1a55),
      maxUsers: setup.maxUsers,
      stopTimeoutMs: deps.stopTimeoutMs,
      loop: deps.loop,
      environmentFor: deps.environmentFor,
          recorder: this.stats,
          ...(deps.pool ? { pool: deps.pool } : {}),
          limit: deps.iterations ?? null,
          untilSec: deps.runTimeSec ?? null,
        });
  }

  /** Called every history interval with the run's elapsed seconds: closes windows as they fill. */
  interval(elapsedSec: number): void {
    if (elapsedSec - this.#windowStart >= this.setup.windowSec - 1e-6) this.#close(elapsedSec);
  }

  #close(endSec: number): void {
    this.stats.closeWindow(this.#windowStart, endSec);
    this.#windowStart = endSec;
  }

  /** The seed's live view: progress, actual vs target ops/s, per operation ops/s and P99, errors. */
  liveLines(elapsedSec: number, runTimeSec: number | null): string[] {
    const { entries, aggregated } = this.stats.currentWindow();
    const inWindow = Math.max(1e-9, elapsedSec - this.#windowStart);
    const progress = runTimeSec ? ` | Progress: ${Math.min(100, Math.floor((elapsedSec / runTimeSec) * 100))}%` : '';
    const errors = aggregated.numRequests > 0 ? (aggregated.numFailures / aggregated.numRequests) * 100 : 0;
    const lines = [
      `[${formatClock(elapsedSec)}]${progress} | Actual: ${(aggregated.numRequests / inWindow).toFixed(0)} ops/sec | ` +
        `Target: ${this.#pattern.rateAt(elapsedSec).toFixed(0)} ops/sec | Users: ${this.runner.userCount()}` +
        `${this.runner instanceof ArrivalRunner ? ` (${this.runner.busyCount()} busy) | Dropped: ${this.stats.dropped}` : ` | Sent: ${this.runner.dispatched}`}`,
    ];
    const width = Math.max(8, ...entries.map((e) => e.name.length + 1));
    for (const e of entries) {
      const p99 = e.percentilesMs[P.p99];
      lines.push(`  ${stripControl(`${e.name}:`).padEnd(width)} ${(e.numRequests / inWindow).toFixed(0).padStart(7)} ops/sec | P99: ${p99 === null || p99 === undefined ? '-' : `${formatMs(p99)}ms`}`);
    }
    lines.push(`  ${'Errors:'.padEnd(width)} ${errors.toFixed(2)}%`);
    return lines;
  }

  /** End-of-run table: per operation, latency from the scheduled start beside service time. */
  summaryLines(durationSecs: number): string[] {
    const now = this.#clock.wallNow();
    const latency = this.stats.latency.summaries(now);
    const service = new Map(this.stats.service.summaries(now).entries.map((e) => [`${e.method} ${e.name}`, e]));
    const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : formatMs(v));
    const rows = latency.entries.map((e) => {
      const sv = service.get(`${e.method} ${e.name}`);
      return [stripControl(`${e.method}.${e.name}`), String(e.numRequests), String(e.numFailures), (e.numRequests / Math.max(durationSecs, 1e-9)).toFixed(1),
        ms(e.percentilesMs[P.p50]), ms(e.percentilesMs[P.p95]), ms(e.percentilesMs[P.p99]), ms(sv?.percentilesMs[P.p99])];
    });
    const header = ['Operation', '# ops', '# fails', 'ops/s', 'p50', 'p95', 'p99', 'svc p99'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const fmt = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
    return [
      'Operations (latency in ms from each scheduled start, coordinated-omission-free; svc = service time from the actual send)',
      fmt(header),
      ...rows.map(fmt),
      `Scheduled ${this.runner.dispatched} arrivals, dropped ${this.stats.dropped} (pool of ${this.runner.userCount()} / max ${this.setup.maxUsers} users)`,
    ];
  }

  /** Closes the last window and judges the run. */
  finish(elapsedSec: number): TargetResult[] {
    // A run shorter than half a second still gets its one window: with none, throughput was "n/a, FAIL".
    if (elapsedSec - this.#windowStart > 0.5 || this.stats.windows.length === 0) this.#close(elapsedSec);
    const total = this.stats.latency.summaries(this.#clock.wallNow()).aggregated;
    return evaluateOpenModel(this.stats.windows, this.setup.windowSec, this.setup.criteria, { operations: total.numRequests, failed: total.numFailures });
  }

  /** What the HTML report's operations table shows. */
  report(durationSecs: number): OperationsReport {
    const now = this.#clock.wallNow();
    return {
      latency: this.stats.latency.summaries(now),
      service: this.stats.service.summaries(now),
      dispatched: this.runner.dispatched,
      dropped: this.stats.dropped,
      durationSecs,
    };
  }

  /** `_operations.csv` beside the other CSVs. */
  writeCsv(path: string, durationSecs: number): void {
    const now = this.#clock.wallNow();
    writeFileAtomic(path, operationsCsv(this.stats.latency.summaries(now), this.stats.service.summaries(now), durationSecs));
  }

  /** JSON additions: the seed's `latency` per operation (from the scheduled start) and an open_model block. */
  jsonExtras(durationSecs: number): Record<string, unknown> {
    const now = this.#clock.wallNow();
    const latency = this.stats.latency.summaries(now);
    const service = this.stats.service.summaries(now);
    const byOp = (s: typeof latency): Record<string, unknown> =>
      Object.fromEntries([...s.entries.map((e): [string, unknown] => [e.name, latencyJson(e)]), ['overall', latencyJson(s.aggregated)]]);
    return {
      latency: byOp(latency),
      open_model: {
        pattern: this.setup.replay ? { replay: true, rate_multiplier: this.setup.replay.rateMultiplier, records: this.setup.replay.records.length } : this.setup.pattern,
        mean_target_rate: this.#pattern.meanRate(),
        achieved_rate: durationSecs > 0 ? latency.aggregated.numRequests / durationSecs : 0,
        dispatched: this.runner.dispatched,
        dropped: this.stats.dropped,
        max_users: this.setup.maxUsers,
        pool_size: this.runner.userCount(),
        latency_note: 'latency is measured from each operation\'s scheduled start (coordinated-omission-free); service_time from its actual start',
        service_time: byOp(service),
        windows: this.stats.windows,
      },
    };
  }
}
