import type { ArrivalSchedule } from '../core/arrival-schedule.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { Rng } from '../core/rng.js';
import { WeightedPicker } from '../core/task-picker.js';
import type { UserEnvironment } from '../core/user.js';
import { localOpenUserHost, type OpenUserHandle, type OpenUserHost } from './open-user-host.js';
import type { UserLoopDeps } from './user-loop.js';
import type { UserClassSpec } from './user-runner.js';

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
  /** Where the pooled users run (default: here; with --processes, in worker threads). */
  host?: OpenUserHost;
}

/** Most arrivals dispatched in one timer callback before yielding to the event loop. */
const MAX_BATCH = 2000;

/**
 * The open model: operations arrive on a schedule whatever the server does. Each arrival runs one
 * task of a class chosen by weight, on an idle user from a pool that grows up to maxUsers; when
 * every user is busy the arrival is DROPPED and counted, never silently delayed. Latency is taken
 * from the arrival's scheduled time (no coordinated omission), service time from the real start.
 */
export class ArrivalRunner {
  readonly classes: readonly UserClassSpec[];
  readonly #deps: ArrivalRunnerDeps;
  readonly #classPicker: WeightedPicker<number>;
  readonly #host: OpenUserHost;
  readonly #idle: OpenUserHandle[][];
  readonly #all: OpenUserHandle[] = [];
  /** Ids given so far (a user whose constructor threw used one up and is not in the pool). */
  #nextUserId = 0;
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
    this.#idle = classes.map(() => []);
    this.#host = deps.host ?? localOpenUserHost(deps);
  }

  /** Users created so far (busy or idle): the pool size. */
  userCount(): number {
    return this.#all.length;
  }

  busyCount(): number {
    return this.#busy;
  }

  countsByName(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.classes) out[c.name] = 0;
    for (const r of this.#all) {
      const name = this.classes[r.classIndex]?.name ?? '?';
      out[name] = (out[name] ?? 0) + 1;
    }
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
    if (!Number.isFinite(next) || this.#stopping) return;
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
    while (schedule.peek() <= dueBy && n < MAX_BATCH && !this.#stopping) {
      this.#dispatch(this.#startMs + schedule.take() * 1000);
      n++;
    }
    this.#arm();
  }

  #dispatch(scheduledMs: number): void {
    this.dispatched++;
    this.#deps.recorder.recordScheduled();
    const ci = this.#classPicker.pick(this.#deps.rng);
    let running = this.#idle[ci]?.pop();
    if (!running) {
      if (this.#all.length >= this.#deps.maxUsers) {
        this.dropped++;
        this.#deps.recorder.recordDropped();
        return;
      }
      const created = this.#create(ci);
      if (!created) return;
      running = created;
    }
    this.#busy++;
    void this.#run(running, ci, scheduledMs);
  }

  #create(ci: number): OpenUserHandle | null {
    const handle = this.#host.create(this.classes[ci] as UserClassSpec, ci, this.#nextUserId++);
    if (handle) this.#all.push(handle);
    return handle;
  }

  async #run(running: OpenUserHandle, ci: number, scheduledMs: number): Promise<void> {
    const outcome = await this.#host.runOne(running);
    if (outcome.name === null) {
      // Its constructor threw where it runs (a worker): it leaves the pool; nothing ran.
      const at = this.#all.indexOf(running);
      if (at >= 0) this.#all.splice(at, 1);
    } else {
      if (!running.hardStopped) {
        this.#deps.recorder.recordOperation(this.classes[ci]?.name ?? '?', outcome.name, outcome.endedMs - scheduledMs, outcome.endedMs - outcome.startedMs, outcome.failed);
      }
      this.#idle[ci]?.push(running);
    }
    this.#busy--;
    if (this.#busy === 0) for (const w of this.#idleWaiters.splice(0)) w();
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
    await this.#host.finishAll(this.#all);
  }

  hardStopAll(): void {
    this.#stopping = true;
    for (const r of this.#all) r.hardStop();
    for (const w of this.#idleWaiters.splice(0)) w();
  }
}
