/**
 * Distributed runs (issue 19), two measurements against a peer in the same session:
 *
 * 1. Throughput: master + 2 --worker processes vs one local run with --processes 2, the same test,
 *    users and duration against the same target. Generators (and the broker) share CPU 0, the target
 *    has CPU 1, so both sides have one core to send with: the ratio is what coordinating through
 *    the broker costs (goal ≥ 0.9). Counts are checked against the target's in both.
 * 2. The master's merge cost: 100 simulated workers (bench/fake-workers.ts, their own process) each
 *    send a 50-endpoint snapshot every 500 ms into the real broker; the master's parts (RemoteMaster,
 *    WorkerUserHost, StatsRegistry, a history roll every second) run here. Prints the master's CPU
 *    share and the merge lag (a snapshot taken → merged), goal: under half a core, lag under one
 *    interval.
 *
 *   node dist/bench/distributed.js [--duration 15 --rounds 2 --users 50] [--workers 100 --endpoints 50 --merge-secs 20]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseBrokerUrl } from '../src/broker/broker-url.js';
import { RemoteMaster } from '../src/runner/remote/remote-master.js';
import { WorkerUserHost } from '../src/runner/workers/worker-user-host.js';
import type { WorkerSetup } from '../src/runner/workers/worker-protocol.js';
import { StatsRegistry } from '../src/stats/registry.js';
import type { StatsSnapshot } from '../src/stats/types.js';
import { argNumber, median } from './bench-args.js';
import { REPO_ROOT, runBrood } from './brood-process.js';
import { pinned, tasksetAvailable } from './pinning.js';
import { startRedisProcess } from './redis-process.js';
import { startTarget } from './target-process.js';

const duration = argNumber('--duration', 15);
const rounds = argNumber('--rounds', 2);
const users = argNumber('--users', 50);
const fakeCount = argNumber('--workers', 100);
const endpoints = argNumber('--endpoints', 50);
const mergeSecs = argNumber('--merge-secs', 20);
const taskset = tasksetAvailable();
const fixture = fileURLToPath(new URL('../../bench/fixtures/throughput-user.mjs', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/run-load-tests.js', import.meta.url));

/** A --worker process pinned to CPU 0; resolves its exit when the run ends. */
function startWorker(broker: string): { child: ChildProcess; exited: Promise<number | null> } {
  const [cmd, argv] = pinned(0, process.execPath, [BIN, '--worker', '--broker', broker], taskset);
  const child = spawn(cmd, argv, { cwd: REPO_ROOT, stdio: 'ignore' });
  return { child, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}

async function throughput(): Promise<void> {
  const target = await startTarget({ cpu: taskset ? 1 : null, taskset });
  const redis = await startRedisProcess(taskset ? 0 : null, taskset);
  const rps: Record<'local' | 'distributed', number[]> = { local: [], distributed: [] };
  const common = ['-f', fixture, '-H', target.url, '-u', String(users), '-r', '1000', '-t', `${duration}s`, '--seed', '1'];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const kind of ['local', 'distributed'] as const) {
        const before = await target.count();
        const workers = kind === 'distributed' ? [startWorker(redis.url), startWorker(redis.url)] : [];
        const args = kind === 'local' ? [...common, '--processes', '2'] : [...common, '--master', '--broker', redis.url, '--expect-workers', '2'];
        const r = await runBrood({ args, cpu: taskset ? 0 : null, taskset });
        await Promise.all(workers.map((w) => w.exited));
        const served = (await target.count()) - before;
        if (r.json.summary.total_operations !== served) throw new Error(`${kind}: brood reported ${r.json.summary.total_operations} requests, the target served ${served}`);
        const perSec = served / r.json.summary.duration_secs;
        rps[kind].push(perSec);
        console.log(`round ${round} ${kind === 'local' ? 'local --processes 2   ' : 'master + 2 --workers  '}: ${perSec.toFixed(0)} req/s (${served} requests, counts exact)`);
      }
    }
  } finally {
    await redis.stop();
    await target.stop();
  }
  const ratio = median(rps.distributed) / median(rps.local);
  console.log(`median req/s: local ${median(rps.local).toFixed(0)}, distributed ${median(rps.distributed).toFixed(0)}; ratio distributed/local ${ratio.toFixed(3)} (goal >= 0.9)`);
}

/** The master's side alone, fed by `fakeCount` simulated workers through the real broker. */
async function mergeCost(): Promise<void> {
  const redis = await startRedisProcess(null, false);
  const lags: number[] = [];
  const stats = new StatsRegistry(() => Date.now());
  const merge = stats.mergeSnapshot.bind(stats);
  stats.mergeSnapshot = (s: StatsSnapshot): void => {
    merge(s);
    lags.push(Date.now() - s.takenWallMs);
  };
  const host = new WorkerUserHost(stats, {}, { classNames: ['U'], placement: 'fewest-users', replaceLostUsers: true });
  const master = await RemoteMaster.open({
    broker: parseBrokerUrl(redis.url, '--broker'),
    runId: 'bench',
    file: null,
    fileHash: null,
    scenarioFile: null,
    setupFor: (index) => ({ index }) as unknown as WorkerSetup, // the simulated workers read nothing of it
    host,
    say: () => undefined,
  });
  const fakes = spawn(process.execPath, [fileURLToPath(new URL('./fake-workers.js', import.meta.url)), '--broker', redis.url, '--run-id', 'bench', '--workers', String(fakeCount), '--endpoints', String(endpoints)], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await master.waitForWorkers(fakeCount, 120_000);
    // Warm-up: the first seconds pay for JIT and connections.
    await new Promise((r) => setTimeout(r, 3000));
    lags.length = 0;
    const roll = setInterval(() => stats.rollInterval(Math.floor(Date.now() / 1000), fakeCount), 1000);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, mergeSecs * 1000));
    const used = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    clearInterval(roll);
    const share = (used.user + used.system) / 1000 / wall;
    const sorted = [...lags].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
    console.log(`merge: ${fakeCount} workers x ${endpoints} endpoints every 500 ms: ${lags.length} snapshots merged in ${(wall / 1000).toFixed(1)} s (${((lags.length * 1000) / wall).toFixed(0)}/s)`);
    console.log(`master CPU ${(share * 100).toFixed(1)} % of one core (goal < 50 %); merge lag p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted.at(-1) ?? Number.NaN} ms (goal < 500 ms)`);
  } finally {
    fakes.kill('SIGKILL');
    await host.close().catch(() => undefined);
    await master.close();
    await redis.stop();
  }
}

console.log(`distributed: ${users} users, ${duration}s per run, ${rounds} rounds; generators and broker on CPU 0, target on CPU 1 (${taskset ? 'pinned' : 'not pinned: taskset unavailable'}); node ${process.version}`);
await throughput();
await mergeCost();
