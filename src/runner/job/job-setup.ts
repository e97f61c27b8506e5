import type { Clock } from '../../core/clock.js';
import type { Hooks } from '../../core/hooks.js';
import type { LoadShape } from '../../core/shape.js';
import type { Target } from '../../core/targets.js';
import type { TagFilter } from '../../core/tasks.js';
import type { HttpClientSettings } from '../../http/client-settings.js';
import type { OutputPaths } from '../../report/output-paths.js';
import type { LogLevel } from '../../report/run-log.js';
import type { ArrivalSetup } from '../open/open-model-run.js';
import type { ShapeDecision } from './shape-driver.js';
import type { TestSelection } from '../../loading/resolve-test.js';
import type { BrokerUrl } from '../../broker/broker-url.js';
import type { ShippedFile } from '../remote/remote-protocol.js';
import type { MonitorSetup } from '../../monitor/monitor-setup.js';

/** Everything one load test is run with (run-job.ts), as the CLI or a test builds it. */
export interface JobSetup {
  version: string;
  command: string;
  host: string;
  /**
   * --host was given: every user targets `host`. False: each user class's own host (`static host`)
   * is its target and `host` only the fallback (and what the run header names). Default true.
   */
  hostFromCommandLine?: boolean;
  userClasses: readonly unknown[];
  tagFilter: TagFilter;
  users: number;
  spawnRate: number;
  runTimeSec: number | null;
  shape: LoadShape | null;
  shapeName: string | null;
  /** The shape's first answer, asked before anything started (firstShapeDecision): the run starts from it. */
  firstShapeDecision?: ShapeDecision | null;
  targets: readonly Target[];
  scenario: string | null;
  testFile: string | null;
  seed: number | null;
  stopTimeoutSec: number;
  /** How every user's HTTP session behaves (timeouts, redirects, TLS, HTTP/2, …). */
  http: HttpClientSettings;
  csvFullHistory: boolean;
  paths: OutputPaths;
  loglevel: LogLevel;
  onlySummary: boolean;
  /** Console output (one line per call, no trailing newline). */
  print(line: string): void;
  /** Each line the run log writes, as written (the web UI's Logs tab). */
  onLogLine?: (line: string) => void;
  /** --processes: users run in this many worker threads (1 = here). `workerSource` is what they load. */
  processes?: number;
  workerSource?: TestSelection;
  /** --record-trace: every request as a JSON line, replayable with `run-load-tests replay`. */
  recordTrace?: string | null;
  /** Open model: arrivals on a schedule instead of a user count (users/spawnRate are then unused). */
  arrival?: ArrivalSetup | null;
  clock?: Clock;
  historyIntervalMs?: number;
  liveIntervalMs?: number;
  /** Sample brood's own CPU and event-loop delay each interval, warn and mark overloaded intervals (the CLI sets it). */
  selfMonitor?: boolean;
  /** Lines for the run log's start, e.g. which options came from a config file. */
  startNotes?: readonly string[];
  /** --reset-stats: the totals start again at the first history interval after the ramp (closed model). */
  resetStats?: boolean;
  /** --exit-code-on-error: the exit code of a run with failures or exceptions and no targets (default 1). */
  exitCodeOnError?: number;
  /** Locust's parsed_options for users and listeners: the run's main options and the test file's own. */
  parsedOptions?: Readonly<Record<string, unknown>>;
  /** -i/--iterations: tasks per user (closed model) or arrivals of the run (open model). */
  iterations?: number | null;
  /** The import-time listener registry to bind (default: `events` from 'brood'; tests pass their own). */
  events?: Hooks;
  /** Run the JIT warm-up (jit-warm-up.ts) before a steep start (the CLI sets it unless --no-warm-up). */
  warmUp?: boolean;
  /** --master: the users run in --worker processes on other machines, coordinated through a broker. */
  distributed?: JobDistributed | null;
  /** --monitor-* (or the demo server's /metrics): the system under test's resources, watched during the run. */
  monitor?: MonitorSetup | null;
}

/** A distributed run's master side (runner/remote/). */
export interface JobDistributed {
  broker: BrokerUrl;
  runId: string;
  expectWorkers: number;
  expectWorkersMaxWaitMs: number;
  /** A run that lost a worker may still pass (default: exit 1, its load was not what was asked). */
  allowWorkerLoss: boolean;
  /** The broker unreachable this long stops the run. */
  brokerTimeoutMs: number;
  /** The -f file for workers without their own (null: a built-in scenario), and its content hash. */
  file: ShippedFile | null;
  fileHash: string | null;
  /** A TOML --scenario file, sent to every worker. */
  scenarioFile: ShippedFile | null;
}
