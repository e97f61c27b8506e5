import type { JitWarmUpPlan } from '../thread/jit-warm-up.js';
import type { StatsSnapshot } from '../../stats/types.js';
import type { LifecycleCounts } from '../closed/lifecycle-phases.js';
import type { HttpClientSettings } from '../../http/client-settings.js';
import type { ProtocolTally } from '../../http/protocol-counts.js';
import type { Preallocation } from '../open/open-pool.js';
import type { TestSelection } from '../../loading/resolve-test.js';

/**
 * Messages between the main thread and the user-hosting worker threads of `--processes N`
 * (rule 7: a discriminated union, no untyped payloads). The main thread decides who spawns and
 * stops (ramp, class mix, global user ids); workers run the users and send their stats.
 */
/** How long a process waits for async quitting listeners before it exits anyway (the main and each worker). */
export const QUITTING_WAIT_MS = 10_000;
/** How long the main side waits for a worker told to exit (its quitting listeners first) before it cuts it off. */
export const WORKER_EXIT_WAIT_MS = QUITTING_WAIT_MS + 3000;

export type MainToWorker =
  | { type: 'spawn'; classIndex: number; userId: number }
  | { type: 'stop'; userId: number }
  | { type: 'hard-stop'; userId: number }
  | { type: 'flush' }
  /** --record-trace: the run (t = 0 of the trace) starts now, on the epoch clock (timeOrigin + now). */
  | { type: 'trace-start'; epochMs: number }
  | { type: 'exit' }
  /** Open model: these arrivals, each on an idle or new user of this worker's pool (or dropped). */
  | { type: 'open-run'; runs: OpenRun[] }
  /** Open model, hard stop: every operation in flight in this worker is cut. */
  | { type: 'open-hard-stop' }
  /** Open model, run over: every pooled user runs onStop and closes; answered by open-finished. */
  | { type: 'open-finish' }
  /** runner.send_message from the main process (`data`: JSON text). */
  | { type: 'message'; msgType: string; data: string }
  /** A test-level event of the run, fired in the worker too (its listeners run where its users do). */
  | { type: 'event'; event: WorkerEvent };

/** The run's test-level events a worker fires for its own listeners (hooks.ts). */
export type WorkerEvent =
  | { name: 'testStart' }
  | { name: 'spawningComplete'; userCount: number }
  | { name: 'testStopping'; reason: string }
  | { name: 'testStop'; reason: string };

/** Times are epoch milliseconds at high resolution (performance.timeOrigin + performance.now()), the same clock in every thread. */
export interface OpenRun {
  classIndex: number;
  scheduledAt: number;
}

export interface OpenRunOutcome extends OpenRun {
  /** ran: the task ran (name, failed, times); dropped: this worker's pool was full; nothing: nothing to record. */
  result: 'ran' | 'dropped' | 'nothing';
  name: string;
  failed: boolean;
  startedAt: number;
  endedAt: number;
}

export type WorkerToMain =
  | { type: 'ready'; classNames: string[]; preallocated: Preallocation | null }
  /** `usage`: the test's own problem (a ConfigError: one line, exit 2), not a brood bug. */
  | { type: 'failed'; message: string; usage?: boolean }
  | { type: 'user-done'; userId: number }
  | { type: 'user-failed'; userId: number }
  /** Everything recorded since the last message of this kind (the worker reset its registry). */
  /** `lifecycle` (final stats only): users still inside onStart/onStop, reported at the run's end. */
  | { type: 'stats'; snapshot: StatsSnapshot; final: boolean; protocols: ProtocolTally; lifecycle?: LifecycleCounts }
  /** Outcomes since the last one, and this worker's pool (users per class index) after them. */
  | { type: 'open-done'; outcomes: OpenRunOutcome[]; poolCounts: readonly number[] }
  /** --record-trace: this worker's requests since its last message of this kind, as trace lines. */
  | { type: 'trace'; lines: string[] }
  | { type: 'open-finished' }
  /** A listener or task in the worker called environment.runner.quit(): the main thread ends the run. */
  /** A user of this worker threw brood's ConfigError (e.g. between(5, 1)): the run stops, exit 2. */
  | { type: 'usage-error'; message: string }
  | { type: 'quit'; reason: string; /** Set when it was the worker's process.exit(code) (exit-guard.ts). */ exitCode?: number }
  /** runner.send_message from a listener or user of the worker (`data`: JSON text). */
  | { type: 'message'; msgType: string; data: string };

export interface WorkerSetup {
  index: number;
  /** The run's validated configuration (the CLI's RunConfig); the worker resolves the same test from it. */
  source: TestSelection;
  seed: number;
  host: string;
  /** --host was given (it beats the classes' own hosts); see JobSetup.hostFromCommandLine. */
  hostFromCommandLine: boolean;
  http: HttpClientSettings;
  tags: string[] | null;
  excludeTags: string[] | null;
  statsIntervalMs: number;
  /** -i/--iterations: each user here stops after this many tasks (null: no limit). */
  iterations: number | null;
  options: Record<string, unknown>;
  /** Locust's parsed_options (the main options and the test file's own). */
  parsedOptions: Record<string, unknown>;
  /** Warm the request path up before reporting ready (a steep start; see jit-warm-up.ts). */
  warmUp: JitWarmUpPlan | null;
  /** Open model: this worker's share of the pool bound, and how many workers (user ids index + k × workers). */
  openPool: { maxUsers: number; workers: number; preAllocate: number[] } | null;
  /** --record-trace: format every request as a trace line (t from the epoch of 'trace-start'). */
  recordTrace: boolean;
  /**
   * A remote worker (--worker): the master's wall clock minus this machine's, so that the times it
   * records and the epoch times it is sent are on one clock (0 or absent in a thread).
   */
  wallOffsetMs?: number;
}
