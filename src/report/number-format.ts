/** How report numbers are printed: exact where Locust prints floats, never silently rounded in files. */

/**
 * A duration in ms from an HDR percentile (microsecond integers, so at most 3 decimals):
 * printed with up to 3 decimals, trailing zeros trimmed ("2", "1.391", "20.3").
 */
export function formatMs(ms: number): string {
  const s = String(Number(ms.toFixed(3)));
  return s === '-0' ? '0' : s;
}

/**
 * A float the way Python's repr() prints it, which is what Locust's CSVs contain: shortest
 * round-trip digits (same as JS), but always with a ".0" on whole numbers and exponent notation
 * from 1e16 up and below 1e-4 with a two-digit exponent ("1e-05"), where JS switches later.
 */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mantissa = '', exponent = '0'] = n.toExponential().split('e');
    const e = Number(exponent);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(n);
  return s.includes('.') ? s : `${s}.0`;
}

/**
 * A value for a narrow console column: 3 significant digits (the HDR histogram's precision),
 * whole numbers at and above 100 so no integer digit is lost ("0.611", "2.43", "20.3", "1235").
 */
export function sig3(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return String(Math.round(n));
  const s = String(Number(n.toPrecision(3)));
  return s === '-0' ? '0' : s;
}

/** Whole seconds as H:MM:SS (hours unbounded), for elapsed and remaining times. */
export function formatClock(totalSecs: number): string {
  const secs = Math.max(0, Math.floor(totalSecs));
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** Epoch ms as Locust's failure timestamps: %Y-%m-%dT%H:%M:%SZ in UTC (no fraction). */
export function isoSecondsUtc(wallMs: number): string {
  return new Date(Math.floor(wallMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
