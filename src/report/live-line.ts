/** The one-line status printed every few seconds during a run: plain ASCII, no cursor movement. */
import { formatClock, sig3 } from './number-format.js';

export interface LiveLineInput {
  elapsedSecs: number;
  /** The --time limit; null when the run has none (a shape or Ctrl-C ends it). */
  runTimeLimitSecs: number | null;
  users: number;
  /** Current requests per second. */
  rps: number;
  /** Failures as a fraction 0..1 of requests so far. */
  failRatio: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Characters inside the progress bar's brackets. */
  barWidth?: number;
}

/** "[#####.....]" for a fraction 0..1 (clamped). */
export function progressBar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function ms(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '-' : sig3(v);
}

export function liveLine(input: LiveLineInput): string {
  const limit = input.runTimeLimitSecs;
  const time =
    limit === null || limit <= 0
      ? `elapsed ${formatClock(input.elapsedSecs)} (no time limit)`
      : `elapsed ${formatClock(input.elapsedSecs)} remaining ${formatClock(Math.max(0, Math.ceil(limit - input.elapsedSecs)))} ` +
        `${progressBar(input.elapsedSecs / limit, input.barWidth ?? 20)} ` +
        `${String(Math.floor(Math.min(1, Math.max(0, input.elapsedSecs / limit)) * 100)).padStart(3)}%`;
  const rps = Number.isFinite(input.rps) ? input.rps.toFixed(1) : '0.0';
  const fail = Number.isFinite(input.failRatio) ? (input.failRatio * 100).toFixed(2) : '0.00';
  return (
    `${time} | users ${input.users} | ${rps} req/s | failures ${fail}% | ` +
    `p50 ${ms(input.p50Ms)} p95 ${ms(input.p95Ms)} p99 ${ms(input.p99Ms)} ms`
  );
}
