/**
 * Step load (seed: "find the system breaking point"): +stepUsers every stepTimeSec — 100, 200,
 * 300… users, one step a minute by default — until the time limit (10 min), the maxUsers cap, or
 * a stop condition says the target broke.
 *
 * Stop conditions ("until failure") are judged on the last history interval (the last second),
 * not on cumulative totals: cumulative figures carry every earlier, healthy step and would notice a
 * collapse minutes late, if at all. A single slow second is not a breaking point, so the bound
 * must be exceeded in `sustainSec` consecutive intervals (default 3); intervals without requests
 * neither count nor reset. The reason names where the bound was first exceeded — the start of the
 * sustained streak, not the step the run had reached when the streak was confirmed — using the
 * user count recorded with that interval (the tick's step when the interval has none), e.g.
 * "breaking point: step 4 at 400 users (P95 812 ms > 500 ms)".
 */
import { ConfigError, LoadShape, type HistoryPoint, type ShapeStage, type ShapeTick } from '../src/index.js';

export interface StepLoadOptions {
  /** Users added at each step (default 100). */
  stepUsers?: number;
  /** Seconds per step (default 60). */
  stepTimeSec?: number;
  /** The run ends after this many seconds (default 600). */
  timeLimitSec?: number;
  /**
   * Users started per second while moving to a step. Default: a step's users within 10 s, or
   * within half a step when steps are shorter than 20 s (at least 1/s), so every step is reached.
   */
  spawnRate?: number;
  /** Never ask for more users than this (default: no cap). */
  maxUsers?: number;
  /** Stop when the failure ratio (0..1) of an interval is above this. */
  maxFailureRatio?: number;
  /** Stop when the P95 (ms) of an interval is above this. */
  maxP95Ms?: number;
  /** Consecutive intervals over a bound before the run stops (default 3). */
  sustainSec?: number;
}

const P95_INDEX = 5; // PERCENTILES[5] === 0.95

export const STEP_DEFAULTS = { stepUsers: 100, stepTimeSec: 60, timeLimitSec: 600, sustainSec: 3 } as const;

function positive(problems: string[], name: string, value: number | undefined, integer: boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    problems.push(`${name} must be a ${integer ? 'whole number' : 'number'} > 0 (got ${String(value)})`);
  }
}

export class StepLoadShape extends LoadShape {
  readonly stepUsers: number;
  readonly stepTimeSec: number;
  readonly timeLimitSec: number;
  readonly spawnRate: number;
  readonly maxUsers: number | null;
  readonly maxFailureRatio: number | null;
  readonly maxP95Ms: number | null;
  readonly sustainSec: number;
  #lastSeenTimestamp: number | null = null;
  #breaches = 0;
  /** Where the current streak of exceeded intervals began. */
  #streak = { step: 1, users: 0 };

  constructor(options: StepLoadOptions = {}) {
    super();
    const problems: string[] = [];
    positive(problems, 'stepUsers', options.stepUsers, true);
    positive(problems, 'stepTimeSec', options.stepTimeSec, false);
    positive(problems, 'timeLimitSec', options.timeLimitSec, false);
    positive(problems, 'spawnRate', options.spawnRate, false);
    positive(problems, 'maxUsers', options.maxUsers, true);
    positive(problems, 'maxP95Ms', options.maxP95Ms, false);
    positive(problems, 'sustainSec', options.sustainSec, true);
    const ratio = options.maxFailureRatio;
    if (ratio !== undefined && !(typeof ratio === 'number' && ratio >= 0 && ratio < 1)) {
      problems.push(`maxFailureRatio must be a fraction from 0 to below 1, e.g. 0.05 for 5 % (got ${String(ratio)})`);
    }
    if (problems.length > 0) throw new ConfigError('BAD_SHAPE', `StepLoadShape: ${problems.join('; ')}`);
    this.stepUsers = options.stepUsers ?? STEP_DEFAULTS.stepUsers;
    this.stepTimeSec = options.stepTimeSec ?? STEP_DEFAULTS.stepTimeSec;
    this.timeLimitSec = options.timeLimitSec ?? STEP_DEFAULTS.timeLimitSec;
    this.spawnRate = options.spawnRate ?? Math.max(1, this.stepUsers / Math.min(10, this.stepTimeSec / 2));
    this.maxUsers = options.maxUsers ?? null;
    this.maxFailureRatio = ratio ?? null;
    this.maxP95Ms = options.maxP95Ms ?? null;
    this.sustainSec = options.sustainSec ?? STEP_DEFAULTS.sustainSec;
  }

  /** 1-based step number at a run time. */
  stepAt(runTimeSec: number): number {
    return Math.floor(runTimeSec / this.stepTimeSec) + 1;
  }

  usersAtStep(step: number): number {
    const users = step * this.stepUsers;
    return this.maxUsers === null ? users : Math.min(users, this.maxUsers);
  }

  tick(runTimeSeconds: number): ShapeTick | null {
    const step = this.stepAt(runTimeSeconds);
    const users = this.usersAtStep(step);
    if (runTimeSeconds >= this.timeLimitSec) {
      const last = Math.ceil(this.timeLimitSec / this.stepTimeSec);
      this.stopReason = `time limit of ${this.timeLimitSec} s reached after step ${last} (${this.usersAtStep(last)} users) without a breaking point`;
      return null;
    }
    const broken = this.#breakingPoint(step);
    if (broken !== null) {
      const { step: at, users: atUsers } = this.#streak;
      this.breakingPoint = `step ${at} at ${atUsers} users (${broken})`;
      this.stopReason = `breaking point: ${this.breakingPoint}`;
      return null;
    }
    return { users, spawnRate: this.spawnRate };
  }

  /** Describes the exceeded bound once it held for sustainSec new intervals, else null. */
  #breakingPoint(step: number): string | null {
    if (this.maxFailureRatio === null && this.maxP95Ms === null) return null;
    const point = this.run?.lastInterval() ?? null;
    if (point === null || point.timestamp === this.#lastSeenTimestamp) return null;
    this.#lastSeenTimestamp = point.timestamp;
    if (!(point.rps > 0)) return null;
    const why = this.#exceeded(point);
    this.#breaches = why === null ? 0 : this.#breaches + 1;
    if (this.#breaches === 1) this.#streak = this.#whereAt(point, step);
    return this.#breaches >= this.sustainSec ? why : null;
  }

  /** Step and users of an interval: from its recorded user count, else from the tick. */
  #whereAt(point: HistoryPoint, tickStep: number): { step: number; users: number } {
    if (point.userCount > 0) return { step: Math.max(1, Math.ceil(point.userCount / this.stepUsers)), users: point.userCount };
    return { step: tickStep, users: this.usersAtStep(tickStep) };
  }

  #exceeded(point: HistoryPoint): string | null {
    const ratio = point.failPerSec / point.rps;
    if (this.maxFailureRatio !== null && ratio > this.maxFailureRatio) {
      return `failures ${pct(ratio)} > ${pct(this.maxFailureRatio)}`;
    }
    const p95 = point.intervalPercentilesMs[P95_INDEX] ?? null;
    if (this.maxP95Ms !== null && p95 !== null && p95 > this.maxP95Ms) {
      return `P95 ${Math.round(p95)} ms > ${this.maxP95Ms} ms`;
    }
    return null;
  }

  override stages(): ShapeStage[] {
    const out: ShapeStage[] = [];
    for (let step = 1; (step - 1) * this.stepTimeSec < this.timeLimitSec; step++) {
      out.push({ startSec: (step - 1) * this.stepTimeSec, label: `step ${step}`, users: this.usersAtStep(step) });
    }
    return out;
  }
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}
