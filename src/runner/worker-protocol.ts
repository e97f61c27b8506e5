import type { JitWarmUpPlan } from './jit-warm-up.js';
import type { StatsSnapshot } from '../stats/types.js';
import type { ConnectionPoolMode } from '../http/dispatchers.js';

/**
 * Messages between the main thread and the user-hosting worker threads of `--processes N`
 * (rule 7: a discriminated union, no untyped payloads). The main thread decides who spawns and
 * stops (ramp, class mix, global user ids); workers run the users and send their stats.
 */
export type MainToWorker =
  | { type: 'spawn'; classIndex: number; userId: number }
  | { type: 'stop'; userId: number }
  | { type: 'hard-stop'; userId: number }
  | { type: 'flush' }
  | { type: 'exit' };

export type WorkerToMain =
  | { type: 'ready'; classNames: string[] }
  | { type: 'failed'; message: string }
  | { type: 'user-done'; userId: number }
  | { type: 'user-failed'; userId: number }
  /** Everything recorded since the last message of this kind (the worker reset its registry). */
  | { type: 'stats'; snapshot: StatsSnapshot; final: boolean };

export interface WorkerSetup {
  index: number;
  /** The run's validated configuration; the worker resolves the same test from it. */
  source: unknown;
  seed: number;
  host: string;
  requestTimeoutSec: number;
  maxBodyBytes: number;
  connectionPool: ConnectionPoolMode;
  tags: string[] | null;
  excludeTags: string[] | null;
  statsIntervalMs: number;
  options: Record<string, unknown>;
  /** Warm the request path up before reporting ready (a steep start; see jit-warm-up.ts). */
  warmUp: JitWarmUpPlan | null;
}
