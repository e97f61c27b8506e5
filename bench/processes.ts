/**
 * Multi-core (issue 5, target 5): on this 2-core box, brood with --processes 2 against a target on
 * the other core must not lose throughput versus --processes 1 (it has only one core to work with
 * either way: this shows the worker split and the exact stats merge cost nothing). A B A B, same
 * target, same pinning; prints req/s per round and the median ratio 2/1. Peer: the 1-process run.
 *
 *   node dist/bench/processes.js [--duration 10 --rounds 2 --users 50]
 */
import { argNumber, median } from './bench-args.js';
import { runBrood } from './brood-process.js';
import { tasksetAvailable } from './pinning.js';
import { startTarget } from './target-process.js';

const duration = argNumber('--duration', 10);
const rounds = argNumber('--rounds', 2);
const users = argNumber('--users', 50);
const taskset = tasksetAvailable();
const fixture = new URL('../../bench/fixtures/throughput-user.mjs', import.meta.url).pathname;

const target = await startTarget({ cpu: taskset ? 1 : null, taskset });
const rps: Record<1 | 2, number[]> = { 1: [], 2: [] };
try {
  for (let round = 1; round <= rounds; round++) {
    for (const processes of [1, 2] as const) {
      const before = await target.count();
      const r = await runBrood({
        args: ['-f', fixture, '-H', target.url, '-u', String(users), '-r', '1000', '-t', `${duration}s`, '--seed', '1', '--processes', String(processes)],
        cpu: taskset ? 0 : null,
        taskset,
      });
      const served = (await target.count()) - before;
      const reported = r.json.summary.total_operations;
      if (reported !== served) throw new Error(`--processes ${processes}: brood reported ${reported} requests, the target served ${served}`);
      const rate = served / r.json.summary.duration_secs;
      rps[processes].push(rate);
      console.log(`round ${round} --processes ${processes}: ${rate.toFixed(0)} req/s (${served} requests, counts exact)`);
    }
  }
} finally {
  await target.stop();
}
console.log(`median: 1 process ${median(rps[1]).toFixed(0)} req/s, 2 processes ${median(rps[2]).toFixed(0)} req/s; ratio 2/1 ${(median(rps[2]) / median(rps[1])).toFixed(2)} (target: no loss, >= ~0.95)`);
