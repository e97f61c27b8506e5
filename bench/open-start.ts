/**
 * The open model's steep start (issue 5): at 10 000 arrivals/s every early arrival finds no idle
 * user, and each new user's connection costs ~150 µs of CPU: more than one core can do, so the
 * pool spirals towards its bound, arrivals are dropped and the first second's latency is the
 * generator's. `--pre-allocated-users N` makes N users and opens their connections before the
 * clock starts. A B A B against the same target, same pinning: without (the peer) and with it;
 * prints dropped arrivals, the first second's P99 (from each scheduled start) against the steady
 * seconds' P99, and new connections at the target.
 *
 *   node dist/bench/open-start.js [--rate 10000 --duration 5 --rounds 2 --pre-allocated 1000 --processes 1 --delay-ms 0 --no-warm-up]
 */
import { argNumber, hasFlag, median } from './bench-args.js';
import { runBrood } from './brood-process.js';
import { tasksetAvailable } from './pinning.js';
import { startTarget } from './target-process.js';

const rate = argNumber('--rate', 10_000);
const duration = argNumber('--duration', 5);
const rounds = argNumber('--rounds', 2);
const preAllocated = argNumber('--pre-allocated', 1000);
const processes = argNumber('--processes', 1);
/** The target's answer delay: rate × delay users are busy at any time, so that many connections are needed at once. */
const delayMs = argNumber('--delay-ms', 0);
const warmUp = !hasFlag('--no-warm-up');
const taskset = tasksetAvailable();
const fixture = new URL('../../bench/fixtures/throughput-user.mjs', import.meta.url).pathname;

interface Window {
  startSec: number;
  dropped: number;
  scheduled: number;
  p99Ms: number | null;
}
interface OpenJson {
  open_model: { dispatched: number; dropped: number; pool_size: number; windows: Window[] };
}

const target = await startTarget({ cpu: taskset ? 1 : null, taskset, delayMs });
const figures: Record<'without' | 'with', { dropped: number[]; firstP99: number[]; steadyP99: number[]; connections: number[] }> = {
  without: { dropped: [], firstP99: [], steadyP99: [], connections: [] },
  with: { dropped: [], firstP99: [], steadyP99: [], connections: [] },
};
try {
  for (let round = 1; round <= rounds; round++) {
    for (const mode of ['without', 'with'] as const) {
      const before = await target.count();
      const connectionsBefore = await target.accepted();
      const r = await runBrood({
        args: ['-f', fixture, '-H', target.url, '--target-rate', String(rate), '-t', `${duration}s`, '--window', '1s', '--seed', '1', '--processes', String(processes), ...(warmUp ? [] : ['--no-warm-up']),
          ...(mode === 'with' ? ['--pre-allocated-users', String(preAllocated)] : [])],
        cpu: taskset ? 0 : null,
        taskset,
      });
      const served = (await target.count()) - before;
      if (r.json.summary.total_operations !== served) throw new Error(`${mode}: brood reported ${r.json.summary.total_operations} operations, the target served ${served}`);
      const open = (r.json as unknown as OpenJson).open_model;
      const [first, ...rest] = open.windows;
      const firstP99 = first?.p99Ms ?? Number.NaN;
      const steadyP99 = median(rest.map((w) => w.p99Ms ?? Number.NaN).filter(Number.isFinite));
      // The reachability probe's connection included (one per run).
      const connections = (await target.accepted()) - connectionsBefore;
      const f = figures[mode];
      f.dropped.push(open.dropped);
      f.firstP99.push(firstP99);
      f.steadyP99.push(steadyP99);
      f.connections.push(connections);
      console.log(`round ${round} ${mode === 'with' ? `--pre-allocated-users ${preAllocated}` : 'no pre-allocation'}: ${open.dispatched} arrivals, ${open.dropped} dropped ` +
        `(${first?.dropped ?? 0} in the first second), pool ${open.pool_size}; P99 first second ${firstP99.toFixed(2)} ms, steady seconds ${steadyP99.toFixed(2)} ms; ${connections} connections at the target`);
    }
  }
} finally {
  await target.stop();
}
const w = figures.without;
const p = figures.with;
const describe = (f: typeof w): string =>
  `${median(f.dropped)} dropped, connections ${median(f.connections)}, first-second P99 ${median(f.firstP99).toFixed(2)} ms / steady P99 ${median(f.steadyP99).toFixed(2)} ms = ${(median(f.firstP99) / median(f.steadyP99)).toFixed(2)}`;
console.log(`median at ${rate}/s, --processes ${processes}, target delay ${delayMs} ms: without pre-allocation ${describe(w)}; with --pre-allocated-users ${preAllocated}: ${describe(p)}`);
