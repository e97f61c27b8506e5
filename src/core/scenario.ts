import type { ArrivalDeclaration } from './open-pool-limits.js';
import type { LoadShape } from './shape.js';
import type { Target } from './targets.js';

/** A constructor of a concrete user class (what test files export). */
export type UserClassRef = abstract new (...args: never[]) => object;

/**
 * A ready-made workload: user classes with their mix, default load and the targets the run is
 * judged by. `run-load-tests --scenario NAME` runs one; `--list-scenarios` lists them.
 */
export interface Scenario {
  name: string;
  /** One line for --list-scenarios. */
  description: string;
  userClasses: UserClassRef[];
  /** Default users, spawn rate and run time (seconds) when the command line does not say. */
  users: number;
  spawnRate: number;
  runTimeSec: number;
  targets: Target[];
  /** Optional default shape for this scenario. */
  shape?: () => LoadShape;
  /**
   * Targets whose thresholds depend on the run's load (a rate that is users × a rate per user):
   * added to `targets` with the users, spawn rate and run time the run actually has.
   */
  targetsFor?: (load: ScenarioLoad) => Target[];
  /**
   * An open-model scenario: arrivals on this pattern (each runs one task of a class chosen by
   * weight), as a test file's `export const arrival`; `users`/`spawnRate` then do not apply.
   * `--target-rate` rescales it, as it does a TOML scenario's.
   */
  arrival?: ArrivalDeclaration;
}

/** The load a scenario's run has once the command line is applied (what `targetsFor` is given). */
export interface ScenarioLoad {
  users: number;
  spawnRate: number;
  runTimeSec: number;
}

/** Identity helper that type-checks a scenario definition. */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}
