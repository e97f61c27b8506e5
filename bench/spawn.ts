/**
 * Target 3 of issue 5: 10 000 users at a spawn rate of 5 000/s against a sub-millisecond server
 * (bench/target-server.ts on CPU 1; brood on CPU 0). Checks that
 *  - users start evenly: the spawn timeline (User Count per second in stats_history) is a ramp,
 *    and the target's new connections per 100 ms show no bursts (max bucket / mean bucket);
 *  - the first request of each user (all sent during the ramp) is not slowed by the spawning:
 *    p50 of the "first" requests vs the steady-state p50 (interval p50 of the "steady" requests once
 *    the ramp is over), ratio target <= 2.
 *
 * Variants, each in the same run against the same target:
 *  - brood (with its JIT warm-up, the default), brood --no-warm-up, and the peer: a bare undici
 *    script with the same ramp and no user model (bench/spawn-peer.ts);
 *  - pinned two ways: `all` (every thread of the generator on CPU 0, as the throughput bench) and
 *    `main` (only the generator's main thread on CPU 0; V8's GC helper threads may use either
 *    core, as they do on any machine with a core to spare).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/spawn.js [--users 10000] [--spawn-rate 5000] [--steady 6] [--pin all|main|both]
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argNumber, argString, median } from './bench-args.js';
import { REPO_ROOT, runBrood } from './brood-process.js';
import { pinned, tasksetAvailable } from './pinning.js';
import { startTarget, type TargetProcess } from './target-process.js';

function evenness(buckets: readonly number[], expectedPerBucket: number): { max: number; mean: number; ratio: number } {
  // The first and last 100 ms buckets are partial; judge the ones in between.
  const inner = buckets.slice(1, -1);
  const mean = inner.reduce((a, b) => a + b, 0) / Math.max(1, inner.length);
  const max = Math.max(0, ...inner);
  return { max, mean, ratio: max / Math.max(1, expectedPerBucket) };
}

type PinMode = 'all' | 'main';

interface SpawnFigures {
  firstP50: number;
  steadyP50: number;
  /** Busiest 100 ms of new connections at the target / the expected count per 100 ms. */
  burst: number;
  detail: string;
}

/**
 * `main` pinning: the process starts on CPU 0 with all its threads, then every thread but the main
 * one (V8's platform workers exist from start-up) is let onto both cores. Threads the main thread
 * creates later inherit CPU 0.
 */
function freeHelperThreads(pid: number): void {
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`).filter((t) => t !== String(pid));
  } catch {
    return;
  }
  for (const tid of tids) spawnSync('taskset', ['-p', '-c', '0,1', tid], { stdio: 'ignore' });
}

async function broodVariant(target: TargetProcess, users: number, rate: number, steadySec: number, pin: PinMode, warmUp: boolean, taskset: boolean): Promise<SpawnFigures> {
  const rampSec = users / rate;
  const r = await runBrood({
    args: ['-f', join(REPO_ROOT, 'bench', 'fixtures', 'spawn-user.mjs'), '-H', target.url, '-u', String(users), '-r', String(rate),
      '-t', `${Math.ceil(rampSec + steadySec)}s`, '--csv-full-history', '--stop-timeout', '0', '--seed', '1', ...(warmUp ? [] : ['--no-warm-up'])],
    cpu: 0,
    taskset,
    onSpawn: (pid) => {
      if (pin === 'main' && taskset) setTimeout(() => freeHelperThreads(pid), 60);
    },
  });
  const timeline = await target.connectionTimeline();
  const agg = r.history.filter((h) => h.Name === 'Aggregated');
  const counts = agg.map((h) => Number(h['User Count']));
  const even = evenness(timeline, rate / 10);
  const firstP50 = r.json.latency['GET first']?.p50 ?? Number.NaN;
  const rampEndTs = (Number(agg[0]?.Timestamp ?? 0)) + Math.ceil(rampSec) + 1;
  const steadyRows = r.history.filter((h) => h.Name === 'steady' && Number(h.Timestamp) > rampEndTs && Number(h['Requests/s']) > 0);
  const steadyP50 = median(steadyRows.map((h) => Number(h['50%'])));
  const detail = `User Count per 1 s: ${counts.join(' ')}; new connections per 100 ms: ${timeline.join(' ')}; failures ${r.json.summary.total_failures}`;
  return { firstP50, steadyP50, burst: even.ratio, detail };
}

async function peerVariant(target: TargetProcess, users: number, rate: number, steadySec: number, pin: PinMode, taskset: boolean): Promise<SpawnFigures> {
  const script = fileURLToPath(new URL('./spawn-peer.js', import.meta.url));
  const [cmd, argv] = pinned(0, process.execPath, [script, '--url', target.url, '--users', String(users), '--spawn-rate', String(rate), '--steady', String(steadySec)], taskset);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (pin === 'main' && taskset && child.pid) setTimeout(() => freeHelperThreads(child.pid as number), 60);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`spawn peer exited ${code}`);
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { firstP50: number; steadyP50: number };
  const timeline = await target.connectionTimeline();
  return { firstP50: r.firstP50, steadyP50: r.steadyP50, burst: evenness(timeline, rate / 10).ratio, detail: `new connections per 100 ms: ${timeline.join(' ')}` };
}

async function main(): Promise<void> {
  const users = argNumber('--users', 10_000);
  const rate = argNumber('--spawn-rate', 5000);
  const steadySec = argNumber('--steady', 6);
  const pinArg = argString('--pin', 'both');
  const pins: PinMode[] = pinArg === 'all' ? ['all'] : pinArg === 'main' ? ['main'] : ['all', 'main'];
  const taskset = tasksetAvailable();
  const rampSec = users / rate;
  console.log(`spawn: ${users} users at ${rate}/s (ramp ${rampSec.toFixed(1)} s) against a sub-millisecond target on CPU 1, think time 0.5-1.5 s, node ${process.version}`);
  let headline: SpawnFigures | null = null;
  for (const pin of pins) {
    // Each variant gets a fresh target, so its connection timeline is its own.
    const variants: Array<[string, (target: TargetProcess) => Promise<SpawnFigures>]> = [
      ['brood', (t) => broodVariant(t, users, rate, steadySec, pin, true, taskset)],
      ['brood --no-warm-up', (t) => broodVariant(t, users, rate, steadySec, pin, false, taskset)],
      ['bare undici peer', (t) => peerVariant(t, users, rate, steadySec, pin, taskset)],
    ];
    console.log(`pinning "${pin}": ${pin === 'all' ? 'every generator thread on CPU 0' : 'the generator\'s main thread on CPU 0, its GC helper threads on either core'}`);
    for (const [name, run] of variants) {
      const target = await startTarget({ cpu: 1, taskset });
      try {
        const f = await run(target);
        headline ??= f;
        console.log(`  ${name.padEnd(19)} first-request p50 ${f.firstP50.toFixed(3).padStart(8)} ms, steady p50 ${f.steadyP50.toFixed(3)} ms: ratio ${(f.firstP50 / f.steadyP50).toFixed(2).padStart(7)}; burst ratio ${f.burst.toFixed(2)}`);
        console.log(`    ${f.detail}`);
      } finally {
        await target.stop();
      }
    }
  }
  if (headline) {
    console.log(`ratio first-request p50 / steady p50: ${(headline.firstP50 / headline.steadyP50).toFixed(2)} (brood, pinning "${pins[0]}"; target <= 2); burst ratio ${headline.burst.toFixed(2)}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
