/**
 * What a task throws to steer its own user, as in Locust: leave the current TaskSet at once
 * (`this.interrupt()`, Locust's InterruptTaskSet), or stop this user for good (`this.stop()` or
 * `throw new StopUser()`). They end the task where they are thrown; the runner recognises them by
 * brand (so a copy of brood loaded twice still agrees) and never counts them as exceptions.
 */
const SIGNAL = Symbol.for('brood.userSignal');

export class InterruptTaskSet extends Error {
  readonly [SIGNAL] = 'interrupt';
  /** true: the parent picks its next task at once; false: it waits its think time first. */
  readonly reschedule: boolean;

  constructor(reschedule = true) {
    super('interrupt(): leaving the TaskSet (not an error)');
    this.name = 'InterruptTaskSet';
    this.reschedule = reschedule;
  }
}

export class StopUser extends Error {
  readonly [SIGNAL] = 'stop';

  constructor() {
    super('StopUser: this user stops (not an error)');
    this.name = 'StopUser';
  }
}

/** 'interrupt' or 'stop' for the two signals, null for anything else (a real error). */
export function userSignalOf(e: unknown): 'interrupt' | 'stop' | null {
  if (typeof e !== 'object' || e === null) return null;
  const s = (e as Record<symbol, unknown>)[SIGNAL];
  return s === 'interrupt' || s === 'stop' ? s : null;
}
