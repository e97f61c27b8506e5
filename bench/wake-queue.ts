/**
 * Think-time timers: the run's WakeQueue (one min-heap, one armed timer) against its peer, a
 * setTimeout per sleeping user (what brood did before), in the same process, A B A B. N sleepers
 * each wait a random 50-150 ms again and again for --seconds; printed per variant: CPU µs per wake,
 * lateness p50/p99 (woken minus due, ms) and heap growth per sleeper. Ratio = setTimeout CPU /
 * WakeQueue CPU (> 1: the queue is cheaper).
 *
 *   npx tsc -p tsconfig.json && node --expose-gc dist/bench/wake-queue.js [--sleepers 10000] [--seconds 4] [--rounds 2]
 */
import { systemClock } from '../src/core/clock.js';
import { WakeQueue, type Sleeper } from '../src/runner/closed/wake-queue.js';
import { argNumber, median } from './bench-args.js';

interface Figures {
  cpuUsPerWake: number;
  lateP50: number;
  lateP99: number;
  heapBytesPerSleeper: number;
}

type Arm = (sleeper: Sleeper, ms: number) => void;

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function variant(name: 'queue' | 'setTimeout', sleepers: number, seconds: number): Promise<Figures> {
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const queue = new WakeQueue(systemClock);
  const arm: Arm = name === 'queue'
    ? (s, ms) => queue.sleep(s, ms)
    : (s, ms) => {
        s.wakeAt = performance.now() + ms;
        setTimeout(() => s.wake(), ms);
      };
  const lateness: number[] = [];
  let wakes = 0;
  let running = true;
  let seed = 12345;
  const nextWait = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return 50 + (seed / 4294967296) * 100;
  };
  const all: Sleeper[] = [];
  for (let i = 0; i < sleepers; i++) {
    const s: Sleeper = {
      wakeAt: 0,
      heapIndex: -1,
      wake() {
        wakes++;
        if (lateness.length < 200_000) lateness.push(performance.now() - s.wakeAt);
        if (running) arm(s, nextWait());
      },
    };
    all.push(s);
    arm(s, nextWait());
  }
  const heapArmed = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  running = false;
  for (const s of all) queue.cancel(s);
  await new Promise((r) => setTimeout(r, 200)); // let the setTimeout variant's last timers fire
  const sorted = Float64Array.from(lateness).sort();
  return {
    cpuUsPerWake: (cpu.user + cpu.system) / Math.max(1, wakes),
    lateP50: percentile(sorted, 0.5),
    lateP99: percentile(sorted, 0.99),
    heapBytesPerSleeper: (heapArmed - heapBefore) / sleepers,
  };
}

async function main(): Promise<void> {
  const sleepers = argNumber('--sleepers', 10_000);
  const seconds = argNumber('--seconds', 4);
  const rounds = argNumber('--rounds', 2);
  console.log(`wake-queue: ${sleepers} sleepers, waits 50-150 ms, ${seconds}s per run, ${rounds} rounds A B, node ${process.version}`);
  const results: Record<'queue' | 'setTimeout', Figures[]> = { queue: [], setTimeout: [] };
  for (let r = 0; r < rounds; r++) {
    for (const name of ['setTimeout', 'queue'] as const) {
      const f = await variant(name, sleepers, seconds);
      results[name].push(f);
      console.log(`  round ${r + 1} ${name.padEnd(10)} ${f.cpuUsPerWake.toFixed(2)} CPU µs/wake, lateness p50 ${f.lateP50.toFixed(2)} ms p99 ${f.lateP99.toFixed(2)} ms, heap ${f.heapBytesPerSleeper.toFixed(0)} B/sleeper`);
    }
  }
  const cpu = (name: 'queue' | 'setTimeout'): number => median(results[name].map((f) => f.cpuUsPerWake));
  console.log(`ratio setTimeout/queue CPU per wake: ${(cpu('setTimeout') / cpu('queue')).toFixed(2)} (> 1: the queue is cheaper)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
