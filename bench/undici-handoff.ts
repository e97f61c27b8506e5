/**
 * What it costs undici's callers to hand the next request over later than inside onComplete, and
 * to await each response through promises as a task does: the part of brood's distance from bare
 * undici that no user model can avoid (bench/RESULTS.md, issue 15 throughput).
 *
 * Three ways of driving the same bare undici Clients (bench/undici-loops.ts: inside, microtask,
 * awaited), each measured as CPU per request of its own process.
 * Two of them run at once, both pinned to CPU 0, against one target on CPU 1, so whatever the host
 * does it does to both (as bench/side-by-side.ts does for two brood builds); pairs: inside against
 * microtask, microtask against awaited.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/undici-handoff.js [--rounds 3] [--duration 12] [--connections 25]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { argNumber, median } from './bench-args.js';
import { pinned, tasksetAvailable } from './pinning.js';
import { startTarget } from './target-process.js';
import { Loop, loopClient, MODES, type Mode } from './undici-loops.js';

/** Child side: runs one mode and prints {"mode","requests","cpuUs"}. */
async function child(url: string, mode: Mode, connections: number, seconds: number): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  const clients = Array.from({ length: connections }, () => loopClient(url));
  const loops = clients.map((c) => new Loop(c, mode, deadline));
  const cpu0 = process.cpuUsage();
  await Promise.all(loops.map((l) => l.run()));
  const cpu = process.cpuUsage(cpu0);
  await Promise.all(clients.map((c) => c.close()));
  console.log(JSON.stringify({ mode, requests: loops.reduce((n, l) => n + l.requests, 0), cpuUs: cpu.user + cpu.system }));
}

function runMode(url: string, mode: Mode, connections: number, seconds: number, taskset: boolean): Promise<number> {
  const [cmd, argv] = pinned(0, process.execPath, [fileURLToPath(import.meta.url), '--child', url, mode, String(connections), String(seconds)], taskset);
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${mode} exited with ${code}`));
      const r = JSON.parse(out) as { requests: number; cpuUs: number };
      resolve(r.cpuUs / r.requests);
    });
  });
}

async function main(): Promise<void> {
  const rounds = argNumber('--rounds', 3);
  const seconds = argNumber('--duration', 12);
  const connections = argNumber('--connections', 25);
  const taskset = tasksetAvailable();
  if (!taskset) console.log('taskset unavailable: the two loops are NOT pinned to one core; the comparison means little');
  const target = await startTarget({ kind: 'net', cpu: 1, taskset });
  console.log(`undici hand-off: ${connections} connections each, ${seconds}s, ${rounds} rounds, two loops at once on CPU 0, target on CPU 1`);
  try {
    for (const [a, b] of [['inside', 'microtask'], ['microtask', 'awaited']] as const) {
      const ratios: number[] = [];
      for (let round = 1; round <= rounds; round++) {
        const [ua, ub] = await Promise.all([runMode(target.url, a, connections, seconds, taskset), runMode(target.url, b, connections, seconds, taskset)]);
        ratios.push(ub / ua);
        console.log(`  ${a} ${ua.toFixed(2)} µs/req, ${b} ${ub.toFixed(2)} µs/req: ${b}/${a} ${(ub / ua).toFixed(3)}`);
      }
      console.log(`${b}/${a} CPU per request: median ${median(ratios).toFixed(3)}`);
    }
  } finally {
    await target.stop();
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) {
  const [url = '', mode = '', connections = '25', seconds = '10'] = process.argv.slice(at + 1);
  if (!MODES.includes(mode as Mode)) throw new Error(`unknown mode ${mode}`);
  await child(url, mode as Mode, Number(connections), Number(seconds));
} else {
  await main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
