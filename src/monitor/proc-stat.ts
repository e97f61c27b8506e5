/**
 * The few fields brood reads from Linux's /proc/PID/stat and /proc/PID/status. Pure parsing:
 * pid-source.ts reads the files. proc(5) numbers the stat fields from 1; the command name (field
 * 2) is in parentheses and may itself hold spaces and parentheses, so fields are counted from the
 * last ')'.
 */

/** Clock ticks per second of utime/stime: USER_HZ, fixed at 100 in Linux's user-space ABI. */
export const CLOCK_TICKS_PER_SEC = 100;

export interface ProcStat {
  pid: number;
  comm: string;
  /** R, S, D, …; Z (zombie) and X (dead): the process has exited, only its entry is left. */
  state: string;
  ppid: number;
  /** utime + stime, in seconds. */
  cpuSeconds: number;
  threads: number;
  /** Start time after boot, in clock ticks: tells a PID reused by another process from the first. */
  startTicks: number;
}

/** Parses /proc/PID/stat; null when the text is not one. */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pidText = text.slice(0, open).trim();
  const pid = /^\d+$/.test(pidText) ? Number(pidText) : Number.NaN;
  // After ')': field 3 (state) is rest[0], so field k is rest[k - 3].
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const field = (k: number): number => Number(rest[k - 3]);
  const utime = field(14);
  const stime = field(15);
  const stat: ProcStat = {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '',
    ppid: field(4),
    cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SEC,
    threads: field(20),
    startTicks: field(22),
  };
  return Number.isInteger(pid) && [stat.ppid, utime, stime, stat.threads, stat.startTicks].every(Number.isFinite) ? stat : null;
}

/** VmRSS of /proc/PID/status in bytes; null when absent (a zombie or a kernel thread has none). */
/** A process that has exited and whose parent has not reaped it yet still has a /proc entry. */
export function hasExited(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X' || stat.state === 'x';
}

export function parseStatusRss(text: string): number | null {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
  return m ? Number(m[1]) * 1024 : null;
}

/** The PIDs listed in a /proc/PID/task/TID/children file ("123 456 "). */
export function parseChildren(text: string): number[] {
  return text.split(/\s+/).filter((s) => s !== '').map(Number).filter((n) => Number.isInteger(n) && n > 0);
}
