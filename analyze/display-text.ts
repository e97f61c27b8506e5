/** Untrusted text (endpoint names, error messages) made safe and short for a line of a report. */
import { stripControl } from '../src/report/console-text.js';

export function shown(text: string, max = 80): string {
  const clean = stripControl(text);
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

/** "12.3 ms", "n/a": three significant digits, as brood's console prints latencies. */
export function ms(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  return `${value >= 100 ? Math.round(value) : Number(value.toPrecision(3))} ms`;
}

/** A fraction as a percentage with up to two decimals: 0.0123 → "1.23%". */
export function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

/** A rate or count with up to two decimals. */
export function num(value: number | null, digits = 2): string {
  return value === null || !Number.isFinite(value) ? 'n/a' : String(Number(value.toFixed(digits)));
}
