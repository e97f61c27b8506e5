import { ConfigError } from './errors.js';
import type { Rng } from './rng.js';

/** What a wait-time function may look at: the user's random stream and how long its last task ran. */
export interface WaitTimeSubject {
  readonly rng: Rng;
  /** Seconds the last task took (for constantPacing / constantThroughput). */
  readonly lastTaskDurationSec: number;
}

/** Think time after each task, in seconds. Assign one to `waitTime` on a User or TaskSet. */
export type WaitTimeFn = (subject: WaitTimeSubject) => number;

function checkSeconds(fn: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError('BAD_WAIT_TIME', `${fn}(): ${name} must be a number of seconds >= 0, got ${String(value)}`);
  }
}

/** A uniformly random think time between min and max seconds (Locust's `between`). */
export function between(min: number, max: number): WaitTimeFn {
  checkSeconds('between', 'min', min);
  checkSeconds('between', 'max', max);
  if (max < min) throw new ConfigError('BAD_WAIT_TIME', `between(${min}, ${max}): max must be >= min`);
  const span = max - min;
  return (subject) => min + span * subject.rng.next();
}

/** Always the same think time. `constant(0)` runs tasks back to back. */
export function constant(seconds: number): WaitTimeFn {
  checkSeconds('constant', 'seconds', seconds);
  return () => seconds;
}

/** Starts a task every `seconds` at most: waits whatever is left after the task ran. */
export function constantPacing(seconds: number): WaitTimeFn {
  checkSeconds('constantPacing', 'seconds', seconds);
  return (subject) => Math.max(0, seconds - subject.lastTaskDurationSec);
}

/** At most `tasksPerSecond` tasks per second per user (the inverse of constantPacing). */
export function constantThroughput(tasksPerSecond: number): WaitTimeFn {
  if (typeof tasksPerSecond !== 'number' || !(tasksPerSecond > 0) || !Number.isFinite(tasksPerSecond)) {
    throw new ConfigError('BAD_WAIT_TIME', `constantThroughput(): tasksPerSecond must be > 0, got ${String(tasksPerSecond)}`);
  }
  return constantPacing(1 / tasksPerSecond);
}
