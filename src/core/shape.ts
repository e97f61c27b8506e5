import { BROOD_KIND } from './brand.js';
import { ConfigError } from './errors.js';
import type { EntrySummary, HistoryPoint } from '../stats/types.js';

/** What a shape asks for at one tick. */
export interface ShapeTick {
  users: number;
  spawnRate: number;
  /** Restrict spawning to these user classes (by class name or class). */
  userClasses?: ReadonlyArray<string | { name: string }>;
}

/** Locust's form of a tick: (users, spawn_rate) or (users, spawn_rate, user_classes). */
export type ShapeTickTuple = readonly [users: number, spawnRate: number] | readonly [users: number, spawnRate: number, userClasses: ReadonlyArray<string | { name: string }>];

/** Read-only view of the run a shape may consult (stop conditions like "until failure"). */
export interface ShapeRunView {
  userCount(): number;
  /** Seconds since the run started (its clock). */
  elapsedSec(): number;
  totals(): EntrySummary;
  lastInterval(): HistoryPoint | null;
}

/** A stage marker for reports (step/spike boundaries). */
export interface ShapeStage {
  startSec: number;
  label: string;
  users: number;
}

/**
 * A custom load shape: the runner calls `tick(runTimeSeconds)` about once a second and moves the
 * user count to what it returns; `null` ends the run. Subclasses in a test file are used automatically.
 */
export abstract class LoadShape {
  static readonly [BROOD_KIND] = 'shape';
  static abstract = true;

  /** Set by the runner before the first tick. */
  run: ShapeRunView | null = null;
  /** Why the shape ended the run, when it ends it on a condition (shown in reports). */
  stopReason: string | null = null;
  /**
   * Where the system broke, when the shape ended the run for that reason ("step 4 at 400 users
   * (P95 812 ms > 500 ms)"): the reports show it in their breaking-point box. Set it with stopReason.
   */
  breakingPoint: string | null = null;

  /** Where resetTime() put the shape's zero, in seconds of the run. */
  #timeZero = 0;

  /**
   * `runTimeSeconds` is getRunTime() at the tick (seconds since the run started, or since the last
   * resetTime()). Returns `{ users, spawnRate }`, Locust's tuple `[users, spawnRate]` /
   * `[users, spawnRate, userClasses]`, or null to stop.
   */
  abstract tick(runTimeSeconds: number): ShapeTick | ShapeTickTuple | null;

  /** Seconds since the run started, or since the last resetTime() (Locust's get_run_time()). */
  getRunTime(): number {
    return (this.run?.elapsedSec() ?? 0) - this.#timeZero;
  }

  /** Counts getRunTime() from now on (Locust's reset_time()), e.g. to repeat a pattern. */
  resetTime(): void {
    this.#timeZero = this.run?.elapsedSec() ?? 0;
  }

  /** Users running now (Locust's get_current_user_count()). */
  getCurrentUserCount(): number {
    return this.run?.userCount() ?? 0;
  }

  // Locust's spellings of the three above: a LoadTestShape ported word for word (`this.get_run_time()`)
  // runs as written, as a user's wait_time and on_start do (locust-spellings.ts).
  /** Locust's name of getRunTime(). */
  get_run_time(): number {
    return this.getRunTime();
  }

  /** Locust's name of resetTime(). */
  reset_time(): void {
    this.resetTime();
  }

  /** Locust's name of getCurrentUserCount(). */
  get_current_user_count(): number {
    return this.getCurrentUserCount();
  }

  /** The time tick() is given when the run's clock reads `runElapsedSec`. */
  runTimeAt(runElapsedSec: number): number {
    return runElapsedSec - this.#timeZero;
  }

  /** Stage markers for charts; optional. */
  stages(): ShapeStage[] {
    return [];
  }
}

/** Checks what tick() returned; garbage is a configuration error naming the shape and the value. */
export function validateShapeTick(shapeName: string, value: unknown): ShapeTick | null {
  if (value === null || value === undefined) return null;
  const fail = (why: string): never => {
    throw new ConfigError('BAD_SHAPE', `${shapeName}.tick() returned ${safeJson(value)}: ${why}`);
  };
  const expected = 'expected { users, spawnRate[, userClasses] }, [users, spawnRate] or [users, spawnRate, userClasses] (Locust\'s tuple), or null to stop';
  if (typeof value !== 'object') return fail(expected);
  // Locust's tick() returns a tuple: (users, spawn_rate) or (users, spawn_rate, user_classes).
  if (Array.isArray(value) && (value.length < 2 || value.length > 3)) return fail(expected);
  const v = (Array.isArray(value) ? { users: value[0], spawnRate: value[1], ...(value.length === 3 ? { userClasses: value[2] } : {}) } : value) as Record<string, unknown>;
  const users = v.users;
  const spawnRate = v.spawnRate ?? v.spawn_rate;
  if (typeof users !== 'number' || !Number.isInteger(users) || users < 0) return fail('users must be an integer >= 0');
  if (typeof spawnRate !== 'number' || !Number.isFinite(spawnRate) || spawnRate <= 0) return fail('spawnRate must be a number > 0');
  const classes = v.userClasses;
  if (classes !== undefined && !Array.isArray(classes)) return fail('userClasses must be an array');
  return classes === undefined ? { users, spawnRate } : { users, spawnRate, userClasses: classes as ShapeTick['userClasses'] & object };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 120) ?? String(value);
  } catch {
    return String(value);
  }
}
