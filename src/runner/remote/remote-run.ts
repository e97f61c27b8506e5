import { RemoteMaster } from './remote-master.js';
import { WorkerUserHost, type WorkerCallbacks } from '../workers/worker-user-host.js';
import type { WorkerSetup } from '../workers/worker-protocol.js';
import type { JobDistributed } from '../job/job-setup.js';
import type { RunWorkerInfo } from '../../report/run-info.js';
import type { StatsRegistry } from '../../stats/registry.js';

/** What the master's side is started with: the job's stats, the workers' callbacks, each worker's part of the run. */
export interface RemoteRunStart {
  stats: StatsRegistry;
  callbacks: WorkerCallbacks;
  classNames: readonly string[];
  setupFor(index: number): WorkerSetup;
}

/**
 * The master side of a distributed run (--master) for a job: the WorkerUserHost its users are placed
 * through (the fewest-users worker; a lost worker's users start again on the others) and the
 * broker's RemoteMaster under it; the broker watched for --broker-timeout.
 */
/** A worker of a distributed run as the live page shows it. */
export interface LiveWorker {
  id: string;
  host: string;
  users: number;
  cpuPercent: number;
  /** Milliseconds since the master last heard from it. */
  sinceHeardMs: number;
  lost: boolean;
}

export class RemoteRun {
  readonly host: WorkerUserHost;
  readonly #master: RemoteMaster;
  readonly #d: JobDistributed;
  readonly #watch: NodeJS.Timeout;
  #lastCpuWarnMs = Number.NEGATIVE_INFINITY;
  /** Why the broker ended the run (unreachable too long), or null. */
  brokerLost: string | null = null;

  private constructor(host: WorkerUserHost, master: RemoteMaster, d: JobDistributed, stop: (reason: string) => void, say: (line: string, level: 'info' | 'warning') => void) {
    this.host = host;
    this.#master = master;
    this.#d = d;
    this.#watch = setInterval(() => {
      const down = master.brokerDownMs();
      if (down <= d.brokerTimeoutMs || this.brokerLost !== null) return;
      this.brokerLost = `the broker ${master.brokerShown} was unreachable for ${Math.round(down / 1000)} s (--broker-timeout ${Math.round(d.brokerTimeoutMs / 1000)}s)`;
      say(`error: ${this.brokerLost}: stopping the run`, 'warning');
      // Nothing more can come from the workers: their users end here (each worker stops its own on the same timeout).
      host.abandonAll(this.brokerLost);
      stop(this.brokerLost);
    }, 1000);
  }

  /** Connects to the broker and waits for --expect-workers workers (one line and exit 2 when they do not come). */
  static async start(start: RemoteRunStart, d: JobDistributed, stop: (reason: string) => void, say: (line: string, level: 'info' | 'warning') => void): Promise<RemoteRun> {
    const host: WorkerUserHost = new WorkerUserHost(start.stats, start.callbacks, {
      classNames: start.classNames,
      placement: 'fewest-users',
      replaceLostUsers: true,
      onWorkerLost: (label, users, why) => say(`warning: ${label} lost (${why}): its ${users} users start again on the other ${host.readyCount()} worker${host.readyCount() === 1 ? '' : 's'}`, 'warning'),
    });
    const master = await RemoteMaster.open({
      broker: d.broker,
      runId: d.runId,
      file: d.file,
      fileHash: d.fileHash,
      scenarioFile: d.scenarioFile,
      setupFor: (index) => start.setupFor(index),
      host,
      say,
    });
    try {
      await master.waitForWorkers(d.expectWorkers, d.expectWorkersMaxWaitMs);
    } catch (e: unknown) {
      await host.close();
      await master.close();
      throw e;
    }
    say(`Users run in ${host.readyCount()} workers through ${master.brokerShown}`, 'info');
    return new RemoteRun(host, master, d, stop, say);
  }

  /** Workers lost while the run went on. */
  get lost(): number {
    return this.#master.lost;
  }

  /** The run is judged as failed for its workers: one was lost (unless --allow-worker-loss), or the broker. */
  get failed(): boolean {
    return this.brokerLost !== null || (this.#master.lost > 0 && !this.#d.allowWorkerLoss);
  }

  /** Each worker that took part, as the reports show it. */
  workers(): RunWorkerInfo[] {
    const infos = this.#master.workers();
    return this.host.totals().map((t) => {
      const info = infos.find((i) => i.label === t.label);
      return { id: info?.id ?? t.label, host: info?.host ?? '', pid: info?.pid ?? 0, users: t.peakUsers, requests: t.requests, cpu_percent: info?.cpuPercent ?? 0, lost: !t.alive };
    });
  }

  /** Each worker as the live web page shows it: users now, CPU, how long since it was heard from. */
  liveWorkers(nowMs: number): LiveWorker[] {
    const infos = this.#master.workers();
    const users = new Map(this.host.usersByWorker().map((u) => [u.label, u.users]));
    return infos.map((w) => ({ id: w.id, host: w.host, users: users.get(w.label) ?? 0, cpuPercent: w.cpuPercent, sinceHeardMs: Math.max(0, nowMs - w.heardAtMs), lost: !w.alive }));
  }

  /** The live line's workers part: "2 workers: web-1 (pid 7) 50 users 35 % CPU, …". */
  liveLine(): string {
    const infos = this.#master.workers().filter((w) => w.alive);
    const users = new Map(this.host.usersByWorker().map((u) => [u.label, u.users]));
    const parts = infos.filter((w) => users.has(w.label)).map((w) => `${w.host} (pid ${w.pid}) ${users.get(w.label) ?? 0} users ${w.cpuPercent} % CPU`);
    return `Workers: ${parts.length}${this.lost > 0 ? ` (${this.lost} lost)` : ''}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
  }

  /**
   * Each history interval: a worker above 90 % CPU (as the master's self-monitor judges its own
   * process) is named, at most once per 10 s: its latencies include its own queueing.
   */
  cpuWarning(nowMs: number): string | null {
    if (nowMs - this.#lastCpuWarnMs < 10_000) return null;
    const line = hotWorkersLine(this.#master.workers());
    if (line !== null) this.#lastCpuWarnMs = nowMs;
    return line;
  }

  /** After the run: every worker told to exit (and waited for, bounded), then the broker left. */
  async close(): Promise<void> {
    clearInterval(this.#watch);
    await this.host.close();
    await this.#master.close();
  }
}

/** The warning for workers in the run above 90 % CPU (as the master judges its own process), or null when none is. */
export function hotWorkersLine(workers: ReadonlyArray<{ label: string; cpuPercent: number; alive: boolean }>): string | null {
  const hot = workers.filter((w) => w.alive && w.cpuPercent > 90);
  if (hot.length === 0) return null;
  return `warning: ${hot.map((w) => `${w.label} at ${w.cpuPercent} % CPU`).join(', ')}: the load generator is the bottleneck there and its latencies include its own queueing; add workers (or --processes on a worker with more cores)`;
}
