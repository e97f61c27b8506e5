import { ConfigError } from './errors.js';

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 };

/**
 * Parses a run time the way Locust users write it: `90` (seconds), `30s`, `10m`, `1h30m`, `1h 5m 3s`.
 * Returns seconds; throws a ConfigError naming the flag for anything else (`10x`, `-5m`, `0`).
 */
export function parseDuration(text: string, flag = '--time'): number {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    if (seconds > 0) return seconds;
  } else if (/^(\d+(\.\d+)?\s*[hms]\s*)+$/.test(trimmed)) {
    let seconds = 0;
    for (const m of trimmed.matchAll(/(\d+(?:\.\d+)?)\s*([hms])/g)) {
      seconds += Number(m[1]) * (UNIT_SECONDS[m[2] ?? 's'] ?? 1);
    }
    if (seconds > 0) return seconds;
  }
  throw new ConfigError(
    'BAD_DURATION',
    `${flag} "${text}" is not a duration: use a positive number of seconds or units like 30s, 10m, 1h30m`,
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
