import { Worker } from 'node:worker_threads';
import { ConfigError } from '../../core/errors.js';
import { ProtocolCounts } from '../../http/protocol-counts.js';
import type { StatsRegistry } from '../../stats/registry.js';
import type { UserClassSpec, UserHandle, UserHost } from '../closed/user-runner.js';
import type { LifecycleCounts } from '../closed/lifecycle-phases.js';
import { WORKER_EXIT_WAIT_MS, type MainToWorker, type WorkerEvent, type WorkerSetup, type WorkerToMain } from './worker-protocol.js';

/** What the main thread hears from its workers besides stats. */
export interface WorkerCallbacks {
  /** The workers' --record-trace lines (each worker's come before its final stats). */
  onTraceLines?: (lines: readonly string[]) => void;
  /** A worker's listener or task asked the run to end (environment.runner.quit()). */
  onQuit?: (reason: string, exitCode?: number) => void;
  /** A worker's user threw brood's ConfigError: the file cannot run as written. */
  onUsageError?: (message: string) => void;
  /** A worker's runner.send_message (`data`: JSON text). */
  onMessage?: (worker: number, type: string, data: string) => void;
}
import { RemoteOpenPool } from './remote-open-pool.js';
import type { ArrivalSink, Preallocation } from '../open/open-pool.js';

/** A user living in a worker, driven by messages; it moves to another worker when its own is lost (remote runs). */
class RemoteUser implements UserHandle {
  readonly classIndex: number;
  readonly userId: number;
  hardStopped = false;
  readonly done: Promise<void>;
  resolve!: () => void;
  /** The worker running it now. */
  slot: WorkerSlot;

  constructor(classIndex: number, userId: number, slot: WorkerSlot) {
    this.classIndex = classIndex;
    this.userId = userId;
    this.slot = slot;
    this.done = new Promise((r) => (this.resolve = r));
  }

  requestStop(): void {
    send(this.slot, { type: 'stop', userId: this.userId });
  }

  hardStop(): void {
    if (this.hardStopped) return;
    this.hardStopped = true;
    send(this.slot, { type: 'hard-stop', userId: this.userId });
  }
}

/**
 * How the main side talks to one worker: a thread of `--processes` (threadChannel below) or a
 * remote `--worker` process through the broker (runner/remote/).
 */
export interface WorkerChannel {
  /** How messages name it: "worker 2", "worker web-3 (pid 812)". */
  readonly label: string;
  post(m: MainToWorker): void;
  /** Every message the worker sends; `onLost` once when it is gone (thread exit, lease expired). */
  listen(onMessage: (m: WorkerToMain) => void, onLost: (error: Error | null, why: string) => void): void;
  /** Tells the worker to exit and waits for it (bounded). */
  close(): Promise<void>;
}

interface WorkerSlot {
  index: number;
  channel: WorkerChannel;
  users: Map<number, RemoteUser>;
  finalStats: (() => void) | null;
  alive: boolean;
  /** It said 'ready': users may be sent to it. */
  ready: boolean;
  preallocated: Preallocation | null;
  /** The most users it ran at once, and the requests its stats reported (a distributed run's report). */
  peakUsers: number;
  /** Open model: the users of its pool, as it last reported them. */
  poolUsers: number;
  requests: number;
}

/** One worker's part of the run so far, as the reports show it. */
export interface WorkerTotals {
  label: string;
  peakUsers: number;
  requests: number;
  alive: boolean;
}

function send(slot: WorkerSlot, m: MainToWorker): void {
  if (slot.alive) slot.channel.post(m);
}

/** How users are placed: user k on worker k mod N (threads, a fixed set), or on the worker with fewest (remote workers come and go). */
export type Placement = 'modulo' | 'fewest-users';

/** How the host treats its workers (threads: fixed, none re-placed; remote: users of a lost worker start again elsewhere). */
export interface WorkerHostOptions {
  classNames: readonly string[];
  placement: Placement;
  /** A lost worker's users are started again on the others (same ids, so the same random streams). */
  replaceLostUsers: boolean;
  /** A worker was lost after it was ready: what it ran (its label, users re-placed), for the console and the report. */
  onWorkerLost?: (label: string, users: number, why: string) => void;
}

/**
 * The main side of users that run in workers. The user runner here keeps the ramp, the class mix
 * and the global user ids; each user goes to one worker (see Placement). Workers send stats
 * snapshots (then reset), merged exactly into the main registry as they arrive.
 */
export class WorkerUserHost implements UserHost {
  /** The workers' connections by protocol (--http2 / --h2c), summed from their stats messages. */
  readonly protocols = new ProtocolCounts();
  readonly #slots: WorkerSlot[] = [];
  readonly #stats: StatsRegistry;
  readonly #callbacks: WorkerCallbacks;
  readonly #options: WorkerHostOptions;
  #open: RemoteOpenPool | null = null;
  /** Each worker's users still in onStart/onStop, from its final stats (the latest per worker, never summed twice). */
  readonly #lifecycle = new Map<number, LifecycleCounts>();
  /** What every worker was told about the run so far (events, the trace's start): a worker that joins late hears it too. */
  readonly #told: MainToWorker[] = [];

  constructor(stats: StatsRegistry, callbacks: WorkerCallbacks, options: WorkerHostOptions) {
    this.#stats = stats;
    this.#callbacks = callbacks;
    this.#options = options;
  }

  /** `--processes N`: N worker threads, each ready before this resolves (any failure closes them all). */
  static async start(
    count: number,
    setupFor: (index: number) => WorkerSetup,
    classNames: readonly string[],
    stats: StatsRegistry,
    callbacks: WorkerCallbacks = {},
  ): Promise<WorkerUserHost> {
    const host = new WorkerUserHost(stats, callbacks, { classNames, placement: 'modulo', replaceLostUsers: false });
    await Promise.all(Array.from({ length: count }, (_, i) => host.add(threadChannel(i, setupFor(i))))).catch(async (e: unknown) => {
      await host.close();
      throw e;
    });
    return host;
  }

  /** A worker joins; resolves when it is ready for users, rejects when it fails or is gone first. */
  add(channel: WorkerChannel): Promise<void> {
    const slot: WorkerSlot = { index: this.#slots.length, channel, users: new Map(), finalStats: null, alive: true, ready: false, preallocated: null, peakUsers: 0, poolUsers: 0, requests: 0 };
    this.#slots.push(slot);
    const classNames = this.#options.classNames;
    return new Promise<void>((resolve, reject) => {
      channel.listen(
        (m) => {
          if (m.type === 'ready') {
            if (m.classNames.join('\u0000') !== classNames.join('\u0000')) reject(new Error(`${channel.label} sees user classes ${m.classNames.join(', ')}`));
            else {
              slot.preallocated = m.preallocated;
              slot.ready = true;
              for (const told of this.#told) send(slot, told);
              resolve();
            }
          } else if (m.type === 'failed') {
            const message = `${channel.label} could not load the test: ${m.message}`;
            reject(m.usage === true ? new ConfigError('TEST_FILE_IMPORT', message) : new Error(message));
          } else this.#onMessage(slot, m);
        },
        (error, why) => {
          // Before 'ready' nothing else would settle the start: the run would wait forever.
          reject(error ?? new Error(`${channel.label} ${why} before it was ready`));
          this.#lost(slot, error, why);
        },
      );
    });
  }

  /** Workers ready for users now. */
  readyCount(): number {
    return this.#slots.filter((s) => s.alive && s.ready).length;
  }

  /** Users each ready worker runs now, by label. */
  usersByWorker(): Array<{ label: string; users: number }> {
    return this.#slots.filter((s) => s.alive && s.ready).map((s) => ({ label: s.channel.label, users: s.users.size + s.poolUsers }));
  }

  /** Each worker that was ready, in the order they joined. */
  totals(): WorkerTotals[] {
    return this.#slots.filter((s) => s.ready).map((s) => ({ label: s.channel.label, peakUsers: s.peakUsers, requests: s.requests, alive: s.alive }));
  }

  /** The workers' users still inside onStart/onStop when they sent their final stats. */
  lifecycleCounts(): LifecycleCounts[] {
    return [...this.#lifecycle.values()];
  }

  #onMessage(slot: WorkerSlot, m: WorkerToMain): void {
    switch (m.type) {
      case 'stats':
        this.#stats.mergeSnapshot(m.snapshot);
        slot.requests += m.snapshot.aggregated.numRequests;
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
      case 'open-done': {
        this.#open?.completed(slot.index, m.outcomes, m.poolCounts);
        let pool = 0;
        for (const c of m.poolCounts) pool += c;
        slot.poolUsers = pool;
        if (pool > slot.peakUsers) slot.peakUsers = pool;
        return;
      }
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
      case 'message':
        this.#callbacks.onMessage?.(slot.index, m.msgType, m.data);
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
      slot.channel.post(m);
      return true;
    });
    return this.#open;
  }

  /**
   * Every worker is out of reach (a distributed run's broker is gone): their users end here, none is
   * started again, nothing more is waited for from them.
   */
  abandonAll(why: string): void {
    for (const slot of this.#slots) this.#lost(slot, null, why, false);
  }

  /** A worker died: its users start again on the others (remote runs) or are gone (threads); it is not waited for. */
  #lost(slot: WorkerSlot, error: Error | null, why: string, replace = true): void {
    if (!slot.alive) return;
    slot.alive = false;
    if (error) this.#stats.recordException(error, 'main');
    const users = [...slot.users.values()];
    slot.users.clear();
    this.#open?.lost(slot.index);
    slot.finalStats?.();
    if (slot.ready && replace) this.#options.onWorkerLost?.(slot.channel.label, users.length, why);
    for (const user of users) {
      const next = replace && this.#options.replaceLostUsers && !user.hardStopped ? this.#place(user.userId) : null;
      if (next === null) user.resolve();
      else this.#sendUser(user, next);
    }
  }

  /** The worker user `userId` goes to, or null when none can take it. */
  #place(userId: number): WorkerSlot | null {
    if (this.#options.placement === 'modulo') {
      const slot = this.#slots[userId % this.#slots.length];
      return slot?.alive === true ? slot : null;
    }
    let best: WorkerSlot | null = null;
    for (const s of this.#slots) if (s.alive && s.ready && (best === null || s.users.size < best.users.size)) best = s;
    return best;
  }

  #sendUser(user: RemoteUser, slot: WorkerSlot): void {
    user.slot = slot;
    slot.users.set(user.userId, user);
    if (slot.users.size > slot.peakUsers) slot.peakUsers = slot.users.size;
    send(slot, { type: 'spawn', classIndex: user.classIndex, userId: user.userId });
  }

  spawn(_spec: UserClassSpec, classIndex: number, userId: number): UserHandle | null {
    const slot = this.#place(userId);
    if (!slot) return null;
    const user = new RemoteUser(classIndex, userId, slot);
    this.#sendUser(user, slot);
    return user;
  }

  /** A test-level event of the run: each worker fires it for the listeners its copy of the file registered. */
  event(event: WorkerEvent): void {
    this.#tellAll({ type: 'event', event });
  }

  /** Workers that said ready and are still there (Locust's worker_count). */
  workerCount(): number {
    return this.#slots.filter((s) => s.ready && s.alive).length;
  }

  /**
   * runner.send_message from the main process: to worker `to`, or to every worker there is now
   * (null). A worker that is not there is a TypeError naming those that are.
   */
  message(type: string, data: string, to: number | null): void {
    const m: MainToWorker = { type: 'message', msgType: type, data };
    if (to === null) {
      for (const slot of this.#slots) if (slot.ready && slot.alive) send(slot, m);
      return;
    }
    const slot = this.#slots.find((s) => s.index === to && s.ready && s.alive);
    if (slot === undefined) throw new TypeError(`runner.send_message('${type}', data, ${to}): there is no worker ${to} (workers: ${this.#slots.filter((s) => s.ready && s.alive).map((s) => s.index).join(', ') || 'none'})`);
    send(slot, m);
  }

  /** --record-trace: tells every worker when the run (t = 0) started, before any user is sent to it. */
  traceStarts(epochMs: number): void {
    this.#tellAll({ type: 'trace-start', epochMs });
  }

  /** To every ready worker now, and to each that becomes ready later (before its first user). */
  #tellAll(m: MainToWorker): void {
    this.#told.push(m);
    for (const slot of this.#slots) if (slot.ready) send(slot, m);
  }

  /** Asks every worker for what it recorded since its last snapshot and waits for it (at most 5 s). */
  async flush(): Promise<void> {
    await Promise.all(
      // A worker still loading its test (a remote one joining late) has recorded nothing and cannot answer yet.
      this.#slots.filter((s) => s.alive && s.ready).map(
        (slot) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 5000);
            slot.finalStats = () => {
              clearTimeout(t);
              slot.finalStats = null;
              resolve();
            };
            slot.channel.post({ type: 'flush' });
          }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.channel.close()));
  }
}

/** A `--processes` worker thread as a WorkerChannel. */
export function threadChannel(index: number, setup: WorkerSetup): WorkerChannel {
  const worker = new Worker(new URL('./worker-entry.js', import.meta.url), { workerData: setup });
  let exited = false;
  worker.once('exit', () => (exited = true));
  return {
    label: `worker ${index}`,
    post: (m) => {
      if (!exited) worker.postMessage(m);
    },
    listen: (onMessage, onLost) => {
      worker.on('message', onMessage);
      worker.on('error', (e) => onLost(e, 'failed'));
      worker.on('exit', (code) => onLost(null, `exited (code ${code})`));
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        worker.postMessage({ type: 'exit' } satisfies MainToWorker);
        const t = setTimeout(() => void worker.terminate().then(() => resolve()), WORKER_EXIT_WAIT_MS);
        worker.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      }),
  };
}
