import { readFileSync, readdirSync } from 'node:fs';
import { hasExited, parseChildren, parseProcStat, parseStatusRss, type ProcStat } from './proc-stat.js';
import type { ResourceSource, SourceReading, SourceResult } from './resource-sample.js';

/** Where /proc is (tests of the parsing read their own). */
const PROC = '/proc';

export interface PidSourceOptions {
  /** Include the process's descendants (--monitor-children): their RSS, CPU, threads and files are added. */
  children: boolean;
  /** The /proc root (default /proc). */
  procRoot?: string;
}

/**
 * A process on this machine, read from /proc once per interval (--monitor-pid). With children,
 * the tree is summed: RSS counts pages shared between them once per process (as ps and top do), so
 * it is an upper bound. CPU is kept per process between readings, so a child that exits takes its
 * CPU seconds with it instead of turning the total backwards.
 */
export class PidSource implements ResourceSource {
  readonly kind = 'pid';
  readonly name: string;
  readonly pid: number;
  readonly #root: string;
  readonly #children: boolean;
  readonly #startTicks: number;
  /** CPU seconds of each process seen at the last reading, and the running total they add to. */
  #cpuByPid = new Map<number, number>();
  #cpuTotal = 0;
  #primed = false;

  constructor(pid: number, options: PidSourceOptions) {
    this.pid = pid;
    this.#root = options.procRoot ?? PROC;
    this.#children = options.children;
    // The CLI checked it exists; gone since, every reading is a gap that says so.
    const stat = readStat(this.#root, pid);
    this.#startTicks = stat?.startTicks ?? -1;
    this.name = `pid ${pid}${stat === null ? '' : ` (${stat.comm})`}${options.children ? ' + children' : ''}`;
  }

  read(): Promise<SourceResult> {
    return Promise.resolve(this.#readNow());
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #readNow(): SourceResult {
    const main = readStat(this.#root, this.pid);
    if (main === null || hasExited(main)) return { ok: false, reason: `process ${this.pid} is gone` };
    if (main.startTicks !== this.#startTicks) return { ok: false, reason: `process ${this.pid} is gone (its PID now belongs to another process)` };
    const tree = this.#children ? [main, ...this.#descendants(this.pid)] : [main];
    const reading: SourceReading = { rssBytes: 0, cpuSeconds: this.#cpuOf(tree), threads: 0, openFiles: 0, metrics: [] };
    let rss: number | null = 0;
    let files: number | null = 0;
    let threads = 0;
    for (const p of tree) {
      const r = readRss(this.#root, p.pid);
      rss = rss === null || r === null ? (p === main ? null : rss) : rss + r;
      const f = countOpenFiles(this.#root, p.pid);
      files = files === null || f === null ? (p === main ? null : files) : files + f;
      threads += p.threads;
    }
    return { ok: true, reading: { ...reading, rssBytes: rss, threads, openFiles: files } };
  }

  /**
   * The tree's CPU seconds: at the first reading, their sum; then each process's growth since the
   * last reading, and the whole CPU time of a process new to the tree (a child forked meanwhile).
   */
  #cpuOf(tree: readonly ProcStat[]): number {
    const now = new Map<number, number>();
    for (const p of tree) {
      const before = this.#cpuByPid.get(p.pid);
      if (!this.#primed) this.#cpuTotal += p.cpuSeconds;
      else this.#cpuTotal += before === undefined ? p.cpuSeconds : Math.max(0, p.cpuSeconds - before);
      now.set(p.pid, p.cpuSeconds);
    }
    this.#primed = true;
    this.#cpuByPid = now;
    return this.#cpuTotal;
  }

  #descendants(pid: number): ProcStat[] {
    const out: ProcStat[] = [];
    const queue = [pid];
    const seen = new Set([pid]);
    while (queue.length > 0 && out.length < 10_000) {
      for (const child of childrenOf(this.#root, queue.shift() as number)) {
        if (seen.has(child)) continue;
        seen.add(child);
        const stat = readStat(this.#root, child);
        if (stat === null || hasExited(stat)) continue;
        out.push(stat);
        queue.push(child);
      }
    }
    return out;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function readStat(root: string, pid: number): ProcStat | null {
  const text = readText(`${root}/${pid}/stat`);
  return text === null ? null : parseProcStat(text);
}

function readRss(root: string, pid: number): number | null {
  const text = readText(`${root}/${pid}/status`);
  return text === null ? null : parseStatusRss(text);
}

/** Entries of /proc/PID/fd; null when not allowed (another user's process) or gone. */
function countOpenFiles(root: string, pid: number): number | null {
  try {
    return readdirSync(`${root}/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** A process's children: every thread's children file (a child belongs to the thread that forked it). */
function childrenOf(root: string, pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`${root}/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tids) out.push(...parseChildren(readText(`${root}/${pid}/task/${tid}/children`) ?? ''));
  return out;
}
