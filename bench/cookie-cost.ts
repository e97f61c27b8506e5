/**
 * What a session cookie costs per request (issue 15: ≤ 1.15× the CPU per request without one).
 * The same brood run (bench/fixtures/throughput-user.mjs: 50 users, zero think time, a keep-alive
 * connection each) against two targets that differ only in one header: the peer answers plainly,
 * the other sets the same `sid` cookie on every response, so each user stores it and sends it back
 * on every request. A B A B, same pinning; generator CPU per request over the steady window.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/cookie-cost.js [--duration 15] [--rounds 2] [--connections 50]
 */
import { join } from 'node:path';
import { argNumber, median } from './bench-args.js';
import { REPO_ROOT, runBrood } from './brood-process.js';
import { tasksetAvailable } from './pinning.js';
import { measureWindow, type SteadyWindow } from './steady-window.js';
import { startTarget, type TargetProcess } from './target-process.js';

type Kind = 'plain' | 'cookie';

async function round(target: TargetProcess, durationSec: number, connections: number, taskset: boolean): Promise<SteadyWindow> {
  const fixture = join(REPO_ROOT, 'bench', 'fixtures', 'throughput-user.mjs');
  let window: Promise<SteadyWindow> | null = null;
  await runBrood({
    args: ['-f', fixture, '-H', target.url, '-u', String(connections), '-r', '1000', '-t', `${durationSec}s`, '--seed', '1'],
    cpu: 0,
    taskset,
    onSpawn: (pid, startedAt) => {
      window = measureWindow(target, pid, startedAt, durationSec * 0.25, durationSec * 0.9);
    },
  });
  return (window as Promise<SteadyWindow> | null) ?? Promise.reject(new Error('brood did not start'));
}

async function main(): Promise<void> {
  const durationSec = argNumber('--duration', 15);
  const rounds = argNumber('--rounds', 2);
  const connections = argNumber('--connections', 50);
  const taskset = tasksetAvailable();
  const targets: Record<Kind, TargetProcess> = {
    plain: await startTarget({ cpu: 1, taskset }),
    cookie: await startTarget({ cpu: 1, taskset, setCookie: true }),
  };
  console.log(`cookie cost: ${connections} users, ${durationSec}s per run, ${rounds} rounds A B; peer: the same run without a cookie` +
    `, ${taskset ? 'generator pinned to CPU 0, target to CPU 1' : 'taskset unavailable: NOT pinned'}, node ${process.version}`);
  const cpu: Record<Kind, number[]> = { plain: [], cookie: [] };
  try {
    for (let r = 1; r <= rounds; r++) {
      for (const kind of ['plain', 'cookie'] as const) {
        const w = await round(targets[kind], durationSec, connections, taskset);
        cpu[kind].push(w.cpuUsPerRequest);
        console.log(`  round ${r} ${kind.padEnd(6)} ${w.rps.toFixed(0).padStart(7)} req/s  ${w.cpuUsPerRequest.toFixed(2).padStart(6)} CPU µs/req  (generator CPU ${(100 * w.cpuShare).toFixed(0)}%)`);
      }
    }
  } finally {
    await Promise.all([targets.plain.stop(), targets.cookie.stop()]);
  }
  const plain = median(cpu.plain);
  const cookie = median(cpu.cookie);
  console.log(`median CPU per request: without cookie ${plain.toFixed(2)} µs, with a cookie set and sent back ${cookie.toFixed(2)} µs`);
  console.log(`ratio with/without cookie CPU per request: ${(cookie / plain).toFixed(3)} (target <= 1.15)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
