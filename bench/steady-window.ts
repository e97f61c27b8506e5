import { readFileSync } from 'node:fs';
import type { TargetProcess } from './target-process.js';

/** One generator's steady state, measured identically for every tool (start-up and teardown excluded). */
export interface SteadyWindow {
  /** Requests the target received per second within the window. */
  rps: number;
  /** Generator CPU (user + system) per request within the window, µs (NaN without /proc). */
  cpuUsPerRequest: number;
  /** Generator CPU within the window as a fraction of one core. */
  cpuShare: number;
  /**
   * CPU time the hypervisor took from this VM within the window, as a fraction of one core (summed
   * over all cores; NaN without /proc). On a shared host it moves a tool's CPU per request by 20-40 %
   * (its neighbour also evicts caches), so rounds with steal are not comparable with rounds without.
   */
  stealShare: number;
}

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The VM's stolen CPU seconds so far, all cores (/proc/stat's 8th field, in USER_HZ). */
function stealSeconds(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
    return Number(cpu[8]) / 100;
  } catch {
    return Number.NaN;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Samples the target's request count and the generator's CPU at `fromSec` and `toSec` after the
 * generator started, and derives req/s and CPU per request in between: the same yardstick for
 * autocannon and brood, independent of what each tool reports and of its start-up cost.
 */
export async function measureWindow(target: TargetProcess, pid: number, startedAt: number, fromSec: number, toSec: number): Promise<SteadyWindow> {
  await sleep(Math.max(0, startedAt + fromSec * 1000 - Date.now()));
  const t0 = performance.now();
  const c0 = cpuSeconds(pid);
  const s0 = stealSeconds();
  const n0 = await target.count();
  await sleep(Math.max(0, startedAt + toSec * 1000 - Date.now()));
  const t1 = performance.now();
  const c1 = cpuSeconds(pid);
  const s1 = stealSeconds();
  const n1 = await target.count();
  const seconds = (t1 - t0) / 1000;
  const requests = Math.max(1, n1 - n0);
  return { rps: requests / seconds, cpuUsPerRequest: ((c1 - c0) * 1e6) / requests, cpuShare: (c1 - c0) / seconds, stealShare: (s1 - s0) / seconds };
}
