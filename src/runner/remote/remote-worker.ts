/**
 * A `--worker` process of a distributed run: it finds the master's run on the broker (waiting for
 * it if the master has not started yet), says hello, takes the part of the run the master gives it
 * and runs it with worker-run.ts (the same code a --processes thread runs), over the broker. It
 * stops its users and exits non-zero when the master is gone (its lease expired) or the broker has
 * been unreachable for longer than --broker-timeout.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type { Redis } from 'ioredis';
import { brokerClockOffsetMs } from '../../broker/broker-clock.js';
import { BrokerConnection } from '../../broker/broker-connection.js';
import type { BrokerUrl } from '../../broker/broker-url.js';
import { Inbox, Outbox, StreamReader, type LinkEntry } from '../../broker/stream-link.js';
import type { MainToWorker, WorkerSetup } from '../workers/worker-protocol.js';
import { runWorker } from '../workers/worker-run.js';
import { LEASE_MS, LEASE_REFRESH_MS, runKeys, testFileHash, type MasterToWorker, type ShippedFile, type WorkerToMaster } from './remote-protocol.js';

export interface RemoteWorkerOptions {
  broker: BrokerUrl;
  runId: string;
  /** -f on this machine (null: the master's file, sent through the broker). */
  file: string | null;
  version: string;
  /** How long the broker may be unreachable before this worker gives up (--broker-timeout). */
  brokerTimeoutMs: number;
  /** One of a `--worker --processes N` process's threads (remote-worker-thread.ts), numbered from 1; absent for a worker of one thread. */
  thread?: number;
  /** Ctrl-C / SIGTERM: stop the users and leave the run (exit 1). */
  signal?: AbortSignal;
  print(line: string): void;
}

/** Exit codes: 0 the run ended normally; 1 the master or broker was lost, or the test failed to load here; 2 refused. */
export async function runRemoteWorker(o: RemoteWorkerOptions): Promise<number> {
  const conn = await BrokerConnection.connect(o.broker, 'brood-worker');
  const keys = runKeys(o.runId);
  const id = `${hostname()}-${process.pid}${o.thread === undefined ? '' : `.${o.thread}`}-${randomBytes(3).toString('hex')}`;
  const fileHash = o.file === null ? null : testFileHash(readFileSync(o.file, 'utf8'));
  try {
    o.print(`Worker ${id} waiting for a master on ${conn.shown}${o.runId === 'default' ? '' : ` (run ${o.runId})`}`);
    const nonce = await waitForMaster(conn, keys.current);
    const brokerOffsetMs = await brokerClockOffsetMs(conn.redis);
    const reader = await conn.duplicate(`brood-worker-reader:${id}`);
    const session = new WorkerSession({ o, conn, id, nonce, fileHash, brokerOffsetMs });
    return await session.run(reader);
  } finally {
    conn.close();
  }
}

/** Polls for a live master's run (its `current` key); resolves with its nonce. */
async function waitForMaster(conn: BrokerConnection, currentKey: string): Promise<string> {
  for (;;) {
    const nonce = await conn.redis.get(currentKey);
    if (nonce !== null) return nonce;
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface SessionParts {
  o: RemoteWorkerOptions;
  conn: BrokerConnection;
  id: string;
  nonce: string;
  fileHash: string | null;
  /** The broker's clock minus this machine's. */
  brokerOffsetMs: number;
}

/** This worker in one master's run: hello, welcome, the run, bye. */
class WorkerSession {
  readonly #p: SessionParts;
  readonly #keys: ReturnType<typeof runKeys>;
  readonly #inbox = new Inbox();
  readonly #outbox: Outbox<WorkerToMaster>;
  #onRun: ((m: MainToWorker) => void) | null = null;
  #finish: ((code: number) => void) | null = null;
  #tempDir: string | null = null;
  #cpu = process.cpuUsage();
  #cpuAtMs = performance.now();
  #elu = performance.eventLoopUtilization();

  constructor(p: SessionParts) {
    this.#p = p;
    this.#keys = runKeys(p.o.runId);
    this.#outbox = new Outbox<WorkerToMaster>(p.conn, this.#keys.up(p.nonce), p.id, () => this.#inbox.last);
  }

  async run(readerConn: Redis): Promise<number> {
    const { conn, id, nonce, fileHash, o } = this.#p;
    const done = new Promise<number>((resolve) => (this.#finish = resolve));
    await this.#refreshLease();
    const reader = new StreamReader(readerConn, this.#keys.to(nonce, id), (e) => this.#onEntry(e));
    reader.start();
    const timer = setInterval(() => void this.#tick(), LEASE_REFRESH_MS);
    o.signal?.addEventListener('abort', () => this.#stopUsers(1), { once: true });
    this.#outbox.send({ k: 'hello', host: hostname(), pid: process.pid, ...(o.thread === undefined ? {} : { thread: o.thread }), version: o.version, cores: availableParallelism(), fileHash });
    try {
      return await done;
    } finally {
      clearInterval(timer);
      reader.stop();
      this.#outbox.send({ k: 'bye' });
      this.#outbox.flush();
      // The bye reaches the broker before the connection closes (a few ms; bounded if the broker is gone).
      await Promise.race([conn.redis.del(this.#keys.lease(nonce, id)), new Promise((r) => setTimeout(r, 1000))]).catch(() => undefined);
      if (this.#tempDir !== null) rmSync(this.#tempDir, { recursive: true, force: true });
    }
  }

  #end(code: number): void {
    this.#finish?.(code);
    this.#finish = null;
  }

  #onEntry(e: LinkEntry): void {
    if (e.from !== 'master') return;
    this.#outbox.acked(e.ack);
    for (const m of this.#inbox.accept(e.first, e.messages as MasterToWorker[])) this.#onMessage(m);
  }

  #onMessage(m: MasterToWorker): void {
    switch (m.k) {
      case 'refuse':
        this.#p.o.print(`error: ${m.message}`);
        return this.#end(2);
      case 'welcome':
        void this.#start(m);
        return;
      case 'run':
        this.#onRun?.(m.m);
        return;
    }
  }

  /** The master's part of the run for this worker: load the test (its own -f, or the one sent) and run it. */
  async #start(w: Extract<MasterToWorker, { k: 'welcome' }>): Promise<void> {
    const { o } = this.#p;
    const file = o.file ?? (w.file === null ? null : this.#writeShipped(w.file));
    const scenario = w.scenarioFile === null ? w.setup.source.scenario : this.#writeShipped(w.scenarioFile);
    const setup: WorkerSetup = {
      ...w.setup,
      // Shapes are ticked by the master alone: a worker only runs the users it is sent.
      source: { ...w.setup.source, file, scenario, shape: null },
      wallOffsetMs: this.#p.brokerOffsetMs - w.masterBrokerOffsetMs,
    };
    o.print(`Worker ${this.#p.id} joined the run (worker ${w.setup.index})`);
    await runWorker(setup, {
      post: (m) => {
        this.#outbox.send({ k: 'run', m });
        if (m.type === 'failed') {
          o.print(`error: this worker could not load the test: ${m.message}`);
          this.#end(1);
        }
      },
      onMessage: (handler) => (this.#onRun = handler),
      close: () => this.#end(0),
    });
  }

  /**
   * The master's file, written where it can import 'brood': a temporary directory whose
   * node_modules/brood links to this install (so its classes are the very ones this process runs).
   */
  #writeShipped(f: ShippedFile): string {
    let dir = this.#tempDir;
    if (dir === null) {
      dir = this.#tempDir = mkdtempSync(join(tmpdir(), 'brood-worker-'));
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(packageRoot(), join(dir, 'node_modules', 'brood'), 'dir');
    }
    const path = join(dir, basename(f.name));
    writeFileSync(path, f.content);
    return path;
  }

  /** Once a second: the lease, the CPU beat, acks and resends; the master's lease and the broker judged. */
  async #tick(): Promise<void> {
    const { conn, nonce, o } = this.#p;
    this.#outbox.send({ k: 'beat', cpu: this.#cpuPercent() });
    this.#outbox.tick();
    if (conn.downForMs() > o.brokerTimeoutMs) {
      o.print(`error: the broker ${conn.shown} has been unreachable for ${Math.round(conn.downForMs() / 1000)} s (--broker-timeout): stopping this worker's users`);
      return this.#stopUsers(1);
    }
    await this.#refreshLease();
    // After a broker restart the master's lease is gone until it refreshes it: judge it only after that.
    if (conn.upForMs() < LEASE_MS + LEASE_REFRESH_MS) return;
    const current = await conn.redis.get(this.#keys.current).catch(() => nonce);
    if (current !== nonce) {
      o.print(`error: the master is gone (no heartbeat on ${conn.shown} for ${LEASE_MS / 1000} s): stopping this worker's users`);
      this.#stopUsers(1);
    }
  }

  /** Stops every user at once, as the master's 'exit' would, and ends with `code`. */
  #stopUsers(code: number): void {
    const finish = this.#finish;
    this.#finish = null;
    if (finish === null) return;
    // The worker run closes its users and sessions, then calls close(): that ends the session.
    const t = setTimeout(() => finish(code), 5000);
    this.#finish = () => {
      clearTimeout(t);
      finish(code);
    };
    if (this.#onRun) this.#onRun({ type: 'exit' });
    else this.#end(code);
  }

  async #refreshLease(): Promise<void> {
    const { conn, nonce, id } = this.#p;
    await conn.redis.set(this.#keys.lease(nonce, id), '1', 'PX', LEASE_MS).catch(() => undefined);
  }

  #cpuPercent(): number {
    // A thread of `--processes N`: process.cpuUsage() is the whole process's; its own event loop's busy share is this worker's.
    if (!isMainThread) {
      const elu = performance.eventLoopUtilization(this.#elu);
      this.#elu = performance.eventLoopUtilization();
      return Math.round(elu.utilization * 100);
    }
    const now = performance.now();
    const used = process.cpuUsage(this.#cpu);
    const pct = now > this.#cpuAtMs ? ((used.user + used.system) / 1000 / (now - this.#cpuAtMs)) * 100 : 0;
    this.#cpu = process.cpuUsage();
    this.#cpuAtMs = now;
    return Math.round(pct);
  }
}

/** The directory of this brood install (where its package.json is). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'brood') return dir;
    } catch {
      // not here: one level up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('internal: cannot find the brood package this worker runs from');
    dir = up;
  }
}
