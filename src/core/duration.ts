import { ConfigError } from './errors.js';

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };

/**
 * The longest duration brood accepts (a run time, a stop timeout, a window): 365 days. Longer is
 * a typo, not a test (`-t 99999999999` meant something else), and an unbounded number would reach
 * a timer as Infinity, or as a delay past Node's 32-bit limit that fires at once.
 */
export const MAX_DURATION_SEC = 365 * 86_400;
/** MAX_DURATION_SEC as users write it, for messages. */
export const MAX_DURATION_TEXT = '365d';

/**
 * Parses a run time the way Locust users write it: `90` (seconds), `30s`, `10m`, `1h30m`, `1h 5m 3s`,
 * and `2d` for days. Returns seconds; throws a ConfigError naming the flag for anything else (`10x`,
 * `-5m`, `0`) and for anything longer than MAX_DURATION_SEC.
 */
export function parseDuration(text: string, flag = '--time'): number {
  const trimmed = text.trim().toLowerCase();
  let seconds = Number.NaN;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    seconds = Number(trimmed);
  } else if (/^(\d+(\.\d+)?\s*[dhms]\s*)+$/.test(trimmed)) {
    seconds = 0;
    for (const m of trimmed.matchAll(/(\d+(?:\.\d+)?)\s*([dhms])/g)) {
      seconds += Number(m[1]) * (UNIT_SECONDS[m[2] ?? 's'] ?? 1);
    }
  }
  if (seconds > MAX_DURATION_SEC) {
    // Infinity too: 400 digits parse to it.
    throw new ConfigError('BAD_DURATION', `${flag} "${text}" is longer than the longest duration brood accepts (${MAX_DURATION_TEXT})`);
  }
  if (seconds > 0) return seconds;
  throw new ConfigError(
    'BAD_DURATION',
    `${flag} "${text}" is not a duration: use a positive number of seconds or units like 30s, 10m, 1h30m, 2d`,
  );
}

/** "1h 2m 3s" style text for durations in the console and reports. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${String(rest).padStart(2, '0')}s`;
  if (m > 0) return `${m}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}
