/**
 * Issue 21, gRPC: unary calls per second on one core, brood's GrpcUser against a bare
 * @grpc/grpc-js client loop (bench/grpc-bare-client.ts), in the same run, against the same grpc-js
 * server (bench/grpc-server.ts, its own process on CPU 1; each generator in its own process on CPU 0).
 *
 * brood runs N EchoCaller users (bench/fixtures/grpc-echo-user.mjs: think time constant(0), one
 * unary bench.Echo/Echo per task, a `GRPC bench.Echo/Echo` stats row); the peer runs N loops, each
 * awaiting one call before the next. Fairness: the same N channels (brood opens one per user with
 * grpc.use_local_subchannel_pool; the peer one per loop with the same channel options, so each has
 * its own HTTP/2 connection on both sides), the same proto, loader options and request bytes, the
 * same per-call deadline (60 s) and empty metadata, the same duration and pinning; both are measured
 * by the same yardstick over the same steady window (25 %..90 % of the run after the process
 * started): the calls the SERVER answered, and the generator's CPU (/proc). What differs is only
 * what brood adds: the user loop, task choice, timing and stats of every call. Rounds alternate
 * the order; the ratio printed is of the medians.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/grpc.js [--duration 10] [--rounds 3] [--connections 50] [--profile DIR]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argNumber, argString, median } from './bench-args.js';
import { REPO_ROOT, runBrood } from './brood-process.js';
import { startGrpcEchoServer } from './grpc-server.js';
import { pinned, tasksetAvailable } from './pinning.js';
import { measureWindow, type SteadyWindow } from './steady-window.js';
import type { TargetProcess } from './target-process.js';

const FIXTURE = join(REPO_ROOT, 'bench', 'fixtures', 'grpc-echo-user.mjs');
const BARE = fileURLToPath(new URL('./grpc-bare-client.js', import.meta.url));

type Tool = 'brood' | 'bare grpc-js';

interface Round extends SteadyWindow {
  tool: Tool;
  /** What the tool itself counted over its whole run. */
  reported: string;
}

interface Settings {
  server: TargetProcess;
  connections: number;
  durationSec: number;
  taskset: boolean;
  profileDir: string | null;
}

async function broodRound(s: Settings): Promise<Round> {
  let window: Promise<SteadyWindow> | null = null;
  const r = await runBrood({
    args: ['-f', FIXTURE, '-H', s.server.url, '-u', String(s.connections), '-r', '1000', '-t', `${s.durationSec}s`, '--seed', '1'],
    cpu: 0,
    taskset: s.taskset,
    nodeFlags: s.profileDir ? ['--cpu-prof', '--cpu-prof-dir', s.profileDir] : [],
    onSpawn: (pid, startedAt) => {
      window = measureWindow(s.server, pid, startedAt, s.durationSec * 0.25, s.durationSec * 0.9);
    },
  });
  const w = await (window as Promise<SteadyWindow> | null ?? Promise.reject(new Error('brood did not start')));
  const echo = r.json.latency['GRPC bench.Echo/Echo'];
  const reported = `${r.json.summary.throughput_ops_sec.toFixed(0)} calls/s whole run, p50 ${echo?.p50 ?? '?'} ms, ${r.json.summary.total_failures} failures`;
  return { tool: 'brood', ...w, reported };
}

async function bareRound(s: Settings): Promise<Round> {
  const args = [BARE, '--address', `127.0.0.1:${s.server.port}`, '--connections', String(s.connections), '--duration', String(s.durationSec)];
  const [cmd, argv] = pinned(0, process.execPath, args, s.taskset);
  const startedAt = Date.now();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const window = await measureWindow(s.server, child.pid ?? -1, startedAt, s.durationSec * 0.25, s.durationSec * 0.9);
  const code = await exited;
  if (code !== 0) throw new Error(`grpc-bare-client exited ${code}`);
  const r = JSON.parse(out.trim()) as { calls: number; failures: number; seconds: number };
  return { tool: 'bare grpc-js', ...window, reported: `${(r.calls / r.seconds).toFixed(0)} calls/s over its loop, ${r.failures} failures` };
}

async function main(): Promise<void> {
  const durationSec = argNumber('--duration', 10);
  const rounds = argNumber('--rounds', 3);
  const connections = argNumber('--connections', 50);
  const profileDir = process.argv.includes('--profile') ? argString('--profile', 'profiles') : null;
  const taskset = tasksetAvailable();
  const server = await startGrpcEchoServer({ cpu: 1, taskset });
  const s: Settings = { server, connections, durationSec, taskset, profileDir };
  console.log(`grpc: ${connections} channels (one per user / loop), ${durationSec}s per run, ${rounds} rounds (order alternating), grpc-js server pid ${server.pid}` +
    `, ${taskset ? 'generator pinned to CPU 0, server to CPU 1' : 'taskset unavailable: NOT pinned'}, node ${process.version}`);
  const results: Round[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const order: Tool[] = round % 2 === 1 ? ['brood', 'bare grpc-js'] : ['bare grpc-js', 'brood'];
      for (const tool of order) {
        const r = tool === 'brood' ? await broodRound(s) : await bareRound(s);
        results.push(r);
        console.log(`  round ${round} ${tool.padEnd(12)} ${r.rps.toFixed(0).padStart(7)} calls/s  ${r.cpuUsPerRequest.toFixed(2).padStart(7)} CPU µs/call` +
          `  (generator CPU ${(100 * r.cpuShare).toFixed(0)}%; the tool counted ${r.reported})`);
      }
    }
  } finally {
    await server.stop();
  }
  const of = (tool: Tool, f: (r: Round) => number): number => median(results.filter((r) => r.tool === tool).map(f));
  const [br, bare] = [of('brood', (r) => r.rps), of('bare grpc-js', (r) => r.rps)];
  const [brCpu, bareCpu] = [of('brood', (r) => r.cpuUsPerRequest), of('bare grpc-js', (r) => r.cpuUsPerRequest)];
  console.log(`median unary calls/s (steady window, counted by the server): bare grpc-js ${bare.toFixed(0)}, brood ${br.toFixed(0)}; CPU per call: bare grpc-js ${bareCpu.toFixed(2)} µs, brood ${brCpu.toFixed(2)} µs`);
  console.log(`grpc unary brood / bare grpc-js: ${(br / bare).toFixed(2)} (target >= 0.8); calls per CPU-second brood / bare grpc-js: ${(bareCpu / brCpu).toFixed(2)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
