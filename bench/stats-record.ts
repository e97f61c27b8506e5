/**
 * Cost of StatsRegistry.recordSuccess (the per-request hot path) against its floor, a raw
 * hdr-histogram-js recordValue loop over the same values, in the same run: 1 000 000 calls over
 * 10 endpoints (clock: Date.now), A B A B … for several rounds, median ns/call and the ratio. With
 * --expose-gc it also prints young-generation bytes allocated per call (0 when the hot path allocates nothing).
 *
 *   npx tsc -p tsconfig.json && node --expose-gc dist/bench/stats-record.js [--rounds 7] [--calls 1000000]
 */
import { newSpaceUsed } from './heap-space.js';
import { build } from 'hdr-histogram-js';
import { StatsRegistry } from '../src/stats/registry.js';

const ENDPOINTS: ReadonlyArray<readonly [string, string]> = [
  ['GET', '/'], ['GET', '/recall'], ['POST', '/learn'], ['GET', '/item?id=[id]'], ['POST', '/login'],
  ['GET', '/search'], ['PUT', '/item'], ['DELETE', '/item'], ['GET', '/health'], ['PATCH', '/profile'],
];

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Deterministic response times in ms (0.2 .. ~60 ms, skewed low) and endpoint indexes. */
function makeInputs(n: number): { ms: Float64Array; endpoint: Uint8Array } {
  const ms = new Float64Array(n);
  const endpoint = new Uint8Array(n);
  let s = 0x2545f491;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    const u = (s >>> 0) / 4_294_967_296;
    ms[i] = 0.2 + 60 * u * u * u;
    endpoint[i] = (s >>> 8) % ENDPOINTS.length;
  }
  return { ms, endpoint };
}

const methods = ENDPOINTS.map((e) => e[0]);
const names = ENDPOINTS.map((e) => e[1]);

function timeRegistry(ms: Float64Array, endpoint: Uint8Array): number {
  const registry = new StatsRegistry(Date.now);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ms.length; i++) {
    const e = endpoint[i]!;
    registry.recordSuccess(methods[e]!, names[e]!, ms[i]!, 512);
  }
  return Number(process.hrtime.bigint() - t0) / ms.length;
}

/**
 * Young-generation bytes allocated per recordSuccess once entries exist. V8 boxes a double passed to
 * (or returned from) a call it does not inline — the caller's float ms and the clock's epoch ms — so
 * both come from arrays of already-boxed numbers here: what remains is the registry's own allocation.
 * 100 000 calls fit in the young generation, so no scavenge hides an allocation.
 */
function bytesPerCall(ms: Float64Array, endpoint: Uint8Array): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  const n = Math.min(ms.length, 100_000);
  const boxedMs: unknown[] = Array.from(ms.subarray(0, n));
  const boxedNow: unknown[] = Array.from({ length: n }, (_, i) => 1_700_000_000_000.5 + i / 20);
  boxedMs.push('tagged elements'); // keeps both arrays' elements as pointers to heap numbers
  boxedNow.push('tagged elements');
  let i = 0;
  const registry = new StatsRegistry(() => boxedNow[i] as number);
  const run = (): void => {
    for (i = 0; i < n; i++) {
      const e = endpoint[i]!;
      registry.recordSuccess(methods[e]!, names[e]!, boxedMs[i] as number, 512);
    }
  };
  run(); // creates the entries, optimises the loop
  gc();
  const before = newSpaceUsed();
  run();
  return (newSpaceUsed() - before) / n;
}


function timeRawHdr(ms: Float64Array): number {
  const h = build({ bitBucketSize: 32, autoResize: false, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ms.length; i++) h.recordValue(Math.round(ms[i]! * 1000));
  return Number(process.hrtime.bigint() - t0) / ms.length;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function main(): void {
  const rounds = argNumber('--rounds', 7);
  const { ms, endpoint } = makeInputs(argNumber('--calls', 1_000_000));
  timeRegistry(ms.subarray(0, 100_000), endpoint); // warm-up (JIT)
  timeRawHdr(ms.subarray(0, 100_000));
  const ours: number[] = [];
  const raw: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(timeRegistry(ms, endpoint));
    raw.push(timeRawHdr(ms));
  }
  const bytes = bytesPerCall(ms, endpoint);
  const o = median(ours);
  const p = median(raw);
  console.log(`stats hot path: ${ms.length} calls over ${ENDPOINTS.length} endpoints, ${rounds} rounds A B, median (node ${process.version})`);
  console.log(`  StatsRegistry.recordSuccess   ${o.toFixed(1).padStart(7)} ns/call  (${(1e9 / o / 1e6).toFixed(2)} M calls/s)`);
  console.log(`  peer: raw hdr recordValue     ${p.toFixed(1).padStart(7)} ns/call`);
  console.log(`  ratio recordSuccess / raw recordValue: ${(o / p).toFixed(2)}`);
  console.log(`  young-generation bytes allocated per call: ${bytes === undefined ? 'n/a (run with --expose-gc)' : bytes.toFixed(3)}`);
  console.log(`  at 50 000 req/s: ${((o * 50_000) / 1e7).toFixed(2)} % of one core`);
}

main();
