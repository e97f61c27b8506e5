import type { ArrivalSchedule } from '../../core/arrival-schedule.js';
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { Rng } from '../../core/rng.js';
import { WeightedPicker } from '../../core/task-picker.js';
import type { UserEnvironment } from '../../core/user.js';
import { localOpenUserHost } from './open-user-host.js';
import { DROPPED, LocalOpenPool, NOTHING, type ArrivalOutcome, type ArrivalSink, type OpenedConnections, type OpenPool } from './open-pool.js';
import type { UserLoopDeps } from '../closed/user-loop.js';
import type { UserClassSpec } from '../closed/user-runner.js';

/** Where operations are recorded: the CO-free latency and the service time, each per (class, task). */
export interface OperationRecorder {
  recordOperation(className: string, task: string, latencyMs: number, serviceMs: number, failed: boolean): void;
  recordDropped(): void;
  recordScheduled(): void;
}

export interface ArrivalRunnerDeps {
  clock: Clock;
  schedule: ArrivalSchedule;
  /** Chooses the class of each arrival (seeded). */
  rng: Rng;
  maxUsers: number;
  stopTimeoutMs: number;
  loop: UserLoopDeps;
  environmentFor(userId: number, spec: UserClassSpec): UserEnvironment;
  recorder: OperationRecorder;
  /** Where the pooled users run (default: a LocalOpenPool here; with --processes, one pool per worker thread). */
  pool?: (sink: ArrivalSink) => OpenPool;
  /**
   * The run's length (-t), seconds: no arrival scheduled at or after it is sent, even when the stop
   * comes a little late (a busy event loop): the run sends exactly the arrivals of its time.
   */
  untilSec?: number | null;
  /** -i/--iterations: no arrival after this many; `onLimit` once the last one finished. */
  limit?: { arrivals: number; onLimit(): void } | null;
}

/** Most arrivals dispatched in one timer callback before yielding to the event loop. */
const MAX_BATCH = 2000;

/**
 * The open model: operations arrive on a schedule whatever the server does. Each arrival runs one
 * task of a class chosen by weight, on an idle user from a pool that grows up to maxUsers (an
 * arrival that finds its class's users busy waits up to GROW_AFTER_MS for one before a new one is
 * made, open-pool.ts); when every user is busy at the bound the arrival is DROPPED and counted.
 * Latency is taken from the arrival's scheduled time (no coordinated omission), so any wait is in
 * it; service time from the real start.
 */
export class ArrivalRunner implements ArrivalSink {
  readonly classes: readonly UserClassSpec[];
  readonly #deps: ArrivalRunnerDeps;
  readonly #classPicker: WeightedPicker<number>;
  readonly #pool: OpenPool;
  #startMs = 0;
  #timer: TimerHandle | null = null;
  #busy = 0;
  #stopping = false;
  #idleWaiters: Array<() => void> = [];
  dropped = 0;
  dispatched = 0;

  constructor(classes: readonly UserClassSpec[], deps: ArrivalRunnerDeps) {
    this.classes = classes;
    this.#deps = deps;
    this.#classPicker = new WeightedPicker(classes.map((_, i) => i), classes.map((c) => c.weight));
    this.#pool = deps.pool ? deps.pool(this) : new LocalOpenPool(classes, localOpenUserHost(deps), this, { maxUsers: deps.maxUsers, clock: deps.clock });
  }

  /** Users created so far (busy or idle): the pool size. */
  userCount(): number {
    return this.#pool.userCount();
  }

  /** Users made before the run starts (see OpenPool.preallocate); 0 where the pool makes its own. */
  preallocate(perClass: readonly number[]): number {
    return this.#pool.preallocate?.(perClass) ?? 0;
  }

  /** Opens the pre-allocated users' connections (see LocalOpenPool.connectPreallocated); nothing where the pool makes its own. */
  connectPreallocated(openHttp: (count: number) => Promise<OpenedConnections>): Promise<OpenedConnections> {
    return this.#pool.connectPreallocated?.(openHttp) ?? Promise.resolve({ opened: 0, failed: 0, firstError: null });
  }

  /** Users per class index (the pool's). */
  countsByClass(): readonly number[] {
    return this.#pool.countsByClass();
  }

  busyCount(): number {
    return this.#busy;
  }

  countsByName(): Record<string, number> {
    const out: Record<string, number> = {};
    const counts = this.countsByClass();
    this.classes.forEach((c, i) => (out[c.name] = counts[i] ?? 0));
    return out;
  }

  /** The closed-model population interface: the schedule, not a user count, drives this runner. */
  setTarget(): void {}

  start(): void {
    this.#startMs = this.#deps.clock.now();
    this.#arm();
  }

  #arm(): void {
    const next = this.#deps.schedule.peek();
    if (!Number.isFinite(next) || this.#stopping || next >= (this.#deps.untilSec ?? Infinity)) return;
    const delay = Math.max(0, this.#startMs + next * 1000 - this.#deps.clock.now());
    this.#timer = this.#deps.clock.setTimer(() => this.#tick(), delay);
  }

  #tick(): void {
    this.#timer = null;
    const { clock, schedule } = this.#deps;
    const dueBy = (clock.now() - this.#startMs) / 1000;
    let n = 0;
    // Arrivals whose time has come are dispatched now, each keeping its own scheduled time:
    // a late timer shows up as latency, as it would for a real client arriving on time.
    const until = this.#deps.untilSec ?? Infinity;
    while (schedule.peek() <= dueBy && schedule.peek() < until && n < MAX_BATCH && !this.#stopping && !this.#limitReached()) {
      this.#dispatch(this.#startMs + schedule.take() * 1000);
      n++;
    }
    this.#arm();
  }

  #limitReached(): boolean {
    const limit = this.#deps.limit;
    return limit !== undefined && limit !== null && this.dispatched >= limit.arrivals;
  }

  #dispatch(scheduledMs: number): void {
    this.dispatched++;
    this.#deps.recorder.recordScheduled();
    this.#busy++;
    this.#pool.dispatch(this.#classPicker.pick(this.#deps.rng), scheduledMs);
  }

  /** The pool's report of one arrival (ArrivalSink). */
  arrivalDone(classIndex: number, scheduledMs: number, outcome: ArrivalOutcome): void {
    if (outcome === DROPPED) {
      this.dropped++;
      this.#deps.recorder.recordDropped();
    } else if (outcome !== NOTHING && outcome.name !== null) {
      this.#deps.recorder.recordOperation(this.classes[classIndex]?.name ?? '?', outcome.name, outcome.endedMs - scheduledMs, outcome.endedMs - outcome.startedMs, outcome.failed);
    }
    this.#busy--;
    if (this.#busy === 0) {
      for (const w of this.#idleWaiters.splice(0)) w();
      if (this.#limitReached() && !this.#stopping) this.#deps.limit?.onLimit();
    }
  }

  /** Stops the schedule; in-flight operations finish (up to the stop timeout), then users leave. */
  async stopAll(hard: boolean): Promise<void> {
    this.#stopping = true;
    if (this.#timer) this.#deps.clock.clearTimer(this.#timer);
    this.#timer = null;
    if (hard) this.hardStopAll();
    else if (this.#busy > 0) {
      const drained = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      const timedOut = await new Promise<boolean>((resolve) => {
        const t = this.#deps.clock.setTimer(() => resolve(true), this.#deps.stopTimeoutMs);
        void drained.then(() => {
          this.#deps.clock.clearTimer(t);
          resolve(false);
        });
      });
      if (timedOut) this.hardStopAll();
    }
    await this.#pool.finishAll();
  }

  hardStopAll(): void {
    this.#stopping = true;
    this.#pool.hardStopAll();
    for (const w of this.#idleWaiters.splice(0)) w();
  }
}
