import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) and peak RSS of a child process, read from /proc (Linux) while it
 * runs, so the last reading is at most one poll period before it exits. The benchmarks print CPU
 * per request beside req/s because it is far steadier on a shared machine; peak RSS (VmHWM) is
 * what the memory benchmark compares.
 */
export class CpuMeter {
  #cpuSec = Number.NaN;
  #mainThreadCpuSec = Number.NaN;
  /** [ms since the meter started, main-thread CPU seconds] at every reading. */
  readonly mainThreadSamples: Array<[number, number]> = [];
  #peakRssKb = Number.NaN;
  readonly #timer: NodeJS.Timeout;

  constructor(pid: number, periodMs = 100) {
    const read = (): void => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        this.#cpuSec = (Number(fields[11]) + Number(fields[12])) / 100;
        // The main thread's task id is the pid: what the --processes coordinator costs.
        const main = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
        const mainFields = main.slice(main.lastIndexOf(')') + 2).split(' ');
        this.#mainThreadCpuSec = (Number(mainFields[11]) + Number(mainFields[12])) / 100;
        this.mainThreadSamples.push([performance.now() - t0, this.#mainThreadCpuSec]);
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (hwm) this.#peakRssKb = Number(hwm[1]);
      } catch {
        // gone, or not Linux: keep the last reading
      }
    };
    const t0 = performance.now();
    read();
    this.#timer = setInterval(read, periodMs);
  }

  /** CPU seconds of the main thread alone at the last reading. */
  get mainThreadCpuSec(): number {
    return this.#mainThreadCpuSec;
  }

  get peakRssKb(): number {
    return this.#peakRssKb;
  }

  /** Stops polling; CPU seconds at the last reading (NaN when /proc is unavailable). */
  stop(): number {
    clearInterval(this.#timer);
    return this.#cpuSec;
  }
}
