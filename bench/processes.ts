/**
 * Multi-core (issue 5, target 5): on this 2-core box, brood with --processes 2 against a target on
 * the other core must not lose throughput versus --processes 1 (it has only one core to work with
 * either way: this shows the worker split and the exact stats merge cost nothing). A B A B, same
 * target, same pinning; prints req/s per round and the median ratio 2/1. Peer: the 1-process run.
 *
 * `--model open --rate R`: the same comparison for the open model (`--target-rate R`): achieved rate,
 * dropped arrivals, latency from the scheduled start, and the main thread's CPU per arrival — the
 * coordinator's cost, which bounds how many arrivals/s the main thread can hand to 16+ workers.
 *
 *   node dist/bench/processes.js [--duration 10 --rounds 2 --users 50] [--model open --rate 5000]
 */
import { argNumber, argString, median } from './bench-args.js';
import { runBrood } from './brood-process.js';
import { tasksetAvailable } from './pinning.js';
import { startTarget } from './target-process.js';

const duration = argNumber('--duration', 10);
const rounds = argNumber('--rounds', 2);
const users = argNumber('--users', 50);
const model = argString('--model', 'closed');
const rate = argNumber('--rate', 5000);
const taskset = tasksetAvailable();
const fixture = new URL('../../bench/fixtures/throughput-user.mjs', import.meta.url).pathname;

/**
 * Main-thread CPU per arrival over the steady middle of a run (40 %–90 % of its wall time), so
 * start-up (module loading, worker start) is not charged to the arrivals.
 */
function steadyMainUsPerArrival(samples: ReadonlyArray<[number, number]>, wallMs: number): number {
  const from = samples.find(([ms]) => ms >= wallMs * 0.4);
  const to = [...samples].reverse().find(([ms]) => ms <= wallMs * 0.9);
  if (!from || !to || to[0] <= from[0]) return Number.NaN;
  return ((to[1] - from[1]) * 1e6) / ((rate * (to[0] - from[0])) / 1000);
}

const target = await startTarget({ cpu: taskset ? 1 : null, taskset });
const rps: Record<1 | 2, number[]> = { 1: [], 2: [] };
const mainUsPerArrival: number[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    for (const processes of [1, 2] as const) {
      const before = await target.count();
      const r = await runBrood({
        args: ['-f', fixture, '-H', target.url, ...(model === 'open' ? ['--target-rate', String(rate)] : ['-u', String(users), '-r', '1000']), '-t', `${duration}s`, '--seed', '1', '--processes', String(processes)],
        cpu: taskset ? 0 : null,
        taskset,
      });
      const served = (await target.count()) - before;
      const reported = r.json.summary.total_operations;
      if (reported !== served) throw new Error(`--processes ${processes}: brood reported ${reported} requests, the target served ${served}`);
      rps[processes].push(served / r.json.summary.duration_secs);
      const line = `round ${round} --processes ${processes}: ${(served / r.json.summary.duration_secs).toFixed(0)} req/s (${served} requests, counts exact)`;
      if (model !== 'open') {
        console.log(line);
        continue;
      }
      const open = (r.json as unknown as { open_model: { dispatched: number; dropped: number; pool_size: number } }).open_model;
      const latency = r.json.latency['overall'];
      const mainUs = steadyMainUsPerArrival(r.mainThreadSamples, r.wallMs);
      if (processes === 2) mainUsPerArrival.push(mainUs);
      console.log(`${line}; ${open.dispatched} arrivals, ${open.dropped} dropped, pool ${open.pool_size}; latency p50 ${latency?.p50} ms p99 ${latency?.p99} ms; ` +
        `CPU ${((r.cpuSec * 1e6) / Math.max(1, served)).toFixed(1)} µs/request; main thread ${mainUs.toFixed(1)} µs per arrival (steady part)`);
    }
  }
} finally {
  await target.stop();
}
if (model === 'open') {
  const us = median(mainUsPerArrival);
  console.log(`open model at ${rate}/s: main thread ${us.toFixed(1)} µs per arrival with --processes 2 (schedule, class choice, messages, recording; start-up excluded): one coordinating core keeps up with ~${Math.round(1e6 / us)} arrivals/s at this batch size`);
}
console.log(`median: 1 process ${median(rps[1]).toFixed(0)} req/s, 2 processes ${median(rps[2]).toFixed(0)} req/s; ratio 2/1 ${(median(rps[2]) / median(rps[1])).toFixed(2)} (target: no loss, >= ~0.95)`);
