/**
 * runner/closed/: virtual users with think time, Locust's model. The user runner (here) ramps a
 * population at the spawn rate with the class mix right at every step (class-mix.ts,
 * class-specs.ts); each user runs its tasks in the user loop (user-loop.ts), sleeping in one
 * wake queue per run (wake-queue.ts); the user factory gives every user its environment and HTTP
 * session (user-factory.ts, custom-requests.ts). The open model and the workers run their users
 * through the same loop; runSingleUser (single-user.ts) runs one for debugging.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { TaskTable } from '../../core/tasks.js';
import { sessionOf, type User, type UserEnvironment } from '../../core/user.js';
import { capacityOf, nextClassToSpawn, nextClassToStop, type ClassWeight } from './class-mix.js';
import { RunningUser, type UserLoopDeps } from './user-loop.js';

/** A user class ready to spawn: its constructor, mix settings and resolved tasks. */
export interface UserClassSpec extends ClassWeight {
  name: string;
  create: (environment: UserEnvironment) => User;
  table: TaskTable;
}

/** A spawned user wherever it runs: here (a RunningUser) or in a worker thread. */
export interface UserHandle {
  readonly classIndex: number;
  readonly hardStopped: boolean;
  readonly done: Promise<void>;
  requestStop(): void;
  hardStop(): void;
}

/** Where users run. By default in this thread; with --processes, in worker threads. */
export interface UserHost {
  /** Creates and starts user `userId` of class `classIndex`; null when it could not be created. */
  spawn(spec: UserClassSpec, classIndex: number, userId: number): UserHandle | null;
  /** True when the host itself tells the runner that a user ended (no promise reaction per user). */
  readonly reportsDone?: boolean;
}

export interface UserRunnerDeps {
  clock: Clock;
  loop: UserLoopDeps;
  stopTimeoutMs: number;
  environmentFor(userId: number, spec: UserClassSpec): UserEnvironment;
  /** The ramp reached its target (Locust's "All users spawned"). */
  onRampComplete(counts: Record<string, number>, total: number): void;
  /** Where users run (default: here). The runner keeps the ramp, the class mix and the user ids. */
  host?: UserHost;
  /**
   * -i/--iterations: users that end by themselves (their N tasks done) are not replaced, and this
   * is called once the last one ended after the ramp. Absent: a user that ends leaves the population.
   */
  onAllEnded?: () => void;
}

/**
 * Runs users in this thread: construct, start the task loop, close the connection when done.
 * `onUserDone` (the user runner's) is called as each user ends; the functions handed to every
 * RunningUser are shared, not made per user.
 */
export function localUserHost(deps: Pick<UserRunnerDeps, 'loop' | 'environmentFor'> & { onUserDone?: (handle: UserHandle) => void }): UserHost {
  const hardClose = (running: RunningUser): void => closeClient(running.user, true);
  const onUserDone = deps.onUserDone;
  const finished = (running: RunningUser): void => {
    closeClient(running.user, running.hardStopped);
    onUserDone?.(running);
  };
  return {
    reportsDone: onUserDone !== undefined,
    spawn(spec, classIndex, userId) {
      let user: User;
      try {
        user = spec.create(deps.environmentFor(userId, spec));
      } catch (e) {
        deps.loop.recordException(e);
        return null;
      }
      const running = new RunningUser(user, classIndex, spec.table, deps.loop, hardClose, finished);
      running.start();
      return running;
    },
  };
}

interface Ramp {
  startMs: number;
  target: number;
  rate: number;
  eligible: boolean[] | undefined;
  total: number;
  moved: number;
}

function closeClient(user: User, hard: boolean): void {
  sessionOf(user)?.close(hard);
}

/**
 * Spawns and stops users at the spawn rate, one at a time and evenly spread over time (not in
 * bursts of a whole second's worth), keeping the class mix right at every step. A new target
 * replaces the ramp in flight from wherever the population is.
 */
export class UserRunner {
  readonly classes: readonly UserClassSpec[];
  readonly #deps: UserRunnerDeps;
  readonly #active: UserHandle[][];
  readonly #stopping = new Set<UserHandle>();
  readonly #host: UserHost;
  #nextUserId = 0;
  #ramp: Ramp | null = null;
  #timer: TimerHandle | null = null;
  #closed = false;
  /** Classes whose constructor threw: not tried again this run, so they cannot starve the others. */
  readonly #unconstructible = new Set<number>();
  /** Resolves a graceful stopAll() wait early when a hard stop arrives (second Ctrl-C). */
  #cutWait: (() => void) | null = null;
  /** Users ever spawned, for reports. */
  spawnedTotal = 0;
  /** With -i: users per class that ended by themselves; the ramp counts them as spawned, so they are not replaced. */
  readonly #ended: number[];

  constructor(classes: readonly UserClassSpec[], deps: UserRunnerDeps) {
    this.classes = classes;
    this.#deps = deps;
    this.#active = classes.map(() => []);
    this.#ended = classes.map(() => 0);
    this.#host = deps.host ?? localUserHost({ ...deps, onUserDone: (handle) => this.#forget(handle) });
  }

  userCount(): number {
    let n = 0;
    for (const list of this.#active) n += list.length;
    return n;
  }

  counts(): number[] {
    return this.#active.map((list) => list.length);
  }

  countsByName(): Record<string, number> {
    const out: Record<string, number> = {};
    this.classes.forEach((c, i) => (out[c.name] = this.#active[i]?.length ?? 0));
    return out;
  }

  /** Moves toward `users` at `spawnRate` users/s; `classNames` restricts which classes may run. */
  setTarget(users: number, spawnRate: number, classNames?: readonly string[] | null): void {
    if (this.#closed) return;
    const eligible = classNames ? this.classes.map((c) => classNames.includes(c.name)) : undefined;
    const target = Math.min(users, capacityOf(this.classes, eligible));
    const counts = this.counts();
    const ineligible = eligible ? counts.reduce((n, c, i) => n + (eligible[i] ? 0 : c), 0) : 0;
    const current = this.userCount();
    const total = ineligible + Math.abs(current - ineligible - target);
    this.#ramp = { startMs: this.#deps.clock.now(), target, rate: spawnRate, eligible, total, moved: 0 };
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    if (this.#timer) this.#deps.clock.clearTimer(this.#timer);
    this.#timer = this.#deps.clock.setTimer(() => this.#step(), delayMs);
  }

  #step(): void {
    this.#timer = null;
    const ramp = this.#ramp;
    if (!ramp || this.#closed) return;
    const elapsed = this.#deps.clock.now() - ramp.startMs;
    // One action at t=0, then one every 1/rate seconds: an even ramp, never a burst.
    const due = Math.min(ramp.total, Math.floor((elapsed * ramp.rate) / 1000) + 1);
    while (ramp.moved < due) {
      if (!this.#moveOne(ramp)) {
        ramp.moved = ramp.total;
        break;
      }
      ramp.moved++;
    }
    if (ramp.moved >= ramp.total) {
      this.#ramp = null;
      this.#deps.onRampComplete(this.countsByName(), this.userCount());
      // -i: every user may have run its iterations before the ramp ended.
      if (this.#deps.onAllEnded !== undefined && this.userCount() === 0 && this.spawnedTotal > 0 && !this.#closed) this.#deps.onAllEnded();
      return;
    }
    const nextDue = ((ramp.moved) * 1000) / ramp.rate;
    this.#schedule(Math.max(1, Math.min(100, nextDue - elapsed)));
  }

  #moveOne(ramp: Ramp): boolean {
    const counts = this.counts();
    if (this.#deps.onAllEnded !== undefined) this.#ended.forEach((n, i) => (counts[i] = (counts[i] ?? 0) + n));
    const current = counts.reduce((a, b) => a + b, 0);
    const hasIneligible = ramp.eligible !== undefined && counts.some((c, i) => c > 0 && !ramp.eligible?.[i]);
    if (hasIneligible || current > ramp.target) {
      const ci = nextClassToStop(this.classes, counts, ramp.eligible);
      if (ci < 0) return false;
      this.#stopNewest(ci);
      return true;
    }
    if (current < ramp.target) {
      // A failed construction does not use up the slot: the next class is tried (finitely many).
      for (;;) {
        const ci = nextClassToSpawn(this.classes, counts, this.#spawnable(ramp.eligible));
        if (ci < 0) return false;
        if (this.#spawn(ci)) return true;
      }
    }
    return false;
  }

  #spawnable(eligible: boolean[] | undefined): boolean[] | undefined {
    if (this.#unconstructible.size === 0) return eligible;
    return this.classes.map((_, i) => (eligible === undefined || eligible[i] === true) && !this.#unconstructible.has(i));
  }

  /** False when the class's constructor threw (counted as an exception; the class is not tried again). */
  #spawn(classIndex: number): boolean {
    const spec = this.classes[classIndex] as UserClassSpec;
    const userId = this.#nextUserId++;
    const running = this.#host.spawn(spec, classIndex, userId);
    if (!running) {
      this.#unconstructible.add(classIndex);
      return false;
    }
    this.#active[classIndex]?.push(running);
    this.spawnedTotal++;
    if (!this.#host.reportsDone) {
      const forget = (): void => this.#forget(running);
      running.done.then(forget, forget);
    }
    return true;
  }

  #forget(running: UserHandle): void {
    const askedToStop = this.#stopping.delete(running);
    const list = this.#active[running.classIndex];
    if (list) {
      const i = list.indexOf(running);
      // A user whose loop ended by itself (it never stops unless asked, but onStart may stop it) leaves the population.
      if (i >= 0) list.splice(i, 1);
    }
    if (this.#deps.onAllEnded === undefined || askedToStop || this.#closed) return;
    this.#ended[running.classIndex] = (this.#ended[running.classIndex] ?? 0) + 1;
    if (this.#ramp === null && this.userCount() === 0) this.#deps.onAllEnded();
  }

  #stopNewest(classIndex: number): void {
    const running = this.#active[classIndex]?.pop();
    if (!running) return;
    this.#stopping.add(running);
    running.requestStop();
    const timer = this.#deps.clock.setTimer(() => running.hardStop(), this.#deps.stopTimeoutMs);
    running.done.then(() => this.#deps.clock.clearTimer(timer), () => this.#deps.clock.clearTimer(timer));
  }

  /**
   * Stops everyone: gracefully (current task finishes, up to the stop timeout, then hard) or at once.
   * Resolves when all users ended, or shortly after the hard stop when some task ignores it.
   */
  async stopAll(hard: boolean): Promise<void> {
    this.#ramp = null;
    if (this.#timer) this.#deps.clock.clearTimer(this.#timer);
    this.#timer = null;
    const all = [...this.#active.flat(), ...this.#stopping];
    this.#closed = true;
    for (const list of this.#active) list.length = 0;
    for (const r of all) {
      this.#stopping.add(r);
      if (hard) r.hardStop();
      else r.requestStop();
    }
    const everyone = Promise.all(all.map((r) => r.done)).then(() => true);
    if (!hard) {
      const cut = new Promise<boolean>((resolve) => (this.#cutWait = () => resolve(false)));
      const finished = await this.#within(Promise.race([everyone, cut]), this.#deps.stopTimeoutMs);
      this.#cutWait = null;
      if (finished) return;
    }
    for (const r of all) r.hardStop();
    // A task stuck on something that ignores the stop (a bare never-resolving promise) is left behind.
    await this.#within(everyone, 1000);
  }

  /** Hard-stops everyone still running without waiting (second Ctrl-C). */
  hardStopAll(): void {
    for (const r of [...this.#active.flat(), ...this.#stopping]) r.hardStop();
    this.#cutWait?.();
  }

  #within(p: Promise<boolean>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = this.#deps.clock.setTimer(() => resolve(false), ms);
      void p.then((v) => {
        this.#deps.clock.clearTimer(t);
        resolve(v);
      });
    });
  }
}
