import { parseDecimal } from '../core/decimal.js';
import { availableParallelism } from 'node:os';
import { parseDuration } from '../core/duration.js';
import { parseVegetaRate } from '../core/vegeta-rate.js';
import type { TargetsSelection } from '../loading/resolve-test.js';
import { ConfigError, ConfigErrors } from '../core/errors.js';
import type { ConfigErrorCode } from '../core/error-codes.js';
import { redactCredentials, splitCredentials } from '../http/basic-auth.js';
import type { HttpClientSettings } from '../http/client-settings.js';
import type { BasicAuth } from '../http/request-options.js';
import { httpClientConfig } from './http-config.js';
import type { RawRunOptions } from './args.js';
import { parseBrokerUrl, type BrokerUrl } from '../broker/broker-url.js';
import { webOptions, type WebConfig } from './web-config.js';
import { monitorOptions } from './monitor-config.js';
import { checkOtlpEndpoint } from '../report/otlp-endpoint.js';
import type { MonitorSetup } from '../monitor/monitor-setup.js';

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

/** A validated run configuration: numbers are numbers, every problem was reported at once. */
export interface RunConfig {
  file: string | null;
  scenario: string | null;
  /** --targets: a Vegeta targets file run as one user class (users/vegeta-targets-user.ts). */
  targets: TargetsSelection | null;
  /** "Options from brood.conf: users = 50, …": what config files and BROOD_* variables set (console and log). */
  settingsFrom: string[];
  /** Positional class names: only these user classes run (null: all of them). */
  userClassNames: string[] | null;
  users: number | null;
  spawnRate: number | null;
  runTimeSec: number | null;
  /** --host without credentials (they are in http.auth). */
  host: string | null;
  shape: string | null;
  stepUsers: number | null;
  stepTimeSec: number | null;
  tags: string[] | null;
  excludeTags: string[] | null;
  seed: number | null;
  stopTimeoutSec: number;
  /** The HTTP client flags: timeouts, body cap, redirects, TLS, HTTP/2, the host's credentials. */
  http: HttpClientSettings;
  loglevel: LogLevel;
  onlySummary: boolean;
  /** --reset-stats (Locust's flag): the totals start again after the ramp. */
  resetStats: boolean;
  /** --exit-code-on-error (Locust's flag): exit code for failures or exceptions when there are no targets. */
  exitCodeOnError: number;
  csvPrefix: string | null;
  csvFullHistory: boolean;
  html: string | null;
  json: string | null;
  /** --logfile (Locust's flag): the run log's path; null puts it beside the other files. */
  logfile: string | null;
  resultsDir: string | null;
  continueOnUnreachable: boolean;
  /** Warm brood's request path up before a steep start (default on; --no-warm-up). */
  warmUp: boolean;
  recordTrace: string | null;
  /** Worker threads hosting users (1 = in the main thread). */
  processes: number;
  /** -i/--iterations: tasks per user (closed model) or arrivals of the run (open model); null: no limit. */
  iterations: number | null;
  /** The test file's own options (`export const options`), by camelCase name: `this.environment.parsedOptions`. */
  customOptions: Readonly<Record<string, string | number | boolean | null>>;
  /** Open-model flags; `rate` is --target-rate (null: the scenario file's pattern, or not an open-model run). */
  arrival: { pattern: 'constant' | 'poisson'; rate: number | null; maxUsers: number | null; preAllocatedUsers: number | null; targetP99Ms: number | null; maxErrorRate: number | null; windowSec: number } | null;
  /** --master / --worker: a distributed run through a Redis broker; null for a run on this machine. */
  distributed: DistributedConfig | null;
  /** --web-ui and its flags; null for a headless run. */
  web: WebConfig | null;
  /** --monitor-*: what the run watches of the system under test; null: nothing asked (a demo-server run still watches the demo server). */
  monitor: MonitorSetup | null;
  /** --metrics-port / --metrics-host and --otlp-endpoint: brood's own figures for Prometheus and OpenTelemetry. */
  exporters: ExportersConfig;
}

export interface ExportersConfig {
  /** null: no Prometheus endpoint of its own (the web UI's server still has /metrics). */
  metricsPort: number | null;
  metricsHost: string;
  otlpEndpoint: string | null;
}

export interface DistributedConfig {
  role: 'master' | 'worker';
  broker: BrokerUrl;
  runId: string;
  /** --master: workers to wait for before starting, and for how long. */
  expectWorkers: number;
  expectWorkersMaxWaitSec: number;
  /** --master: a run that lost a worker may still pass. */
  allowWorkerLoss: boolean;
  brokerTimeoutSec: number;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warning', 'error'];

/** Validates raw CLI options; throws ConfigErrors listing every problem (rule 8). */
/**
 * Collects every problem of a command line instead of stopping at the first, so a user fixes them
 * all in one go; each reader returns a fallback where its value was bad.
 */
class ProblemList {
  readonly problems: ConfigError[] = [];

  attempt<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ConfigError) this.problems.push(e);
      else throw e;
      return fallback;
    }
  }

  positiveInt(flag: string, v: string | undefined): number | null {
    return v === undefined ? null : this.attempt(() => parsePositive(flag, v, true), null);
  }

  positive(flag: string, v: string | undefined): number | null {
    return v === undefined ? null : this.attempt(() => parsePositive(flag, v, false), null);
  }

  duration(flag: string, v: string | undefined): number | null {
    return v === undefined ? null : this.attempt(() => parseDuration(v, flag), null);
  }

  add(code: ConfigErrorCode, message: string): void {
    this.problems.push(new ConfigError(code, message));
  }
}

export function validateRunOptions(raw: RawRunOptions): RunConfig {
  const p = new ProblemList();
  // Two spellings of one option, both given: one would be ignored without a word.
  if (raw.file !== undefined && raw.locustfile !== undefined) p.add('BAD_ARGUMENT', '-f and --locustfile are the same option: give one');
  if (raw.time !== undefined && raw.runTime !== undefined) p.add('BAD_ARGUMENT', '-t and --run-time are the same option: give one');
  const file = raw.file ?? raw.locustfile ?? null;
  if (file !== null && raw.scenario !== undefined) p.add('BAD_ARGUMENT', 'use either --scenario or -f FILE, not both');
  const parsedHost = raw.host === undefined ? null : p.attempt(() => parseHost(raw.host as string), null);
  const http = httpClientConfig(raw, parsedHost?.auth ?? null, p.problems);
  const loglevel = (raw.loglevel ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(loglevel as LogLevel)) p.add('BAD_ARGUMENT', `--loglevel "${raw.loglevel}" is not a level: use ${LOG_LEVELS.join(', ')}`);
  const seed = raw.seed === undefined ? null : p.attempt(() => parseSeed(raw.seed as string), null);
  const config: RunConfig = {
    file,
    scenario: raw.scenario ?? null,
    targets: targetsOptions(raw, file, p),
    settingsFrom: raw.settingsFrom ?? [],
    userClassNames: raw.userClassNames && raw.userClassNames.length > 0 ? [...new Set(raw.userClassNames)] : null,
    users: p.positiveInt('--users', raw.users),
    spawnRate: p.positive('--spawn-rate', raw.spawnRate),
    runTimeSec: p.duration('--time', raw.time ?? raw.runTime),
    host: parsedHost?.host ?? null,
    shape: raw.shape ?? null,
    stepUsers: p.positiveInt('--step-users', raw.stepUsers),
    stepTimeSec: p.duration('--step-time', raw.stepTime),
    tags: raw.tags ?? null,
    excludeTags: raw.excludeTags ?? null,
    seed,
    stopTimeoutSec: raw.stopTimeout === undefined ? 10 : p.attempt(() => parseStopTimeout(raw.stopTimeout as string), 10),
    http,
    loglevel: (LOG_LEVELS.includes(loglevel as LogLevel) ? loglevel : 'info') as LogLevel,
    onlySummary: raw.onlySummary ?? false,
    resetStats: raw.resetStats ?? false,
    exitCodeOnError: raw.exitCodeOnError === undefined ? 1 : p.attempt(() => parseExitCode(raw.exitCodeOnError as string), 1),
    csvPrefix: raw.csv ?? null,
    csvFullHistory: raw.csvFullHistory ?? false,
    html: raw.html ?? null,
    json: raw.json ?? null,
    logfile: raw.logfile ?? null,
    resultsDir: raw.resultsDir ?? null,
    continueOnUnreachable: raw.continueOnUnreachable ?? false,
    warmUp: raw.warmUp ?? true,
    recordTrace: raw.recordTrace ?? null,
    processes: raw.processes === undefined ? 1 : p.attempt(() => parseProcesses(raw.processes as string), 1),
    iterations: p.positiveInt('--iterations', raw.iterations),
    customOptions: raw.customOptions ?? {},
    arrival: openModelOptions(raw, p),
    distributed: distributedOptions(raw, p),
    web: webOptions(raw, p.problems),
    monitor: monitorOptions(raw, p.problems),
    exporters: exportersOptions(raw, p),
  };
  if (p.problems.length > 0) throw new ConfigErrors(p.problems);
  return config;
}

/**
 * --targets and its two options. A targets file is the whole test (not beside -f or --scenario);
 * it needs a rate (Vegeta's attack) or users (each walking the list); the remote workers of a
 * distributed run cannot read the master's file yet, so that is refused rather than half-run.
 */
function targetsOptions(raw: RawRunOptions, file: string | null, p: ProblemList): TargetsSelection | null {
  const format = raw.targetsFormat ?? 'http';
  const nameBy = raw.targetsNameBy ?? 'path';
  if (raw.targets === undefined) {
    const stray = raw.targetsFormat !== undefined ? '--targets-format' : raw.targetsNameBy !== undefined ? '--targets-name-by' : null;
    if (stray !== null) p.add('BAD_ARGUMENT', `${stray} needs --targets FILE (a Vegeta targets file)`);
    return null;
  }
  if (format !== 'http' && format !== 'json') p.add('BAD_ARGUMENT', `--targets-format "${format}" is not a format: use http (Vegeta's default) or json`);
  if (nameBy !== 'path' && nameBy !== 'url') p.add('BAD_ARGUMENT', `--targets-name-by "${nameBy}" is not a choice: use path (GET /v1/health) or url`);
  if (file !== null || raw.scenario !== undefined) p.add('BAD_ARGUMENT', `--targets is the whole test: give it without ${file !== null ? '-f' : '--scenario'}`);
  if (raw.master === true || raw.worker === true) p.add('BAD_ARGUMENT', '--targets does not run distributed yet (the workers cannot read the targets file): use --processes N on one machine');
  if (raw.targetRate === undefined && raw.users === undefined) p.add('BAD_ARGUMENT', '--targets needs --target-rate N (arrivals, as vegeta attack -rate=N) or -u N (users, each walking the list)');
  return { file: raw.targets, format: format === 'json' ? 'json' : 'http', nameBy: nameBy === 'url' ? 'url' : 'path', rebase: raw.host !== undefined };
}

/** --target-rate and the flags that only an open-model run reads; null when none was given. */
function openModelOptions(raw: RawRunOptions, p: ProblemList): RunConfig['arrival'] {
  const rate = raw.targetRate?.includes('/') === true ? p.attempt(() => parseVegetaRate(raw.targetRate as string), null) : p.positive('--target-rate', raw.targetRate);
  const arrivalPattern = raw.arrival ?? 'constant';
  if (arrivalPattern !== 'constant' && arrivalPattern !== 'poisson') {
    p.add('BAD_ARGUMENT', `--arrival "${arrivalPattern}" is not a pattern: use constant or poisson (other patterns come from scenario files)`);
  }
  const openOnly = (['arrival', 'maxUsers', 'preAllocatedUsers', 'targetP99', 'maxErrorRate', 'window'] as const).filter((k) => raw[k] !== undefined);
  if (raw.targetRate === undefined && raw.scenario === undefined && raw.file === undefined && openOnly.length > 0) {
    p.add('BAD_ARGUMENT', `--${openOnly[0]?.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --target-rate, a TOML --scenario or a test file exporting \`arrival\` (it applies to open-model runs)`);
  }
  const maxErrorRate = raw.maxErrorRate === undefined ? null : p.attempt(() => parseFraction('--max-error-rate', raw.maxErrorRate as string), null);
  if (rate === null && openOnly.length === 0) return null;
  // Null when not given: a scenario file's [arrival] may set them (run-command.ts merges).
  return {
    pattern: arrivalPattern === 'poisson' ? 'poisson' : 'constant',
    rate,
    maxUsers: p.positiveInt('--max-users', raw.maxUsers),
    preAllocatedUsers: raw.preAllocatedUsers === undefined ? null : raw.preAllocatedUsers.trim() === '0' ? 0 : p.positiveInt('--pre-allocated-users', raw.preAllocatedUsers),
    targetP99Ms: p.positive('--target-p99', raw.targetP99),
    maxErrorRate,
    windowSec: p.duration('--window', raw.window) ?? 60,
  };
}

/** --metrics-port, --metrics-host, --otlp-endpoint. */
function exportersOptions(raw: RawRunOptions, p: ProblemList): ExportersConfig {
  let metricsPort: number | null = null;
  if (raw.metricsPort !== undefined) {
    const n = /^\s*\d+\s*$/.test(raw.metricsPort) ? Number(raw.metricsPort) : Number.NaN;
    if (!Number.isInteger(n) || n > 65535) p.add('BAD_NUMBER', `--metrics-port "${raw.metricsPort}" must be a port from 0 to 65535 (0 = any free port, printed)`);
    else metricsPort = n;
  }
  if (raw.metricsHost !== undefined && raw.metricsPort === undefined) p.add('BAD_ARGUMENT', '--metrics-host is where --metrics-port listens: give the port too, e.g. --metrics-port 9646');
  let otlpEndpoint: string | null = null;
  if (raw.otlpEndpoint !== undefined) {
    const problem = checkOtlpEndpoint(raw.otlpEndpoint);
    if (problem !== null) p.add('BAD_ARGUMENT', problem);
    else otlpEndpoint = raw.otlpEndpoint;
  }
  if ((metricsPort !== null || otlpEndpoint !== null) && raw.worker === true) p.add('BAD_ARGUMENT', '--metrics-port and --otlp-endpoint export the whole run: give them to the master, not to --worker');
  return { metricsPort, metricsHost: raw.metricsHost ?? '127.0.0.1', otlpEndpoint };
}

/** --master / --worker and the flags that go with them; null for a run on this machine. */
function distributedOptions(raw: RawRunOptions, p: ProblemList): DistributedConfig | null {
  if (raw.master === true && raw.worker === true) p.add('BAD_ARGUMENT', '--master and --worker: a process is one or the other (start the workers as separate processes)');
  const role = raw.master === true ? 'master' : raw.worker === true ? 'worker' : null;
  const masterOnly = (['expectWorkers', 'expectWorkersMaxWait', 'allowWorkerLoss'] as const).filter((k) => raw[k] !== undefined);
  const flag = (k: string): string => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (role !== 'master' && masterOnly.length > 0) p.add('BAD_ARGUMENT', `${flag(masterOnly[0] ?? '')} applies to the master of a distributed run: add --master and --broker`);
  if (role === null) {
    const given = (['broker', 'runId', 'brokerTimeout'] as const).find((k) => raw[k] !== undefined);
    if (given !== undefined) p.add('BAD_ARGUMENT', `${flag(given)} applies to distributed runs: add --master (the coordinator) or --worker`);
    return null;
  }
  if (raw.broker === undefined) {
    p.add('BAD_ARGUMENT', `--${role} needs the broker: --broker redis://HOST:6379 (or BROOD_BROKER)`);
    return null;
  }
  const broker = p.attempt(() => parseBrokerUrl(raw.broker as string, '--broker'), null);
  const runId = raw.runId ?? 'default';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(runId)) p.add('BAD_ARGUMENT', `--run-id "${runId}" must be 1 to 64 letters, digits, dots, dashes or underscores`);
  const expectWorkers = p.positiveInt('--expect-workers', raw.expectWorkers) ?? 1;
  if (expectWorkers > 10_000) p.add('BAD_NUMBER', `--expect-workers ${expectWorkers} is more workers than one master coordinates (at most 10000)`);
  if (broker === null) return null;
  return {
    role,
    broker,
    runId,
    expectWorkers,
    expectWorkersMaxWaitSec: p.duration('--expect-workers-max-wait', raw.expectWorkersMaxWait) ?? 60,
    allowWorkerLoss: raw.allowWorkerLoss ?? false,
    brokerTimeoutSec: p.duration('--broker-timeout', raw.brokerTimeout) ?? 30,
  };
}

function parsePositive(flag: string, text: string, integer: boolean): number {
  const n = parseDecimal(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new ConfigError('BAD_NUMBER', `${flag} "${text}" must be a positive ${integer ? 'whole number' : 'number'}`);
  }
  // Past 2^53 a count is no longer exact (1e20 + 1 === 1e20): it could not be counted down to.
  if (integer && !Number.isSafeInteger(n)) throw new ConfigError('BAD_NUMBER', `${flag} "${text}" is too large: at most ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

function parseProcesses(text: string): number {
  if (text === 'auto') return Math.max(1, availableParallelism());
  const n = parseDecimal(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new ConfigError('BAD_NUMBER', `--processes "${text}" must be auto or a whole number from 1 to 256`);
  return n;
}

function parseFraction(flag: string, text: string): number {
  const n = parseDecimal(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new ConfigError('BAD_NUMBER', `${flag} "${text}" must be a fraction from 0 to 1, e.g. 0.01 for 1%`);
  }
  return n;
}

function parseExitCode(text: string): number {
  const n = parseDecimal(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > 255) {
    throw new ConfigError('BAD_NUMBER', `--exit-code-on-error "${text}" must be a whole number from 0 to 255`);
  }
  return n;
}

function parseSeed(text: string): number {
  // Digits only: Number() reads '' and ' ' as 0, and '0x1f' or '1e3' as other seeds than typed.
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new ConfigError('BAD_NUMBER', `--seed "${text}" must be a whole number from 0 to 4294967295`);
  }
  return n;
}

function parseStopTimeout(text: string): number {
  if (text.trim() === '0') return 0;
  return parseDuration(text, '--stop-timeout');
}

/** The schemes a host may have: HTTP, and the other protocols' (each user class checks its own, class-hosts.ts). */
const HOST_URL_SCHEMES: readonly string[] = ['http:', 'https:', 'ws:', 'wss:', 'grpc:', 'grpcs:'];

/**
 * --host: an http(s) URL (or ws(s)://, grpc(s):// for those protocols' users). Credentials in it (http://user:pass@host) become the run's basic auth and
 * leave the host, so no output ever shows them; messages echo the URL with the password masked.
 */
export function parseHost(text: string): { host: string; auth: BasicAuth | null } {
  const shown = redactCredentials(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('BAD_HOST', `--host "${shown}" is not a URL: use http://HOST:PORT or https://HOST`);
  }
  if (!HOST_URL_SCHEMES.includes(url.protocol)) {
    throw new ConfigError('BAD_HOST', `--host "${shown}" must be an http:// or https:// URL (ws:// and wss:// for WebSocketUser, grpc:// and grpcs:// for GrpcUser)`);
  }
  if ((url.protocol === 'grpc:' || url.protocol === 'grpcs:') && url.port === '') {
    throw new ConfigError('BAD_HOST', `--host "${shown}" needs a port (gRPC has no default one), e.g. grpc://127.0.0.1:50051`);
  }
  const { url: clean, auth } = splitCredentials(text);
  return { host: clean.replace(/\/+$/, ''), auth };
}
