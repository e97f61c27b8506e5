import { Worker } from 'node:worker_threads';
import { ConfigError } from '../../core/errors.js';
import { ProtocolCounts } from '../../http/protocol-counts.js';
import type { StatsRegistry } from '../../stats/registry.js';
import type { UserClassSpec, UserHandle, UserHost } from '../closed/user-runner.js';
import type { LifecycleCounts } from '../closed/lifecycle-phases.js';
import type { MainToWorker, WorkerEvent, WorkerSetup, WorkerToMain } from './worker-protocol.js';

/** What the main thread hears from its workers besides stats. */
export interface WorkerCallbacks {
  /** The workers' --record-trace lines (each worker's come before its final stats). */
  onTraceLines?: (lines: readonly string[]) => void;
  /** A worker's listener or task asked the run to end (environment.runner.quit()). */
  onQuit?: (reason: string, exitCode?: number) => void;
  /** A worker's user threw brood's ConfigError: the file cannot run as written. */
  onUsageError?: (message: string) => void;
}
import { RemoteOpenPool } from './remote-open-pool.js';
import type { ArrivalSink, Preallocation } from '../open/open-pool.js';

/** A user living in a worker thread, driven by messages. */
class RemoteUser implements UserHandle {
  readonly classIndex: number;
  hardStopped = false;
  readonly done: Promise<void>;
  resolve!: () => void;
  readonly #send: (m: MainToWorker) => void;
  readonly #userId: number;

  constructor(classIndex: number, userId: number, send: (m: MainToWorker) => void) {
    this.classIndex = classIndex;
    this.#userId = userId;
    this.#send = send;
    this.done = new Promise((r) => (this.resolve = r));
  }

  requestStop(): void {
    this.#send({ type: 'stop', userId: this.#userId });
  }

  hardStop(): void {
    if (this.hardStopped) return;
    this.hardStopped = true;
    this.#send({ type: 'hard-stop', userId: this.#userId });
  }
}

interface WorkerSlot {
  index: number;
  worker: Worker;
  users: Map<number, RemoteUser>;
  finalStats: (() => void) | null;
  alive: boolean;
  preallocated: Preallocation | null;
}

/**
 * `--processes N`: users run in N worker threads. The user runner in the main thread keeps the
 * ramp, the class mix and the global user ids; user k goes to worker k mod N. Workers send
 * stats snapshots (then reset), merged exactly into the main registry as they arrive.
 */
export class WorkerUserHost implements UserHost {
  /** The workers' connections by protocol (--http2 / --h2c), summed from their stats messages. */
  readonly protocols = new ProtocolCounts();
  readonly #slots: WorkerSlot[];
  readonly #stats: StatsRegistry;
  readonly #callbacks: WorkerCallbacks;
  #open: RemoteOpenPool | null = null;
  /** Each worker's users still in onStart/onStop, from its final stats (the latest per worker, never summed twice). */
  readonly #lifecycle = new Map<number, LifecycleCounts>();

  private constructor(slots: WorkerSlot[], stats: StatsRegistry, callbacks: WorkerCallbacks) {
    this.#slots = slots;
    this.#stats = stats;
    this.#callbacks = callbacks;
  }

  static async start(
    count: number,
    setupFor: (index: number) => WorkerSetup,
    classNames: readonly string[],
    stats: StatsRegistry,
    callbacks: WorkerCallbacks = {},
  ): Promise<WorkerUserHost> {
    const entry = new URL('./worker-entry.js', import.meta.url);
    const slots: WorkerSlot[] = [];
    const host = new WorkerUserHost(slots, stats, callbacks);
    await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const slot: WorkerSlot = { index: i, worker: new Worker(entry, { workerData: setupFor(i) }), users: new Map(), finalStats: null, alive: true, preallocated: null };
        slots.push(slot);
        return new Promise<void>((resolve, reject) => {
          slot.worker.on('message', (m: WorkerToMain) => {
            if (m.type === 'ready') {
              if (m.classNames.join('\u0000') !== classNames.join('\u0000')) reject(new Error(`worker ${i} sees user classes ${m.classNames.join(', ')}`));
              else {
                slot.preallocated = m.preallocated;
                resolve();
              }
            } else if (m.type === 'failed') {
              const message = `worker ${i} could not load the test: ${m.message}`;
              reject(m.usage === true ? new ConfigError('TEST_FILE_IMPORT', message) : new Error(message));
            }
            else host.#onMessage(slot, m);
          });
          slot.worker.on('error', (e) => {
            reject(e);
            host.#lost(slot, e);
          });
          slot.worker.on('exit', (code) => {
            // Before 'ready' nothing else would settle the start: the run would wait forever.
            reject(new Error(`worker ${i} exited (code ${code}) before it was ready`));
            host.#lost(slot, null);
          });
        });
      }),
    ).catch(async (e: unknown) => {
      await host.close();
      throw e;
    });
    return host;
  }

  /** The workers' users still inside onStart/onStop when they sent their final stats. */
  lifecycleCounts(): LifecycleCounts[] {
    return [...this.#lifecycle.values()];
  }

  #onMessage(slot: WorkerSlot, m: WorkerToMain): void {
    switch (m.type) {
      case 'stats':
        this.#stats.mergeSnapshot(m.snapshot);
        this.protocols.add(m.protocols);
        if (m.lifecycle !== undefined) this.#lifecycle.set(slot.index, m.lifecycle);
        if (m.final) slot.finalStats?.();
        return;
      case 'user-done':
      case 'user-failed': {
        const user = slot.users.get(m.userId);
        slot.users.delete(m.userId);
        user?.resolve();
        return;
      }
      case 'open-done':
        this.#open?.completed(slot.index, m.outcomes, m.poolCounts);
        return;
      case 'trace':
        this.#callbacks.onTraceLines?.(m.lines);
        return;
      case 'usage-error':
        this.#callbacks.onUsageError?.(m.message);
        return;
      case 'quit':
        this.#callbacks.onQuit?.(m.reason, m.exitCode);
        return;
      case 'open-finished':
        this.#open?.finished(slot.index);
        return;
      default:
        return;
    }
  }

  /** What each worker made before the run (--pre-allocated-users), in worker order; null where nothing. */
  preallocations(): ReadonlyArray<Preallocation | null> {
    return this.#slots.map((s) => s.preallocated);
  }

  /** The open model's pool, spread over these workers (`shares`: each worker's bound; see remote-open-pool.ts). */
  openPool(shares: readonly number[], classCount: number, sink: ArrivalSink): RemoteOpenPool {
    // Called on every arrival: only the first call builds anything.
    this.#open ??= new RemoteOpenPool(shares, classCount, sink, this.#slots.map((s) => s.preallocated?.poolCounts ?? null), (index, m) => {
      const slot = this.#slots[index];
      if (!slot?.alive) return false;
      slot.worker.postMessage(m);
      return true;
    });
    return this.#open;
  }

  /** A worker died: its users are gone (the run goes on with the others) and it is not waited for. */
  #lost(slot: WorkerSlot, error: Error | null): void {
    if (!slot.alive) return;
    slot.alive = false;
    if (error) this.#stats.recordException(error, 'main');
    for (const u of slot.users.values()) u.resolve();
    slot.users.clear();
    this.#open?.lost(slot.index);
    slot.finalStats?.();
  }

  spawn(_spec: UserClassSpec, classIndex: number, userId: number): UserHandle | null {
    const slot = this.#slots[userId % this.#slots.length];
    if (!slot || !slot.alive) return null;
    const send = (m: MainToWorker): void => {
      if (slot.alive) slot.worker.postMessage(m);
    };
    const user = new RemoteUser(classIndex, userId, send);
    slot.users.set(userId, user);
    send({ type: 'spawn', classIndex, userId });
    return user;
  }

  /** --record-trace: tells every worker when the run (t = 0) started, before any user is sent to it. */
  /** A test-level event of the run: each worker fires it for the listeners its copy of the file registered. */
  event(event: WorkerEvent): void {
    for (const slot of this.#slots) if (slot.alive) slot.worker.postMessage({ type: 'event', event } satisfies MainToWorker);
  }

  traceStarts(epochMs: number): void {
    for (const slot of this.#slots) if (slot.alive) slot.worker.postMessage({ type: 'trace-start', epochMs } satisfies MainToWorker);
  }

  /** Asks every worker for what it recorded since its last snapshot and waits for it (at most 5 s). */
  async flush(): Promise<void> {
    await Promise.all(
      this.#slots.filter((s) => s.alive).map(
        (slot) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 5000);
            slot.finalStats = () => {
              clearTimeout(t);
              slot.finalStats = null;
              resolve();
            };
            slot.worker.postMessage({ type: 'flush' } satisfies MainToWorker);
          }),
      ),
    );
  }

  async close(): Promise<void> {
    for (const slot of this.#slots) {
      if (slot.alive) slot.worker.postMessage({ type: 'exit' } satisfies MainToWorker);
    }
    await Promise.all(
      this.#slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(() => void slot.worker.terminate().then(() => resolve()), 3000);
            slot.worker.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            if (!slot.alive) {
              clearTimeout(t);
              resolve();
            }
          }),
      ),
    );
  }
}
