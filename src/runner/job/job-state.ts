import type { JobPhase } from './job-live.js';
import { locustState, STATE_STOPPED, type RunnerState } from '../../core/runner-view.js';

/** Where a ramp is heading: users and users per second. */
export interface RampTarget {
  users: number;
  spawnRate: number;
}

/**
 * Where a run is, as the web UI and Locust's web API say it (`state`), and where its ramp is
 * heading. As Locust's runner does, every ramp is "spawning" until it reaches its target: the first
 * one, each change a load shape's tick makes, and each edit from the web UI; "running" in between.
 * The open model has no ramp: it runs from its start. Once stopping, nothing moves it back.
 */
export class JobState {
  readonly #open: boolean;
  #phase: JobPhase = 'starting';
  /** Where the ramp is heading when the command line or the UI set it (null: a shape or the open model decides). */
  #target: RampTarget | null;
  #usersEnded = false;
  /** A shape's last tick's users (Locust's target_user_count with a shape). */
  #shapeUsers = 0;

  constructor(open: boolean, target: RampTarget | null) {
    this.#open = open;
    this.#target = target;
  }

  get phase(): JobPhase {
    return this.#phase;
  }

  get target(): RampTarget | null {
    return this.#target;
  }

  /** The run's clock started: its first ramp begins (the open model runs at once). */
  started(): void {
    if (this.#phase === 'starting') this.#phase = this.#open ? 'running' : 'spawning';
  }

  /**
   * A new ramp began: a shape's changed tick (`target` null: the shape, not the UI, sets it, to
   * `shapeUsers`) or an edit from the web UI (`target`: what it asked for).
   */
  ramping(target: RampTarget | null, shapeUsers = 0): void {
    if (target !== null) this.#target = target;
    else this.#shapeUsers = shapeUsers;
    if (!this.#open && (this.#phase === 'running' || this.#phase === 'spawning')) this.#phase = 'spawning';
  }

  /** A ramp reached its target (Locust's spawning_complete). */
  rampComplete(): void {
    if (this.#phase === 'spawning') this.#phase = 'running';
  }

  get stoppingOrStopped(): boolean {
    return this.#phase === 'stopping' || this.#phase === 'stopped';
  }

  stopping(): void {
    if (this.#phase !== 'stopped') this.#phase = 'stopping';
  }

  stopped(): void {
    this.#phase = 'stopped';
  }

  /** Where the ramp is heading (Locust's target_user_count): -u or the web UI's edit, else the shape's last tick. */
  get targetUsers(): number {
    return this.#target?.users ?? this.#shapeUsers;
  }

  /** Every user ended (just before testStop): the run is stopped for Locust's runner, though its files are still to be written. */
  usersEnded(): void {
    this.#usersEnded = true;
  }

  /**
   * `environment.runner.state`: Locust's word for the phase, 'stopped' from the users' end on (as
   * Locust's runner before test_stop), where the phase (the web UI's) says so once the files are written.
   */
  get runnerState(): RunnerState {
    return this.#usersEnded ? STATE_STOPPED : locustState(this.#phase);
  }
}
