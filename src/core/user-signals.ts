/**
 * What a task throws to steer its own user, as in Locust: leave the current TaskSet at once
 * (`this.interrupt()`, Locust's InterruptTaskSet), stop this user for good (`this.stop()` or
 * `throw new StopUser()`), or end the task early (RescheduleTask, RescheduleTaskImmediately). They end the task where they are thrown; the runner recognises them by
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

/**
 * Locust's RescheduleTask: ends the task where it is thrown, as a `return` would; the user then
 * waits its think time and picks its next task. Not an error.
 */
export class RescheduleTask extends Error {
  readonly [SIGNAL]: UserSignal = 'reschedule';

  constructor() {
    super('RescheduleTask: the task ends here (not an error)');
    this.name = 'RescheduleTask';
  }
}

/** Locust's RescheduleTaskImmediately: ends the task, and the user picks its next one at once, without its think time. */
export class RescheduleTaskImmediately extends Error {
  readonly [SIGNAL]: UserSignal = 'reschedule-now';

  constructor() {
    super('RescheduleTaskImmediately: the task ends here, the next starts at once (not an error)');
    this.name = 'RescheduleTaskImmediately';
  }
}

export type UserSignal = 'interrupt' | 'stop' | 'reschedule' | 'reschedule-now';

/** Which signal `e` is, or null for anything else (a real error). */
export function userSignalOf(e: unknown): UserSignal | null {
  if (typeof e !== 'object' || e === null) return null;
  const s = (e as Record<symbol, unknown>)[SIGNAL];
  return s === 'interrupt' || s === 'stop' || s === 'reschedule' || s === 'reschedule-now' ? s : null;
}
