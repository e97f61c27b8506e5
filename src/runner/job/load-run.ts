import type { Clock, TimerHandle } from '../../core/clock.js';
import type { Hooks, RunEnvironment } from '../../core/hooks.js';
import type { LoadShape } from '../../core/shape.js';
import { consultShape, tickClassNames, type ShapeDecision } from './shape-driver.js';

/** What a run moves and stops: the closed-model UserRunner or the open-model ArrivalRunner. */
export interface Population {
  userCount(): number;
  setTarget(users: number, spawnRate: number, classNames?: readonly string[] | null): void;
  stopAll(hard: boolean): Promise<void>;
  hardStopAll(): void;
}

export interface LoadRunSettings {
  clock: Clock;
  hooks: Hooks;
  /** What testStart's listeners get (the run's environment). */
  environment: RunEnvironment;
  users: Population;
  host: string;
  /** Seconds; null = until the shape ends it or a signal. */
  runTimeSec: number | null;
  /** Used when there is no shape. */
  initialTarget: { users: number; spawnRate: number } | null;
  shape: LoadShape | null;
  /** The shape's first answer, when it was asked before the run (firstShapeDecision): used for the first tick. */
  firstShapeDecision?: ShapeDecision | null;
  historyIntervalMs: number;
  liveIntervalMs: number;
  /** End of each history interval: roll stats, append history, rewrite CSVs. */
  onInterval(timestampSec: number, userCount: number): void;
  /** Live console line. */
  onLive(elapsedSec: number): void;
  /** Something worth a log line (ramp done, shape decisions). */
  log(level: 'info' | 'warning' | 'error', message: string): void;
  /** A shape failed: the run ends and the error is reported (exit 2). */
  onShapeError(error: unknown): void;
  /** A shape's tick changed the target to `users`: a new ramp begins (the run is "spawning" again, as in Locust). */
  onShapeRamp?(users: number): void;
  /** The run is stopping (before testStopping fires), then stopped: every user ended (before testStop fires). */
  onStopping?(): void;
  onStopped?(): void;
}

export interface LoadRunResult {
  reason: string;
  /** True when the stop came from a signal (Ctrl-C / SIGTERM). */
  interrupted: boolean;
  startedAtMs: number;
  endedAtMs: number;
}

/**
 * One run from first spawn to last user stopped. The only place (with the user runner) that owns
 * timers: the history interval, the live line, the shape tick and the run-time limit. The shape
 * is ticked every second whatever happens (rule 10): a slow ramp never holds it up.
 */
export class LoadRun {
  readonly #s: LoadRunSettings;
  #timers: TimerHandle[] = [];
  #startMs = 0;
  #nextIntervalAt = 0;
  #stopping: Promise<LoadRunResult> | null = null;
  #resolveDone!: (r: LoadRunResult) => void;
  readonly done: Promise<LoadRunResult>;
  #stopReason = '';
  #interrupted = false;
  #lastTimestamp = -1;
  /**
   * The shape's last tick put into effect (users, spawn rate, classes). A tick that says the same
   * again changes nothing, as in Locust: starting the ramp over every second spawned a user at once
   * each time, so a spawn rate under 1/s ran at 1/s, and spawningComplete fired every second.
   */
  #lastTick: string | null = null;

  constructor(settings: LoadRunSettings) {
    this.#s = settings;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
  }

  get startedAtMs(): number {
    return this.#startMs;
  }

  elapsedSec(): number {
    return (this.#s.clock.now() - this.#startMs) / 1000;
  }

  start(): void {
    const s = this.#s;
    this.#startMs = s.clock.now();
    s.hooks.testStart.emit({ host: s.host, environment: s.environment });
    this.#nextIntervalAt = this.#startMs + s.historyIntervalMs;
    this.#every(s.historyIntervalMs, () => this.#interval(), true);
    this.#every(s.liveIntervalMs, () => s.onLive(this.elapsedSec()));
    if (s.runTimeSec !== null) {
      this.#timers.push(s.clock.setTimer(() => void this.stop('run time limit reached'), s.runTimeSec * 1000));
    }
    if (s.shape) {
      this.#tickShape(s.firstShapeDecision ?? null);
      this.#every(1000, () => this.#tickShape(null));
    } else if (s.initialTarget) {
      s.log('info', `Ramping to ${s.initialTarget.users} users at a rate of ${s.initialTarget.spawnRate.toFixed(2)} per second`);
      s.users.setTarget(s.initialTarget.users, s.initialTarget.spawnRate);
    }
  }

  /** A new target for a run without a shape (the web UI's edit): the ramp moves on from where the users are. */
  retarget(users: number, spawnRate: number): void {
    if (this.#stopping) return;
    this.#s.log('info', `Ramping to ${users} users at a rate of ${spawnRate.toFixed(2)} per second`);
    this.#s.users.setTarget(users, spawnRate);
  }

  /** Ends the run: graceful (users finish their task within the stop timeout) or hard. */
  stop(reason: string, options: { hard?: boolean; interrupted?: boolean } = {}): Promise<LoadRunResult> {
    if (options.hard) this.#s.users.hardStopAll();
    if (this.#stopping) return this.#stopping;
    this.#stopReason = reason;
    this.#interrupted = options.interrupted ?? false;
    this.#s.log('info', `Stopping: ${reason}`);
    this.#s.onStopping?.();
    this.#s.hooks.testStopping.emit({ reason });
    this.#stopping = this.#finish(options.hard ?? false);
    return this.#stopping;
  }

  async #finish(hard: boolean): Promise<LoadRunResult> {
    const s = this.#s;
    for (const t of this.#timers) s.clock.clearTimer(t);
    this.#timers = [];
    // History keeps rolling while users wind down, so no second of the run goes unwritten.
    this.#every(s.historyIntervalMs, () => this.#interval(), true);
    await s.users.stopAll(hard);
    for (const t of this.#timers) s.clock.clearTimer(t);
    this.#timers = [];
    this.#interval();
    s.onStopped?.();
    s.hooks.testStop.emit({ reason: this.#stopReason });
    const result: LoadRunResult = {
      reason: this.#stopReason,
      interrupted: this.#interrupted,
      startedAtMs: this.#startMs,
      endedAtMs: s.clock.now(),
    };
    this.#resolveDone(result);
    return result;
  }

  /**
   * Rolls one history interval. Timestamps are whole seconds, as Locust writes them; the final
   * roll after shutdown often falls in the same second as the last regular one, so every row gets
   * a timestamp after the previous row's (a history file never repeats a second).
   */
  #interval(): void {
    const timestamp = Math.max(Math.floor(this.#s.clock.wallNow() / 1000), this.#lastTimestamp + 1);
    this.#lastTimestamp = timestamp;
    this.#s.onInterval(timestamp, this.#s.users.userCount());
  }

  #tickShape(asked: ShapeDecision | null): void {
    const s = this.#s;
    if (!s.shape || this.#stopping) return;
    const decision = asked ?? consultShape(s.shape, this.elapsedSec());
    if (decision.kind === 'stop') void this.stop(decision.reason);
    else if (decision.kind === 'error') {
      s.onShapeError(decision.error);
      void this.stop('load shape error');
    } else {
      const { users, spawnRate } = decision.tick;
      const classNames = tickClassNames(decision.tick);
      const key = `${users} ${spawnRate} ${classNames === null ? '*' : classNames.join(',')}`;
      if (key === this.#lastTick) return;
      this.#lastTick = key;
      s.log('info', `Shape: ramping to ${users} users at a rate of ${spawnRate.toFixed(2)} per second${classNames === null ? '' : ` (${classNames.join(', ')})`}`);
      s.onShapeRamp?.(users);
      s.users.setTarget(users, spawnRate, classNames);
    }
  }

  /** A repeating timer that re-arms itself against a fixed schedule, so intervals do not drift. */
  #every(periodMs: number, fn: () => void, aligned = false): void {
    const clock = this.#s.clock;
    let next = aligned ? this.#nextIntervalAt : clock.now() + periodMs;
    const slot = this.#timers.length;
    const arm = (): void => {
      const handle = clock.setTimer(() => {
        // Timers round to whole milliseconds and may fire just before `next`: wait the rest, so a
        // shape ticked "at 12 s" is never told 11.999 s (and ends the run a whole tick late).
        if (clock.now() < next) {
          arm();
          return;
        }
        next += periodMs;
        if (aligned) this.#nextIntervalAt = next;
        fn();
        if (this.#timers[slot] === handle) arm();
      }, Math.max(0, next - clock.now()));
      this.#timers[slot] = handle;
    };
    arm();
  }
}
