/**
 * Go's text formats, as Vegeta's reports print them: `time.Duration`'s String() and ParseDuration,
 * fmt's `%.Nf`, `text/tabwriter`'s column layout, encoding/json's strings and numbers, and
 * `time.Time` in RFC 3339 (RFC3339Nano). A report that claims to be Vegeta's must match it byte for
 * byte, so scripts that read Vegeta's output (jq, awk over the text report) read brood's too.
 * Durations are integer nanoseconds held in a `number`: exact up to 2^53 ns (104 days).
 */

/** Go's `time.Duration.String()`: "0s", "54.26µs", "1.234567ms", "10.000012s", "2h46m39s". */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const u = Math.abs(ns);
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) return `${sign}${withFraction(u, 3)}µs`;
  if (u < 1e9) return `${sign}${withFraction(u, 6)}ms`;
  const totalSecs = Math.floor(u / 1e9);
  const secs = `${totalSecs % 60}${fractionDigits(u % 1e9, 9)}s`;
  const totalMins = Math.floor(totalSecs / 60);
  if (totalMins === 0) return `${sign}${secs}`;
  const hours = Math.floor(totalMins / 60);
  return `${sign}${hours > 0 ? `${hours}h` : ''}${totalMins % 60}m${secs}`;
}

/** `v / 10^prec` with its fraction's trailing zeros dropped (and the point too when nothing is left), as Go's fmtFrac. */
function withFraction(v: number, prec: number): string {
  const scale = 10 ** prec;
  return `${Math.floor(v / scale)}${fractionDigits(v % scale, prec)}`;
}

function fractionDigits(frac: number, prec: number): string {
  const digits = String(frac).padStart(prec, '0').replace(/0+$/, '');
  return digits === '' ? '' : `.${digits}`;
}

/** Go's `Duration.Round(m)` for m > 0: halves round away from zero. */
export function goRoundDuration(ns: number, m: number): number {
  const r = ns % m;
  if (ns < 0) return -goRoundDuration(-ns, m);
  return r + r < m ? ns - r : ns + m - r;
}

const UNITS_NS: Readonly<Record<string, bigint>> = { ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/**
 * Go's `time.ParseDuration` ("0", "2ms", "1.5s", "1m30s", "250us"; a number other than 0 needs its
 * unit) as integer nanoseconds; null for text Go would refuse, or past what a number holds exactly.
 */
export function goParseDuration(text: string): number | null {
  const m = /^([+-]?)(.*)$/s.exec(text);
  const body = m?.[2] ?? '';
  if (body === '0') return 0;
  const part = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/gy;
  let ns = 0n;
  let at = 0;
  for (let p = part.exec(body); p !== null; p = part.exec(body)) {
    const [whole, int = '', frac = '', unit = ''] = p;
    if (int === '' && frac === '') return null; // "ms" or ".s": no number
    const perUnit = UNITS_NS[unit] ?? 0n;
    // Go truncates a fraction finer than a nanosecond.
    ns += BigInt(int === '' ? '0' : int) * perUnit + (frac === '' ? 0n : (BigInt(frac) * perUnit) / 10n ** BigInt(frac.length));
    at += whole.length;
  }
  if (at === 0 || at !== body.length || ns > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return m?.[1] === '-' ? -Number(ns) : Number(ns);
}

/**
 * fmt's `%.{prec}f`: the exact binary value rounded to `prec` decimals, a tie to even, as Go's
 * strconv does (JavaScript's toFixed rounds a tie up: 0.125 is "0.13" there, "0.12" in Go).
 */
export function goFixed(x: number, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const { mantissa, exponent } = binaryParts(Math.abs(x));
  const scale = 10n ** BigInt(prec);
  let q: bigint;
  if (exponent >= 0) q = (mantissa << BigInt(exponent)) * scale;
  else {
    const num = mantissa * scale;
    const den = 1n << BigInt(-exponent);
    q = num / den;
    const twice = 2n * (num % den);
    if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  }
  const digits = q.toString().padStart(prec + 1, '0');
  const text = prec === 0 ? digits : `${digits.slice(0, -prec)}.${digits.slice(-prec)}`;
  return x < 0 || Object.is(x, -0) ? `-${text}` : text;
}

/** A finite non-negative double as mantissa × 2^exponent, exactly. */
function binaryParts(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return exponentBits === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: exponentBits - 1075 };
}

/** encoding/json's number: the shortest repr, exponent form below 1e-6 and from 1e21 (the same thresholds as JavaScript's). */
export function goJsonNumber(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** encoding/json's string: also escapes <, >, & and U+2028/U+2029, as Go does by default. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's zero `time.Time`, which Vegeta prints for the times of a report without results. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** `time.Time` as JSON (RFC3339Nano: trailing zeros of the fraction dropped), in UTC, from integer epoch ms. */
export function rfc3339Nano(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.?0+Z$/, 'Z');
}

/**
 * `text/tabwriter` as Vegeta sets it up (minwidth 0, padding 2, padded with spaces): cells end at a
 * tab, the text after a line's last tab belongs to no column, and a column is as wide as its widest
 * cell plus 2 over each run of consecutive lines that have a cell in it (Go's "column block").
 */
export function goTabwriter(text: string): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  formatColumns(lines, [], 0, lines.length, out);
  return out.join('\n');
}

const PADDING = 2;

function cellsIn(line: readonly string[] | undefined): number {
  return (line?.length ?? 1) - 1;
}

function formatColumns(lines: readonly string[][], widths: readonly number[], from: number, to: number, out: string[]): void {
  const column = widths.length;
  let written = from;
  for (let i = from; i < to; i++) {
    if (column >= cellsIn(lines[i])) continue;
    writeLines(lines, widths, written, i, out);
    const blockStart = i;
    let width = 0;
    for (; i < to && column < cellsIn(lines[i]); i++) width = Math.max(width, runeCount(lines[i]?.[column] ?? '') + PADDING);
    formatColumns(lines, [...widths, width], blockStart, i, out);
    written = i;
  }
  writeLines(lines, widths, written, to, out);
}

function writeLines(lines: readonly string[][], widths: readonly number[], from: number, to: number, out: string[]): void {
  for (let i = from; i < to; i++) {
    const cells = lines[i] ?? [];
    out.push(cells.map((c, j) => (j < widths.length ? c + ' '.repeat((widths[j] ?? 0) - runeCount(c)) : c)).join(''));
  }
}

/** Go measures a cell in UTF-8 runes (code points): "µs" is 2 wide. */
function runeCount(s: string): number {
  return [...s].length;
}
