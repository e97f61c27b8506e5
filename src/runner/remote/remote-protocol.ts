import { createHash } from 'node:crypto';
import type { MainToWorker, WorkerSetup, WorkerToMain } from '../workers/worker-protocol.js';

/**
 * What a distributed run's master and its --worker processes say to each other through the broker
 * (rule 7: a discriminated union). Around the messages a --processes worker thread exchanges with
 * its main thread (`run`), the joining and leaving that only remote workers have.
 *
 * Keys, under `brood:<run id>:` (one run per broker by default, `--run-id` names others):
 *   current                 the live master's run nonce; it expires 3 s after the master stops refreshing it (its lease)
 *   <nonce>:up              stream: every worker → the master
 *   <nonce>:to:<worker id>  stream: the master → one worker
 *   <nonce>:lease:<id>      a worker's lease: expires 3 s after the worker stops refreshing it
 */
export type WorkerToMaster =
  /** `thread`: which of a `--worker --processes N` process's threads (absent for a worker of one thread). */
  | { k: 'hello'; host: string; pid: number; thread?: number; version: string; cores: number; fileHash: string | null }
  | { k: 'run'; m: WorkerToMain }
  /** Once a second: this worker's CPU use over the last second (0–100 % of one core). */
  | { k: 'beat'; cpu: number }
  | { k: 'bye' };

export type MasterToWorker =
  /** The worker's part of the run, and the test file when it has none of its own. */
  | { k: 'welcome'; setup: WorkerSetup; file: ShippedFile | null; fileHash: string | null; scenarioFile: ShippedFile | null; masterBrokerOffsetMs: number }
  /** The worker cannot take part (its own -f differs from the master's, the run is over): it exits 2 with this line. */
  | { k: 'refuse'; message: string }
  | { k: 'run'; m: MainToWorker };

/** The master's -f file, for workers started without one (it must be self-contained: nothing it imports travels), or its TOML --scenario file. */
export interface ShippedFile {
  name: string;
  content: string;
}

/** The content hash by which a worker's own -f is compared with the master's (both sides must compute it alike). */
export function testFileHash(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Redis keys of a run (see the header above). */
export function runKeys(runId: string): { current: string; up(nonce: string): string; to(nonce: string, worker: string): string; lease(nonce: string, worker: string): string; all(nonce: string): string } {
  const base = `brood:${runId}:`;
  return {
    current: `${base}current`,
    up: (nonce) => `${base}${nonce}:up`,
    to: (nonce, worker) => `${base}${nonce}:to:${worker}`,
    lease: (nonce, worker) => `${base}${nonce}:lease:${worker}`,
    all: (nonce) => `${base}${nonce}:*`,
  };
}

/** How long a lease (the master's `current`, a worker's) lives without being refreshed, and how often it is. */
export const LEASE_MS = 3000;
export const LEASE_REFRESH_MS = 1000;
