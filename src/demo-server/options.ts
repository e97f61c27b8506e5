/**
 * Options of the built-in demo server and their validation. One place decides the defaults so
 * the programmatic API, the own-process variant and the CLI cannot drift apart.
 */

export interface DemoServerOptions {
  /** Interface to bind. The demo server is a local target, so it never binds all interfaces by default. */
  host: string;
  /** 0 asks the OS for a free port (what tests and `run-load-tests` without --host use). */
  port: number;
  /** Fixed delay added to every request, holding its concurrency slot. */
  latencyMs: number;
  /** Uniform extra delay 0..jitterMs on top of latencyMs. */
  jitterMs: number;
  /** Fraction 0..1 of requests answered 500 {error:'injected failure'}. */
  errorRate: number;
  /** false → every /federation/* route answers 404, like a CONTINUUM build without federation. */
  federation: boolean;
  /** Requests processed at once; 0 = unlimited. Together with latency this sets a real capacity. */
  maxConcurrency: number;
  /** Requests allowed to wait for a slot; past this the server answers 503 {error:'overloaded'}. */
  queueLimit: number;
  /** Seed of the server's own randomness (jitter, error injection); undefined = random per start. */
  seed: number | undefined;
  /** Concepts kept per memory space; the oldest are evicted past it. */
  maxConcepts: number;
  /** Relationships kept per memory space; new pairs are not recorded past it. */
  maxRelationships: number;
  /** Memory spaces (X-Memory-Space) allowed; a new space past it answers 429. */
  maxSpaces: number;
  /** Request bodies above this answer 413. */
  maxBodyBytes: number;
  /** Idle keep-alive sockets are kept this long; above common client pool timeouts so clients close first. */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_DEMO_SERVER_OPTIONS: Readonly<DemoServerOptions> = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  federation: true,
  maxConcurrency: 0,
  queueLimit: 1024,
  seed: undefined,
  maxConcepts: 50_000,
  maxRelationships: 200_000,
  maxSpaces: 32,
  maxBodyBytes: 1_048_576,
  keepAliveTimeoutMs: 65_000,
});

/**
 * Fills defaults without mutating the caller's object; undefined fields fall back to the default.
 * Only known keys are copied, so a caller's wider options object cannot leak into the server (or workerData).
 */
export function resolveDemoServerOptions(options: Partial<DemoServerOptions> = {}): DemoServerOptions {
  const resolved: DemoServerOptions = { ...DEFAULT_DEMO_SERVER_OPTIONS };
  for (const key of Object.keys(DEFAULT_DEMO_SERVER_OPTIONS) as (keyof DemoServerOptions)[]) {
    const value = options[key];
    if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
  }
  return resolved;
}

type IntegerField = 'port' | 'latencyMs' | 'jitterMs' | 'maxConcurrency' | 'queueLimit' |
  'maxConcepts' | 'maxRelationships' | 'maxSpaces' | 'maxBodyBytes' | 'keepAliveTimeoutMs';

const INTEGER_RANGES: ReadonlyArray<readonly [IntegerField, number, number]> = [
  ['port', 0, 65_535],
  ['latencyMs', 0, 600_000],
  ['jitterMs', 0, 600_000],
  ['maxConcurrency', 0, 1_000_000],
  ['queueLimit', 0, 10_000_000],
  ['maxConcepts', 1, 10_000_000],
  ['maxRelationships', 0, 100_000_000],
  ['maxSpaces', 1, 100_000],
  ['maxBodyBytes', 1, 1_073_741_824],
  ['keepAliveTimeoutMs', 1, 3_600_000],
];

/** Every problem at once (house rule 8), each a line the user can act on; empty when valid. */
export function validateDemoServerOptions(options: DemoServerOptions): string[] {
  const problems: string[] = [];
  for (const [field, min, max] of INTEGER_RANGES) {
    const value = options[field];
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${field} must be an integer from ${min} to ${max} (got ${String(value)})`);
    }
  }
  if (typeof options.host !== 'string' || options.host.length === 0) {
    problems.push('host must be a non-empty string such as 127.0.0.1');
  }
  if (typeof options.errorRate !== 'number' || !(options.errorRate >= 0 && options.errorRate <= 1)) {
    problems.push(`errorRate must be a number from 0 to 1 (got ${String(options.errorRate)})`);
  }
  if (typeof options.federation !== 'boolean') {
    problems.push(`federation must be true or false (got ${String(options.federation)})`);
  }
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    problems.push(`seed must be an integer (got ${String(options.seed)})`);
  }
  return problems;
}
