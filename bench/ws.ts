/**
 * Issue 21, WebSocket: brood's WebSocketUser against bare `ws` clients (bench/ws-bare-client.ts),
 * in the same run, against the same `ws` echo server (bench/ws-echo-server.ts, its own process on
 * CPU 1; each generator in its own process on CPU 0).
 *
 * 1. Round trips per second on one core. brood runs N Echo users (bench/fixtures/ws-echo-user.mjs:
 *    one connection each, opened in onStart, then sendAndWait of a small text message matched by one
 *    string comparison, think time constant(0), a `WS echo` stats row); the peer runs N bare
 *    connections, each a loop send → await echo. Fairness: the same N connections, the same message
 *    bytes, no compression on either side, the same duration and pinning, and both measured by the
 *    same yardstick over the same steady window (25 %..90 % of the run after the process started,
 *    so start-up, connecting and teardown are excluded): the messages the SERVER echoed in that
 *    window, and the generator's CPU in it (/proc). Rounds alternate the order (brood first in odd
 *    rounds); the ratio printed is of the medians. If the generator's CPU share is well under 100 %,
 *    the server, not the generator, was the limit: the CPU per round trip ratio is then the steadier one.
 * 2. Memory per idle open connection: (peak RSS at HIGH − peak RSS at LOW) / (HIGH − LOW), brood
 *    with IdleEcho users (connect in onStart, then 600 s of think time) against bare `ws`
 *    connections held open (--mode idle), the method of bench/memory-per-user.ts. Both open their
 *    connections evenly at the same rate and hold them for the same settle time, so neither peak
 *    includes a burst of handshakes the other does not have. Peak RSS moves with the moment V8
 *    grows its heap, so this is repeated --memory-rounds times (order alternating) and the medians compared.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/ws.js [--duration 10] [--rounds 3] [--connections 50]
 *     [--low 200] [--high 2000] [--spawn-rate 2000] [--settle 5] [--memory-rounds 3] [--profile DIR]   (--profile: brood runs with --cpu-prof)
 *     [--part both|round-trips|memory]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argNumber, argString, median } from './bench-args.js';
import { REPO_ROOT, runBrood } from './brood-process.js';
import { CpuMeter } from './cpu-meter.js';
import { pinned, tasksetAvailable } from './pinning.js';
import { measureWindow, type SteadyWindow } from './steady-window.js';
import type { TargetProcess } from './target-process.js';
import { startWsEchoServer } from './ws-echo-server.js';

const FIXTURE = join(REPO_ROOT, 'bench', 'fixtures', 'ws-echo-user.mjs');
const BARE = fileURLToPath(new URL('./ws-bare-client.js', import.meta.url));

type Tool = 'brood' | 'bare ws';

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
    args: ['-f', FIXTURE, 'Echo', '-H', s.server.url, '-u', String(s.connections), '-r', '1000', '-t', `${s.durationSec}s`, '--seed', '1'],
    cpu: 0,
    taskset: s.taskset,
    nodeFlags: s.profileDir ? ['--cpu-prof', '--cpu-prof-dir', s.profileDir] : [],
    onSpawn: (pid, startedAt) => {
      window = measureWindow(s.server, pid, startedAt, s.durationSec * 0.25, s.durationSec * 0.9);
    },
  });
  const w = await (window as Promise<SteadyWindow> | null ?? Promise.reject(new Error('brood did not start')));
  const echo = r.json.latency['WS echo'];
  const reported = `${r.json.summary.throughput_ops_sec.toFixed(0)} ops/s whole run, WS echo p50 ${echo?.p50 ?? '?'} ms, ${r.json.summary.total_failures} failures`;
  return { tool: 'brood', ...w, reported };
}

async function bareRound(s: Settings): Promise<Round> {
  const args = [BARE, '--url', s.server.url, '--connections', String(s.connections), '--duration', String(s.durationSec)];
  const [cmd, argv] = pinned(0, process.execPath, args, s.taskset);
  const startedAt = Date.now();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const window = await measureWindow(s.server, child.pid ?? -1, startedAt, s.durationSec * 0.25, s.durationSec * 0.9);
  const code = await exited;
  if (code !== 0) throw new Error(`ws-bare-client exited ${code}`);
  const r = JSON.parse(out.trim()) as { roundTrips: number; seconds: number };
  return { tool: 'bare ws', ...window, reported: `${(r.roundTrips / r.seconds).toFixed(0)} round trips/s over its loop` };
}

async function roundTrips(s: Settings, rounds: number): Promise<void> {
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order: Tool[] = round % 2 === 1 ? ['brood', 'bare ws'] : ['bare ws', 'brood'];
    for (const tool of order) {
      const r = tool === 'brood' ? await broodRound(s) : await bareRound(s);
      results.push(r);
      console.log(`  round ${round} ${tool.padEnd(7)} ${r.rps.toFixed(0).padStart(7)} round trips/s  ${r.cpuUsPerRequest.toFixed(2).padStart(6)} CPU µs/round trip` +
        `  (generator CPU ${(100 * r.cpuShare).toFixed(0)}%; the tool counted ${r.reported})`);
    }
  }
  const of = (tool: Tool, f: (r: Round) => number): number => median(results.filter((r) => r.tool === tool).map(f));
  const [br, bare] = [of('brood', (r) => r.rps), of('bare ws', (r) => r.rps)];
  const [brCpu, bareCpu] = [of('brood', (r) => r.cpuUsPerRequest), of('bare ws', (r) => r.cpuUsPerRequest)];
  console.log(`median round trips/s (steady window, counted by the server): bare ws ${bare.toFixed(0)}, brood ${br.toFixed(0)}; CPU per round trip: bare ws ${bareCpu.toFixed(2)} µs, brood ${brCpu.toFixed(2)} µs`);
  console.log(`ws round trips brood / bare ws: ${(br / bare).toFixed(2)} (target >= 0.8); round trips per CPU-second brood / bare ws: ${(bareCpu / brCpu).toFixed(2)}`);
}

interface Sample {
  count: number;
  peakRssKb: number;
  /** Connections the server held near the end. */
  held: number;
}

async function broodIdle(s: Settings, users: number, rate: number, settleSec: number): Promise<Sample> {
  const runSec = Math.ceil(users / rate + settleSec);
  let held = 0;
  const timer = setTimeout(() => void s.server.connections().then((c) => (held = c)), (runSec - 1) * 1000 + 500);
  const r = await runBrood({
    // --no-warm-up: the JIT warm-up is a fixed cost (see memory-per-user.ts), not per connection.
    args: ['-f', FIXTURE, 'IdleEcho', '-H', s.server.url, '-u', String(users), '-r', String(rate), '-t', `${runSec}s`, '--stop-timeout', '0', '--seed', '1', '--no-warm-up'],
    cpu: 0,
    taskset: s.taskset,
  });
  clearTimeout(timer);
  if (r.json.summary.total_failures > 0) throw new Error(`brood: ${r.json.summary.total_failures} failures: ${r.json.failures?.[0]?.error ?? '?'}`);
  return { count: users, peakRssKb: r.peakRssKb, held };
}

async function bareIdle(s: Settings, connections: number, rate: number, settleSec: number): Promise<Sample> {
  const args = [BARE, '--mode', 'idle', '--url', s.server.url, '--connections', String(connections), '--spawn-rate', String(rate), '--hold-sec', String(settleSec)];
  const [cmd, argv] = pinned(0, process.execPath, args, s.taskset);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const meter = new CpuMeter(child.pid ?? -1);
  let held = 0;
  child.stdout.on('data', (d: Buffer) => {
    if (d.toString().includes('ready')) setTimeout(() => void s.server.connections().then((c) => (held = c)), 1000);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  meter.stop();
  if (code !== 0) throw new Error(`ws-bare-client --mode idle exited ${code}`);
  return { count: connections, peakRssKb: meter.peakRssKb, held };
}

const perConnection = (lo: Sample, hi: Sample): number => ((hi.peakRssKb - lo.peakRssKb) * 1024) / (hi.count - lo.count);

async function idleMemory(s: Settings, low: number, high: number, rate: number, settleSec: number, rounds: number): Promise<void> {
  const perConn: Record<Tool, number[]> = { brood: [], 'bare ws': [] };
  for (let round = 1; round <= rounds; round++) {
    const order: Tool[] = round % 2 === 1 ? ['brood', 'bare ws'] : ['bare ws', 'brood'];
    for (const tool of order) {
      const [lo, hi] = tool === 'brood'
        ? [await broodIdle(s, low, rate, settleSec), await broodIdle(s, high, rate, settleSec)]
        : [await bareIdle(s, low, rate, settleSec), await bareIdle(s, high, rate, settleSec)];
      const bytes = perConnection(lo, hi);
      perConn[tool].push(bytes);
      console.log(`  round ${round} ${tool.padEnd(7)} peak RSS ${(lo.peakRssKb / 1024).toFixed(1)} MiB at ${low}, ${(hi.peakRssKb / 1024).toFixed(1)} MiB at ${high} ` +
        `(the server held ${lo.held} and ${hi.held}): ${(bytes / 1024).toFixed(2)} KiB per idle connection`);
    }
  }
  const brood = median(perConn.brood);
  const bare = median(perConn['bare ws']);
  console.log(`median memory per idle connection: brood ${(brood / 1024).toFixed(2)} KiB (a user and its connection), bare ws ${(bare / 1024).toFixed(2)} KiB`);
  console.log(`ws memory per idle connection brood / bare ws: ${(brood / bare).toFixed(2)} (target <= 1.3)`);
}

async function main(): Promise<void> {
  const durationSec = argNumber('--duration', 10);
  const rounds = argNumber('--rounds', 3);
  const memoryRounds = argNumber('--memory-rounds', 3);
  const connections = argNumber('--connections', 50);
  const low = argNumber('--low', 200);
  const high = argNumber('--high', 2000);
  const rate = argNumber('--spawn-rate', 2000);
  const settleSec = argNumber('--settle', 5);
  const profileDir = process.argv.includes('--profile') ? argString('--profile', 'profiles') : null;
  const part = argString('--part', 'both');
  const taskset = tasksetAvailable();
  const server = await startWsEchoServer({ cpu: 1, taskset });
  const s: Settings = { server, connections, durationSec, taskset, profileDir };
  console.log(`ws: ${connections} connections/users, ${durationSec}s per run, ${rounds} rounds (order alternating), ws echo server pid ${server.pid}` +
    `, ${taskset ? 'generator pinned to CPU 0, server to CPU 1' : 'taskset unavailable: NOT pinned'}, node ${process.version}`);
  try {
    if (part !== 'memory') await roundTrips(s, rounds);
    if (part !== 'round-trips') {
      console.log(`ws idle memory: ${low} vs ${high} open connections, opened at ${rate}/s, held ${settleSec}s after the ramp, ${memoryRounds} rounds (order alternating)`);
      await idleMemory(s, low, high, rate, settleSec, memoryRounds);
    }
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
