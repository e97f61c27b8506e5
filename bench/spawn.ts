/**
 * Target 3 of issue 5: 10 000 users at a spawn rate of 5 000/s against a sub-millisecond server
 * (bench/target-server.ts on CPU 1; brood on CPU 0). Checks that
 *  - users start evenly: the spawn timeline (User Count per second in stats_history) is a ramp,
 *    and the target's new connections per 100 ms show no bursts (max bucket / mean bucket);
 *  - the first request of each user (all sent during the ramp) is not slowed by the spawning:
 *    p50 of the "first" requests vs the steady-state p50 (interval p50 of the "steady" requests once
 *    the ramp is over), ratio target <= 2.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/spawn.js [--users 10000] [--spawn-rate 5000] [--steady 6]
 */
import { join } from 'node:path';
import { argNumber, median } from './bench-args.js';
import { REPO_ROOT, runBrood } from './brood-process.js';
import { tasksetAvailable } from './pinning.js';
import { startTarget } from './target-process.js';

function evenness(buckets: readonly number[], expectedPerBucket: number): { max: number; mean: number; ratio: number } {
  // The first and last 100 ms buckets are partial; judge the ones in between.
  const inner = buckets.slice(1, -1);
  const mean = inner.reduce((a, b) => a + b, 0) / Math.max(1, inner.length);
  const max = Math.max(0, ...inner);
  return { max, mean, ratio: max / Math.max(1, expectedPerBucket) };
}

async function main(): Promise<void> {
  const users = argNumber('--users', 10_000);
  const rate = argNumber('--spawn-rate', 5000);
  const steadySec = argNumber('--steady', 6);
  const taskset = tasksetAvailable();
  const target = await startTarget({ cpu: 1, taskset });
  const rampSec = users / rate;
  console.log(`spawn: ${users} users at ${rate}/s (ramp ${rampSec.toFixed(1)} s) against a sub-millisecond target, think time 0.5-1.5 s, node ${process.version}`);
  try {
    const r = await runBrood({
      args: ['-f', join(REPO_ROOT, 'bench', 'fixtures', 'spawn-user.mjs'), '-H', target.url, '-u', String(users), '-r', String(rate),
        '-t', `${Math.ceil(rampSec + steadySec)}s`, '--csv-full-history', '--stop-timeout', '0', '--seed', '1'],
      cpu: 0,
      taskset,
    });
    const timeline = await target.connectionTimeline();
    const agg = r.history.filter((h) => h.Name === 'Aggregated');
    const counts = agg.map((h) => Number(h['User Count']));
    console.log(`  spawn timeline (User Count at each 1 s interval of stats_history): ${counts.join(' ')}`);
    const steps = counts.map((c, i) => c - (counts[i - 1] ?? 0)).filter((d) => d > 0);
    const maxStep = Math.max(0, ...steps);
    console.log(`  largest 1 s step ${maxStep} users (spawn rate ${rate}/s: a ramp when <= ~${Math.ceil(rate * 1.1)})`);
    const even = evenness(timeline, rate / 10);
    console.log(`  new connections per 100 ms at the target: ${timeline.join(' ')}`);
    console.log(`  busiest 100 ms ${even.max} vs ${rate / 10} expected (mean ${even.mean.toFixed(0)}): burst ratio ${even.ratio.toFixed(2)} (1.00 = perfectly even)`);
    const firstP50 = r.json.latency['GET first']?.p50 ?? Number.NaN;
    const rampEndTs = (Number(agg[0]?.Timestamp ?? 0)) + Math.ceil(rampSec) + 1;
    const steadyRows = r.history.filter((h) => h.Name === 'steady' && Number(h.Timestamp) > rampEndTs && Number(h['Requests/s']) > 0);
    const steadyP50 = median(steadyRows.map((h) => Number(h['50%'])));
    console.log(`  first requests (during the ramp): p50 ${firstP50.toFixed(3)} ms; steady state (${steadyRows.length} intervals after the ramp): p50 ${steadyP50.toFixed(3)} ms`);
    console.log(`ratio first-request p50 / steady p50: ${(firstP50 / steadyP50).toFixed(2)} (target <= 2); burst ratio ${even.ratio.toFixed(2)}; failures ${r.json.summary.total_failures}`);
  } finally {
    await target.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
