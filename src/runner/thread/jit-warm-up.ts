/**
 * runner/thread/: what every thread that hosts users does for itself, the main thread (job/) and
 * each --processes worker (workers/) alike: warm V8's JIT up before a steep start (here) and
 * guard process.exit() so a test's own call ends the run, not the thread (exit-guard.ts).
 */
import type { Clock } from '../../core/clock.js';
import { createHooks } from '../../core/hooks.js';
import { HttpUser } from '../../http/http-user.js';
import { Rng } from '../../core/rng.js';
import { sessionOf, type UserEnvironment } from '../../core/user.js';
import { constant } from '../../core/wait-time.js';
import { DEFAULT_TLS, type HttpClientSettings } from '../../http/client-settings.js';
import { startLoopbackResponder, type LoopbackResponder } from '../../http/loopback-responder.js';
import { StatsRegistry } from '../../stats/registry.js';
import { buildClassSpecs } from '../closed/class-specs.js';
import { UserFactory } from '../closed/user-factory.js';
import type { UserLoopDeps } from '../closed/user-loop.js';
import { localUserHost, type UserClassSpec, type UserHandle } from '../closed/user-runner.js';
import { ArrivalRunner } from '../open/arrival-runner.js';
import { ArrivalSchedule } from '../../core/arrival-schedule.js';
import { createArrivalPattern } from '../../core/arrival-pattern.js';
import { OperationStats } from '../../stats/operation-stats.js';

/**
 * Why: V8 runs new code in its interpreter until the code has run often enough to be optimised.
 * A run that starts thousands of users in its first second pays that cold cost at the worst
 * moment: bench/spawn.ts measured first requests at ~200 ms against a server answering in 0.4 ms,
 * because the cold code (user construction, connect, request, response, stats) could not keep up
 * with 5 000 new users per second until it was optimised, ~1 s in. Running brood's own request
 * path against an in-process responder for a fraction of a second before such a ramp moves that
 * cost out of the measurement. The target never sees warm-up traffic, the run's stats and hooks
 * never see it, and a gentle start (most runs) skips it.
 */
export interface JitWarmUpPlan {
  /** Users spawned per wave (each connects, then requests as fast as it can). */
  usersPerWave: number;
  /** How long a wave runs before its users are stopped and their connections closed. */
  waveMs: number;
  /** Waves stop starting after this long. */
  budgetMs: number;
  /**
   * Open model: then this many arrivals/s through the open model's own path (arrival runner,
   * pool, per-operation recording) for `openMs`; 0 for a closed-model run.
   */
  openRate: number;
  openMs: number;
}

/** Below this many users (or arrivals) in the run's first second, cold code keeps up: no warm-up. */
export const STEEP_START_PER_SEC = 500;

/**
 * Pure: the warm-up for a run that starts `startPerSec` users (or arrivals, `openModel`) in its
 * first second. An open-model start also needs its own path warm: at 10 000 arrivals/s against a
 * 100 ms server, the first second's P99 was 440 ms with the closed-model warm-up alone and 806 ms
 * with none (bench/open-start.ts). Under a second either way.
 */
export function jitWarmUpPlan(startPerSec: number, openModel = false): JitWarmUpPlan | null {
  if (!(startPerSec >= STEEP_START_PER_SEC)) return null;
  if (!openModel) return { usersPerWave: 100, waveMs: 40, budgetMs: 450, openRate: 0, openMs: 0 };
  return { usersPerWave: 100, waveMs: 40, budgetMs: 250, openRate: Math.min(Math.max(startPerSec, 2000), 20_000), openMs: 250 };
}

/** The run's client settings: the warm-up runs the same request path the run will. */
export type JitWarmUpSettings = HttpClientSettings;

export interface JitWarmUpReport {
  users: number;
  requests: number;
  /** Of `users` and `requests`, those of the open-model phase (0 without one). */
  openUsers: number;
  openRequests: number;
  elapsedMs: number;
}

/** The warm-up's user: reads and JSON writes, as most workloads do, with no think time. */
class WarmUpUser extends HttpUser {
  static override tasks = { read: 3, write: 1 };
  override waitTime = constant(0);

  async read(): Promise<void> {
    await this.client.get('/warm-up', { name: 'read' });
  }

  async write(): Promise<void> {
    const r = await this.client.post('/warm-up', { name: 'write', json: { id: this.environment.userId, text: 'warm-up' } });
    r.json();
  }
}

/**
 * Runs brood's user loop and request path (with the run's client settings) against an in-process
 * responder in waves of users, then closes everything. Resolves with what it did; never throws
 * (a warm-up that cannot start is skipped).
 */
export async function runJitWarmUp(plan: JitWarmUpPlan, settings: JitWarmUpSettings, clock: Clock): Promise<JitWarmUpReport> {
  const started = clock.now();
  let responder: LoopbackResponder;
  try {
    responder = await startLoopbackResponder();
  } catch {
    return { users: 0, requests: 0, openUsers: 0, openRequests: 0, elapsedMs: clock.now() - started };
  }
  const stats = new StatsRegistry(() => clock.wallNow());
  const abort = new AbortController();
  const factory = new UserFactory(
    { host: responder.url, http: { ...settings, auth: null, tls: DEFAULT_TLS, http2: false, h2c: false }, options: {} },
    { rootRng: new Rng(1), stats, hooks: createHooks(), signal: abort.signal },
  );
  const loop: UserLoopDeps = {
    clock,
    recordException: (e) => stats.recordException(e),
    afterTask: (user) => sessionOf(user)?.flushPending(),
    pickers: new WeakMap(),
    loopTurns: factory.loopTurns,
  };
  const [spec] = buildClassSpecs([WarmUpUser], { include: null, exclude: null });
  const warm: WarmUpParts = { plan, clock, loop, environmentFor: (userId) => factory.environmentFor(userId) };
  let users = 0;
  let openUsers = 0;
  let closedRequests = 0;
  try {
    if (spec) users += await closedWaves(spec, warm, started);
    closedRequests = responder.answered();
    if (spec && plan.openRate > 0) openUsers = await openArrivals(spec, warm);
  } finally {
    abort.abort();
    await factory.close();
    await responder.close();
  }
  const requests = responder.answered();
  return { users: users + openUsers, requests, openUsers, openRequests: requests - closedRequests, elapsedMs: clock.now() - started };
}

/** What both phases of the warm-up run their users with. */
interface WarmUpParts {
  plan: JitWarmUpPlan;
  clock: Clock;
  loop: UserLoopDeps;
  environmentFor: (userId: number) => UserEnvironment;
}

/** Waves of users (each connects, then requests as fast as it can) until the budget is spent; how many users. */
async function closedWaves(spec: UserClassSpec, { plan, clock, loop, environmentFor }: WarmUpParts, started: number): Promise<number> {
  const host = localUserHost({ loop, environmentFor });
  let users = 0;
  while (clock.now() - started < plan.budgetMs) {
    const wave: UserHandle[] = [];
    for (let i = 0; i < plan.usersPerWave; i++) {
      const handle = host.spawn(spec, 0, users++);
      if (handle) wave.push(handle);
    }
    await new Promise<void>((resolve) => clock.setTimer(resolve, plan.waveMs));
    for (const handle of wave) handle.requestStop();
    await Promise.all(wave.map((h) => h.done));
  }
  return users;
}

/** Then the open model's own path (arrival runner, pool, per-operation recording) at plan.openRate; how many users its pool made. */
async function openArrivals(spec: UserClassSpec, { plan, clock, loop, environmentFor }: WarmUpParts): Promise<number> {
  const arrivals = new ArrivalRunner([spec], {
    clock,
    schedule: new ArrivalSchedule(createArrivalPattern({ pattern: 'constant', rate: plan.openRate }), new Rng(2)),
    rng: new Rng(3),
    maxUsers: 2000,
    stopTimeoutMs: 1000,
    loop,
    environmentFor,
    recorder: new OperationStats(() => clock.wallNow()),
  });
  arrivals.start();
  await new Promise<void>((resolve) => clock.setTimer(resolve, plan.openMs));
  await arrivals.stopAll(false);
  return arrivals.userCount();
}
