/**
 * Which hdr-histogram-js bucket type should brood's latency histograms use?
 * Records the same 1 000 000 realistic latencies (integer µs, log-normal around ~2 ms with a long tail)
 * into each variant, interleaved A B C A B C … over several rounds, and prints the median ns/record,
 * the footprint after recording and the encoded size, side by side.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/stats-histogram.js [--rounds 5] [--values 1000000]
 */
import { build, encodeIntoCompressedBase64, initWebAssemblySync, type Histogram } from 'hdr-histogram-js';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { LatencyHistogram } from '../src/stats/histogram.js';

const HIGHEST_US = 3_600_000_000;

interface Variant {
  label: string;
  make: () => { record: (v: number) => void; footprint: () => number; encodedBytes: () => number; destroy: () => void };
}

function rawVariant(label: string, bitBucketSize: 32 | 'packed', useWebAssembly: boolean): Variant {
  return {
    label,
    make: () => {
      const h: Histogram = build({
        bitBucketSize,
        useWebAssembly,
        autoResize: false,
        lowestDiscernibleValue: 1,
        highestTrackableValue: HIGHEST_US,
        numberOfSignificantValueDigits: 3,
      });
      return {
        record: (v) => h.recordValue(v),
        footprint: () => h.estimatedFootprintInBytes,
        encodedBytes: () => encodeIntoCompressedBase64(h).length,
        destroy: () => h.destroy(),
      };
    },
  };
}

function wrapperVariant(): Variant {
  return {
    label: 'brood LatencyHistogram',
    make: () => {
      const h = new LatencyHistogram();
      return {
        record: (v) => h.record(v),
        footprint: () => h.estimatedFootprintBytes,
        encodedBytes: () => h.encode().length,
        destroy: () => undefined,
      };
    },
  };
}

/** Deterministic log-normal-ish latencies in µs (xorshift32 + Box-Muller), so every run records the same values. */
function makeValues(n: number): Float64Array {
  const out = new Float64Array(n);
  let s = 0x9e3779b9;
  const next = (): number => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return ((s >>> 0) + 1) / 4_294_967_297;
  };
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
    out[i] = Math.max(1, Math.min(HIGHEST_US, Math.round(Math.exp(7.6 + 0.9 * z))));
  }
  return out;
}

function timeOne(variant: Variant, values: Float64Array): { ns: number; footprint: number; encoded: number } {
  const h = variant.make();
  const record = h.record;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < values.length; i++) record(values[i] as number);
  const ns = Number(process.hrtime.bigint() - t0) / values.length;
  const result = { ns, footprint: h.footprint(), encoded: h.encodedBytes() };
  h.destroy();
  return result;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/**
 * Each measurement runs in a fresh worker thread (its own V8 isolate), so that one variant's
 * type feedback cannot make another's call sites polymorphic: in brood only one bucket type ever runs.
 */
function measureInWorker(variantIndex: number, valueCount: number): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { variantIndex, valueCount } });
    w.once('message', (m: Measurement) => resolve(m));
    w.once('error', reject);
  });
}

interface Measurement { ns: number; footprint: number; encoded: number }

function workerMain(): void {
  const { variantIndex, valueCount } = workerData as { variantIndex: number; valueCount: number };
  initWebAssemblySync();
  const variant = VARIANTS[variantIndex];
  if (variant === undefined) throw new Error(`no variant ${variantIndex}`);
  const values = makeValues(valueCount);
  timeOne(variant, values.subarray(0, 200_000)); // warm-up: JIT the record path
  parentPort?.postMessage(timeOne(variant, values));
}

async function main(): Promise<void> {
  const rounds = argNumber('--rounds', 5);
  const valueCount = argNumber('--values', 1_000_000);
  const samples = VARIANTS.map(() => [] as number[]);
  const last = VARIANTS.map(() => ({ ns: 0, footprint: 0, encoded: 0 }));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const m = await measureInWorker(i, valueCount);
      samples[i]?.push(m.ns);
      last[i] = m;
    }
  }
  const base = median(samples[0] ?? []);
  console.log(`hdr-histogram-js record(): ${valueCount} values, ${rounds} rounds interleaved, one worker per measurement, median (node ${process.version})`);
  console.log('variant                      ns/record   × Int32   footprint(bytes)   encoded(b64 chars)');
  VARIANTS.forEach((v, i) => {
    const ns = median(samples[i] ?? []);
    const info = last[i] ?? { footprint: 0, encoded: 0 };
    console.log(
      `${v.label.padEnd(28)} ${ns.toFixed(1).padStart(9)} ${(ns / base).toFixed(2).padStart(9)} ${String(info.footprint).padStart(18)} ${String(info.encoded).padStart(20)}`,
    );
  });
  const empty = VARIANTS.slice(0, 2).map((v) => `${v.label}: ${v.make().footprint()} B`);
  console.log(`empty footprint: ${empty.join(', ')} (WebAssembly footprints are its own estimate; its memory lives in the module's linear memory)`);
}

const VARIANTS: Variant[] = [
  rawVariant('Int32 (bitBucketSize 32)', 32, false),
  rawVariant('packed', 'packed', false),
  rawVariant('WebAssembly (Int32)', 32, true),
  rawVariant('WebAssembly (packed)', 'packed', true),
  wrapperVariant(),
];

if (isMainThread) await main();
else workerMain();
