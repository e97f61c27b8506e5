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
  return measureBetween(target, pid, startedAt + fromSec * 1000, startedAt + toSec * 1000);
}

/** As measureWindow, between two wall times (epoch ms). */
async function measureBetween(target: TargetProcess, pid: number, fromWallMs: number, toWallMs: number): Promise<SteadyWindow> {
  await sleep(Math.max(0, fromWallMs - Date.now()));
  const t0 = performance.now();
  const c0 = cpuSeconds(pid);
  const s0 = stealSeconds();
  const n0 = await target.count();
  await sleep(Math.max(0, toWallMs - Date.now()));
  const t1 = performance.now();
  const c1 = cpuSeconds(pid);
  const s1 = stealSeconds();
  const n1 = await target.count();
  const seconds = (t1 - t0) / 1000;
  const requests = Math.max(1, n1 - n0);
  return { rps: requests / seconds, cpuUsPerRequest: ((c1 - c0) * 1e6) / requests, cpuShare: (c1 - c0) / seconds, stealShare: (s1 - s0) / seconds };
}

/**
 * One span of seconds shared by generators that run at the same time (bench/throughput.ts
 * --together), each measured against its own target. Tools take different times to start (brood
 * loads its test file and spawns its users; on a shared core that takes seconds): a window counted
 * from each tool's spawn would hold one tool's start-up and not another's. The span starts once every
 * tool's target has seen requests, and ends before the first tool to start stops sending.
 */
export class SharedWindow {
  readonly #expected: number;
  readonly #durationSec: number;
  readonly #starts: number[] = [];
  readonly #span: Promise<[number, number]>;
  #resolve!: (span: [number, number]) => void;

  constructor(generators: number, durationSec: number) {
    this.#expected = generators;
    this.#durationSec = durationSec;
    this.#span = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Call as the generator is spawned; resolves with its window once the shared span is over. */
  async measure(target: TargetProcess, pid: number): Promise<SteadyWindow> {
    const before = await target.count();
    const deadline = Date.now() + 60_000;
    while ((await target.count()) === before) {
      if (Date.now() > deadline) throw new Error('a generator sent no request within 60 s');
      await sleep(50);
    }
    this.#starts.push(Date.now());
    if (this.#starts.length === this.#expected) {
      const d = this.#durationSec * 1000;
      this.#resolve([Math.max(...this.#starts) + 0.15 * d, Math.min(...this.#starts) + 0.85 * d]);
    }
    const [from, to] = await this.#span;
    if (to - from < 0.3 * this.#durationSec * 1000) throw new Error(`the generators started ${((Math.max(...this.#starts) - Math.min(...this.#starts)) / 1000).toFixed(1)} s apart: too far to share a window; use a longer --duration`);
    return measureBetween(target, pid, from, to);
  }
}
