/**
 * runner/remote/: distributed runs (--master, --worker) through a Redis broker (src/broker/). The
 * master's side is here: workers join as they come (before or after the master starts), each
 * becomes a WorkerChannel of the job's WorkerUserHost (the same host --processes threads use), and
 * a worker whose lease expires is lost: its users start again on the others. The worker's side is
 * remote-worker.ts; remote-protocol.ts is what they say.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../../core/errors.js';
import { brokerClockOffsetMs } from '../../broker/broker-clock.js';
import { BrokerConnection } from '../../broker/broker-connection.js';
import type { BrokerUrl } from '../../broker/broker-url.js';
import { Inbox, Outbox, StreamReader, type LinkEntry } from '../../broker/stream-link.js';
import type { WorkerChannel, WorkerUserHost } from '../workers/worker-user-host.js';
import { WORKER_EXIT_WAIT_MS, type MainToWorker, type WorkerSetup, type WorkerToMain } from '../workers/worker-protocol.js';
import { LEASE_MS, LEASE_REFRESH_MS, runKeys, type MasterToWorker, type ShippedFile, type WorkerToMaster } from './remote-protocol.js';

export interface RemoteMasterOptions {
  broker: BrokerUrl;
  runId: string;
  /** The -f file for workers without one (null: a built-in scenario, which every install has). */
  file: ShippedFile | null;
  fileHash: string | null;
  /** A --scenario TOML file of the master's: every worker gets it (null: a built-in scenario or -f). */
  scenarioFile: ShippedFile | null;
  /** Worker `index`'s part of the run (its wall-clock offset is the worker's to add). */
  setupFor(index: number): WorkerSetup;
  host: WorkerUserHost;
  /** Console and log, one line each. */
  say(line: string, level: 'info' | 'warning'): void;
}

/** What the reports say about each worker (JSON run.workers, the console). */
export interface RemoteWorkerInfo {
  id: string;
  label: string;
  host: string;
  pid: number;
  cores: number;
  /** Its CPU use over its last second (% of one core). */
  cpuPercent: number;
  /** Still in the run (false: lost or gone). */
  alive: boolean;
  /** When the master last heard from it (performance.now() ms): the live page's "last heard". */
  heardAtMs: number;
}

/** One worker as the master knows it. */
interface Peer {
  id: string;
  info: RemoteWorkerInfo;
  inbox: Inbox;
  outbox: Outbox<MasterToWorker>;
  onMessage: ((m: WorkerToMain) => void) | null;
  onLost: ((error: Error | null, why: string) => void) | null;
  /** It said bye (it exits), or was lost. */
  gone: boolean;
  /** The master told it to exit: its bye is expected, not a loss. */
  leaving: boolean;
  whenGone: Array<() => void>;
}

export class RemoteMaster {
  readonly #o: RemoteMasterOptions;
  readonly #conn: BrokerConnection;
  readonly #reader: StreamReader;
  readonly #nonce: string;
  readonly #keys: ReturnType<typeof runKeys>;
  readonly #brokerOffsetMs: number;
  readonly #peers = new Map<string, Peer>();
  #timer: NodeJS.Timeout | undefined;
  #closing = false;
  #joined = 0;
  /** Workers lost while the run went on. */
  lost = 0;

  private constructor(o: RemoteMasterOptions, conn: BrokerConnection, reader: (onEntry: (e: LinkEntry) => void) => StreamReader, nonce: string, brokerOffsetMs: number) {
    this.#o = o;
    this.#conn = conn;
    this.#nonce = nonce;
    this.#keys = runKeys(o.runId);
    this.#brokerOffsetMs = brokerOffsetMs;
    this.#reader = reader((e) => this.#onEntry(e));
  }

  /** Connects, claims the run on the broker (a live master there already is refused) and listens for workers. */
  static async open(o: RemoteMasterOptions): Promise<RemoteMaster> {
    const conn = await BrokerConnection.connect(o.broker, `brood-master:${o.runId}`);
    try {
      const keys = runKeys(o.runId);
      const nonce = randomBytes(6).toString('hex');
      const claimed = await conn.redis.set(keys.current, nonce, 'PX', LEASE_MS, 'NX');
      if (claimed !== 'OK') throw anotherMaster(o.runId, conn.shown);
      const offset = await brokerClockOffsetMs(conn.redis);
      const readerConn = await conn.duplicate(`brood-master-reader:${o.runId}`);
      const master = new RemoteMaster(o, conn, (onEntry) => new StreamReader(readerConn, keys.up(nonce), onEntry), nonce, offset);
      master.#start();
      return master;
    } catch (e: unknown) {
      conn.close();
      throw e;
    }
  }

  #start(): void {
    this.#reader.start();
    this.#timer = setInterval(() => this.#tick(), LEASE_REFRESH_MS / 2);
  }

  /**
   * Waits until `count` workers are ready for users; after `maxWaitMs` fails with one line naming
   * who came. Workers joining later still take a share.
   */
  async waitForWorkers(count: number, maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    let said = -1;
    while (this.#o.host.readyCount() < count) {
      const ready = this.#o.host.readyCount();
      if (ready !== said) {
        said = ready;
        this.#o.say(`Waiting for workers on ${this.#conn.shown}${this.#o.runId === 'default' ? '' : ` (run ${this.#o.runId})`}: ${ready} of ${count} ready`, 'info');
      }
      if (Date.now() >= deadline) {
        const who = this.workers().filter((w) => w.alive).map((w) => w.label);
        throw new ConfigError('WORKERS_MISSING', `--expect-workers ${count}: ${ready} worker${ready === 1 ? '' : 's'} ready after ${Math.round(maxWaitMs / 1000)} s${who.length > 0 ? ` (${who.join(', ')})` : ''}; start them with run-load-tests --worker --broker ${this.#conn.shown}${this.#o.runId === 'default' ? '' : ` --run-id ${this.#o.runId}`}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  workers(): RemoteWorkerInfo[] {
    return [...this.#peers.values()].map((p) => ({ ...p.info, alive: !p.gone }));
  }

  /** How long the broker has been unreachable (0 while it is reachable). */
  brokerDownMs(): number {
    return this.#conn.downForMs();
  }

  get brokerShown(): string {
    return this.#conn.shown;
  }

  /** After the workers were told to exit (WorkerUserHost.close): the run's keys are removed and the broker left. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#timer);
    this.#reader.stop();
    const cleanUp = async (): Promise<void> => {
      await deleteMatching(this.#conn, this.#keys.all(this.#nonce));
      // Only this master's claim: a new master may already hold the run.
      if ((await this.#conn.redis.get(this.#keys.current)) === this.#nonce) await this.#conn.redis.del(this.#keys.current);
    };
    // The broker may be gone (commands would wait for it): its keys then expire or stay; not worth more than 2 s.
    await Promise.race([cleanUp().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
    this.#conn.close();
  }

  #onEntry(e: LinkEntry): void {
    let peer = this.#peers.get(e.from);
    if (!peer) {
      if (this.#closing || e.first !== 1) return; // a worker of an earlier run, or one that lost its start: it is refused below when it says hello
      peer = this.#newPeer(e.from);
    }
    peer.outbox.acked(e.ack);
    peer.info.heardAtMs = performance.now();
    for (const m of peer.inbox.accept(e.first, e.messages as WorkerToMaster[])) this.#onMessage(peer, m);
  }

  #newPeer(id: string): Peer {
    const inbox = new Inbox();
    const peer: Peer = {
      id,
      info: { id, label: `worker ${id}`, host: '', pid: 0, cores: 0, cpuPercent: 0, alive: true, heardAtMs: performance.now() },
      inbox,
      outbox: new Outbox<MasterToWorker>(this.#conn, this.#keys.to(this.#nonce, id), 'master', () => inbox.last),
      onMessage: null,
      onLost: null,
      gone: false,
      leaving: false,
      whenGone: [],
    };
    this.#peers.set(id, peer);
    return peer;
  }

  #onMessage(peer: Peer, m: WorkerToMaster): void {
    switch (m.k) {
      case 'hello':
        return this.#hello(peer, m);
      case 'run':
        peer.onMessage?.(m.m);
        return;
      case 'beat':
        peer.info.cpuPercent = m.cpu;
        return;
      case 'bye':
        this.#gone(peer, 'exited');
        return;
    }
  }

  #hello(peer: Peer, m: Extract<WorkerToMaster, { k: 'hello' }>): void {
    peer.info = { ...peer.info, host: m.host, pid: m.pid, cores: m.cores, label: `worker ${m.host} (pid ${m.pid}${m.thread === undefined ? '' : `, thread ${m.thread}`})` };
    if (this.#closing) return this.#refuse(peer, 'the run is over');
    if (m.fileHash !== null && this.#o.fileHash !== null && m.fileHash !== this.#o.fileHash) {
      return this.#refuse(peer, `its -f file is not the master's (content differs): give each worker the master's file, or none (it is sent through the broker)`);
    }
    if (m.fileHash !== null && this.#o.fileHash === null) return this.#refuse(peer, 'the master runs a built-in --scenario, not a -f file: start the worker without -f');
    const index = this.#joined++;
    const label = peer.info.label;
    void this.#o.host.add(this.#channel(peer)).then(
      () => this.#o.say(`${label} joined (${this.#o.host.readyCount()} ready)`, 'info'),
      (e: unknown) => this.#o.say(`${label} could not take part: ${e instanceof Error ? e.message : String(e)}`, 'warning'),
    );
    peer.outbox.send({ k: 'welcome', setup: this.#o.setupFor(index), file: m.fileHash === null ? this.#o.file : null, fileHash: this.#o.fileHash, scenarioFile: this.#o.scenarioFile, masterBrokerOffsetMs: this.#brokerOffsetMs });
  }

  #refuse(peer: Peer, why: string): void {
    this.#o.say(`refused ${peer.info.label}: ${why}`, 'warning');
    peer.outbox.send({ k: 'refuse', message: `the master refused this worker: ${why}` });
    peer.gone = true;
  }

  /** The peer as the WorkerUserHost sees it. */
  #channel(peer: Peer): WorkerChannel {
    return {
      label: peer.info.label,
      post: (m: MainToWorker) => {
        if (!peer.gone) peer.outbox.send({ k: 'run', m });
      },
      listen: (onMessage, onLost) => {
        peer.onMessage = onMessage;
        peer.onLost = onLost;
      },
      close: () =>
        new Promise<void>((resolve) => {
          if (peer.gone) return resolve();
          const t = setTimeout(resolve, WORKER_EXIT_WAIT_MS);
          peer.whenGone.push(() => {
            clearTimeout(t);
            resolve();
          });
          peer.leaving = true;
          peer.outbox.send({ k: 'run', m: { type: 'exit' } });
        }),
    };
  }

  #gone(peer: Peer, why: string): void {
    if (peer.gone) return;
    peer.gone = true;
    for (const f of peer.whenGone.splice(0)) f();
    // A worker that leaves while the run goes on is lost (its users start again elsewhere).
    if (!this.#closing && !peer.leaving) {
      this.lost++;
      peer.onLost?.(null, why);
    }
  }

  /** Twice a second: the master's lease, acks and resends to each worker, and each worker's lease checked. */
  #tick(): void {
    const redis = this.#conn.redis;
    redis.set(this.#keys.current, this.#nonce, 'PX', LEASE_MS).catch(() => undefined);
    const live = [...this.#peers.values()].filter((p) => !p.gone);
    for (const p of live) p.outbox.tick();
    // After a broker restart every lease is gone until its worker refreshes it: judge none before then.
    if (this.#conn.upForMs() < LEASE_MS + LEASE_REFRESH_MS || live.length === 0) return;
    const pipeline = redis.pipeline();
    for (const p of live) pipeline.exists(this.#keys.lease(this.#nonce, p.id));
    void pipeline.exec().then((results) => {
      results?.forEach(([error, exists], i) => {
        const p = live[i];
        if (p && error === null && exists === 0) this.#gone(p, `sent no heartbeat for ${LEASE_MS / 1000} s`);
      });
    }, () => undefined);
  }
}

/** Deletes the keys matching `pattern` (SCAN, so a busy shared broker is never blocked as by KEYS). */
async function deleteMatching(conn: BrokerConnection, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await conn.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await conn.redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A second master for a run id that has a live one. */
export function anotherMaster(runId: string, brokerShown: string): ConfigError {
  return new ConfigError('BAD_ARGUMENT', `another master is running run "${runId}" on the broker ${brokerShown}: wait for it to end, or give this one another --run-id`);
}
