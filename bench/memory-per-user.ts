/**
 * Target 2 of issue 5: memory per mostly idle user holding a keep-alive connection (one request,
 * then think time 600 s), as (peak RSS at HIGH users − peak RSS at LOW users) / (HIGH − LOW), against
 * two floors in the same run: bare undici Clients, one per connection, no user model
 * (bench/undici-floor.ts), and bare node:net sockets with no HTTP client (bench/socket-floor.ts). Then 100 000 users in one process (< 1 GB), without sockets.
 *
 * HIGH is 20 000 where the open-file limit allows; otherwise the limit minus 1 000 (a process needs
 * one descriptor per socket and the hard limit cannot be raised from inside, e.g. in a container
 * with a hard limit of 20 000). The target runs in its own process on CPU 1, brood on CPU 0.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/memory-per-user.js [--low 200] [--high 20000] [--spawn-rate 5000]
 *     [--settle 12] [--no-socket-users 100000]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argNumber } from './bench-args.js';
import { REPO_ROOT, runBrood } from './brood-process.js';
import { CpuMeter } from './cpu-meter.js';
import { pinned, tasksetAvailable } from './pinning.js';
import { startTarget, type TargetProcess } from './target-process.js';

function openFileLimit(): number {
  try {
    const m = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : 1024;
  } catch {
    return 1024;
  }
}

interface Sample {
  users: number;
  peakRssKb: number;
  /** Connections the target held near the end of the run. */
  connections: number;
  /** Failed requests (brood) with the most common reason. */
  failures: string;
}

async function broodSample(target: TargetProcess, fixture: string, users: number, rate: number, settleSec: number, taskset: boolean): Promise<Sample> {
  const runSec = Math.ceil(users / rate + settleSec);
  let connections = 0;
  const timer = setTimeout(() => void target.connections().then((c) => (connections = c)), (runSec - 1) * 1000 + 500);
  const r = await runBrood({
    args: ['-f', join(REPO_ROOT, 'bench', 'fixtures', fixture), '-H', target.url, '-u', String(users), '-r', String(rate), '-t', `${runSec}s`, '--stop-timeout', '0', '--seed', '1',
      // The JIT warm-up is a fixed cost that only the steep HIGH run would pay: it would count as per-user memory.
      '--no-warm-up'],
    cpu: 0,
    taskset,
  });
  clearTimeout(timer);
  const spawned = Math.max(0, ...r.history.map((h) => Number(h['User Count'] ?? 0)));
  if (spawned < users) throw new Error(`brood reached ${spawned} of ${users} users: ${r.stderr.slice(0, 500)}`);
  const f = r.json.summary.total_failures;
  return { users, peakRssKb: r.peakRssKb, connections, failures: f === 0 ? 'no failures' : `${f} failed requests: ${r.json.failures?.[0]?.error ?? '?'}` };
}

async function floorSample(target: TargetProcess, connections: number, taskset: boolean, floor: 'undici-floor' | 'socket-floor' = 'undici-floor', extra: readonly string[] = []): Promise<Sample> {
  const script = fileURLToPath(new URL(`./${floor}.js`, import.meta.url));
  const [cmd, argv] = pinned(0, process.execPath, [script, '--url', target.url, '--connections', String(connections), '--hold-sec', '2', ...extra], taskset);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const meter = new CpuMeter(child.pid ?? -1);
  let held = 0;
  child.stdout.on('data', (d: Buffer) => {
    if (d.toString().includes('ready')) setTimeout(() => void target.connections().then((c) => (held = c)), 1000);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  meter.stop();
  if (code !== 0) throw new Error(`${floor} exited ${code}`);
  return { users: connections, peakRssKb: meter.peakRssKb, connections: held, failures: '' };
}

const perUserBytes = (lo: Sample, hi: Sample): number => ((hi.peakRssKb - lo.peakRssKb) * 1024) / (hi.users - lo.users);

async function main(): Promise<void> {
  const limit = openFileLimit();
  const low = argNumber('--low', 200);
  const high = Math.min(argNumber('--high', 20_000), limit - 1000);
  const rate = argNumber('--spawn-rate', 5000);
  const settle = argNumber('--settle', 12);
  const noSocketUsers = argNumber('--no-socket-users', 100_000);
  const taskset = tasksetAvailable();
  const target = await startTarget({ cpu: 1, taskset });
  console.log(`memory per user: ${low} vs ${high} users (open-file limit ${limit}${high < 20_000 ? `: 20 000 sockets do not fit, ${high} used` : ''}), ` +
    `think time 600 s, one keep-alive connection each, spawn rate ${rate}/s, node ${process.version}`);
  try {
    const bLo = await broodSample(target, 'idle-user.mjs', low, rate, settle, taskset);
    const bHi = await broodSample(target, 'idle-user.mjs', high, rate, settle, taskset);
    const fLo = await floorSample(target, low, taskset);
    const fHi = await floorSample(target, high, taskset);
    const dLo = await floorSample(target, low, taskset, 'undici-floor', ['--defaults']);
    const dHi = await floorSample(target, high, taskset, 'undici-floor', ['--defaults']);
    const sLo = await floorSample(target, low, taskset, 'socket-floor');
    const sHi = await floorSample(target, high, taskset, 'socket-floor');
    for (const [name, s] of [['brood', bLo], ['brood', bHi], ['undici floor', fLo], ['undici floor', fHi], ['undici default', dLo], ['undici default', dHi], ['socket floor', sLo], ['socket floor', sHi]] as const) {
      console.log(`  ${name.padEnd(14)} ${String(s.users).padStart(6)} users: peak RSS ${(s.peakRssKb / 1024).toFixed(1).padStart(7)} MiB (target held ${s.connections} connections${s.failures ? `; ${s.failures}` : ''})`);
    }
    const brood = perUserBytes(bLo, bHi);
    const floor = perUserBytes(fLo, fHi);
    console.log(`brood: ${(brood / 1024).toFixed(2)} KiB per idle user with a connection (target <= 4 KiB); undici floor ${(floor / 1024).toFixed(2)} KiB per connection`);
    console.log(`ratio brood/floor: ${(brood / floor).toFixed(3)}; brood's user model adds ${((brood - floor) / 1024).toFixed(2)} KiB per user (target <= 2.5 KiB)`);
    const defaults = perUserBytes(dLo, dHi);
    console.log(`undici Clients with undici's defaults: ${(defaults / 1024).toFixed(2)} KiB per client; they held ${dHi.connections} of ${high} connections after the ramp (4 s keep-alive: idle ones close), brood − defaults ${((brood - defaults) / 1024).toFixed(2)} KiB`);
    const socket = perUserBytes(sLo, sHi);
    console.log(`a bare node:net socket holding the same connection: ${(socket / 1024).toFixed(2)} KiB (ratio brood/socket ${(brood / socket).toFixed(3)}): ` +
      `the floor under any Node generator that keeps one connection per user`);
    if (noSocketUsers > 0) {
      const big = await broodSample(target, 'idle-user-no-socket.mjs', noSocketUsers, Math.max(rate, noSocketUsers / 5), settle, taskset);
      console.log(`${noSocketUsers} users in one process (no sockets: the open-file limit is ${limit}): peak RSS ${(big.peakRssKb / 1024).toFixed(0)} MiB ` +
        `(${((big.peakRssKb * 1024) / noSocketUsers / 1024).toFixed(2)} KiB/user all-in; target < 1024 MiB: ${big.peakRssKb < 1024 * 1024 ? 'met' : 'MISSED'})`);
    }
  } finally {
    await target.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
