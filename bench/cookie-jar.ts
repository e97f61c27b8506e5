/**
 * Cost of a session's cookies per request against its peer, tough-cookie used directly, in the same
 * run: each request stores the response's one Set-Cookie (SessionCookies.storeFromResponse vs
 * CookieJar.setCookieSync) and builds the next request's Cookie header (headerFor vs
 * getCookieStringSync), on varying paths /items/0 … /items/999. A B A B … for several rounds,
 * median µs per request and the ratio. The budget is ~1.5 µs per request (the whole request path
 * costs ~12 µs). Each Set-Cookie string is a fresh copy, as each response's header is, so no
 * string hash is reused across requests. With --expose-gc it also prints young-generation bytes
 * allocated per request for (a).
 *
 *   (a) the same `sid=…; Path=/; HttpOnly` on every response (the cached path)
 *   (b) a session cookie whose Expires moves every second (80 000 requests per simulated second)
 *   (d) a value that changes on every response (a rotating token: nothing can be cached)
 *   (e) the same `Max-Age=3600` cookie on every response (stored each time: Max-Age counts from receipt)
 *
 *   npx tsc -p tsconfig.json && node --expose-gc dist/bench/cookie-jar.js [--rounds 7] [--calls 200000]
 */
import { median } from './bench-args.js';
import { newSpaceUsed } from './heap-space.js';
import { CookieJar, formatDate } from 'tough-cookie';
import { SessionCookies } from '../src/http/cookie-jar.js';

const ORIGIN = 'http://127.0.0.1:8080';
const SID = 'sid=7f3c9a0e5b2d4c1a8e6f0b9d3a7c5e21';
const REQUESTS_PER_SECOND = 80_000;

interface Workload {
  label: string;
  /** The Set-Cookie value of response i at simulated time t. */
  setCookie: (i: number, t: number) => string;
}

const WORKLOADS: ReadonlyArray<readonly [string, Workload]> = [
  ['a', { label: 'same Set-Cookie every response', setCookie: () => `${SID}; Path=/; HttpOnly` }],
  ['b', { label: 'Expires moves every second', setCookie: (_i, t) => `${SID}; Path=/; HttpOnly; Expires=${formatDate(new Date(Math.floor(t / 1000) * 1000 + 3_600_000))}` }],
  ['d', { label: 'new value every response', setCookie: (i) => `csrf=${(i * 2654435761 >>> 0).toString(36)}; Path=/` }],
  ['e', { label: 'Max-Age=3600 every response', setCookie: () => `${SID}; Path=/; HttpOnly; Max-Age=3600` }],
];

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const urls = Array.from({ length: 1000 }, (_, i) => new URL(`${ORIGIN}/items/${i}`));

/** One request's inputs: fresh Set-Cookie copies (as undici makes one per response) and the simulated times. */
function makeInputs(w: Workload, n: number, t0: number): { raws: string[][]; times: Float64Array } {
  const raws: string[][] = new Array<string[]>(n);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    times[i] = t0 + (i * 1000) / REQUESTS_PER_SECOND;
    raws[i] = [Buffer.from(w.setCookie(i, times[i]!), 'latin1').toString('latin1')];
  }
  return { raws, times };
}

function timeOurs(raws: string[][], times: Float64Array, realClock: boolean): number {
  let i = 0;
  const jar = new SessionCookies(ORIGIN, realClock ? undefined : { now: () => times[i]! });
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (i = 0; i < raws.length; i++) {
    const url = urls[i % urls.length]!;
    jar.storeFromResponse(url, raws[i]!);
    sink += jar.headerFor(url)?.length ?? 0;
  }
  const ns = Number(process.hrtime.bigint() - t0) / raws.length;
  if (sink === 0) throw new Error('no Cookie header was built');
  return ns / 1000;
}

function timePeer(raws: string[][]): number {
  const jar = new CookieJar();
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < raws.length; i++) {
    const url = urls[i % urls.length]!;
    jar.setCookieSync(raws[i]![0]!, url);
    sink += jar.getCookieStringSync(url).length;
  }
  const ns = Number(process.hrtime.bigint() - t0) / raws.length;
  if (sink === 0) throw new Error('no Cookie header was built');
  return ns / 1000;
}

/** (a) split in its two calls, so a regression says which one it is. */
function timeParts(raws: string[][]): { store: number; header: number } {
  const jar = new SessionCookies(ORIGIN);
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < raws.length; i++) jar.storeFromResponse(urls[i % urls.length]!, raws[i]!);
  const store = Number(process.hrtime.bigint() - t0) / raws.length / 1000;
  let sink = 0;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < raws.length; i++) sink += jar.headerFor(urls[i % urls.length]!)?.length ?? 0;
  const header = Number(process.hrtime.bigint() - t0) / raws.length / 1000;
  if (sink === 0) throw new Error('no Cookie header was built');
  return { store, header };
}

/** Young-generation bytes per request of (a) once warm; 50 000 requests fit without a scavenge. */
function bytesPerRequest(raws: string[][]): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  const n = Math.min(raws.length, 50_000);
  const jar = new SessionCookies(ORIGIN);
  const run = (): void => {
    for (let i = 0; i < n; i++) {
      const url = urls[i % urls.length]!;
      jar.storeFromResponse(url, raws[i]!);
      jar.headerFor(url);
    }
  };
  run();
  gc();
  const before = newSpaceUsed();
  run();
  return (newSpaceUsed() - before) / n;
}



function main(): void {
  const rounds = argNumber('--rounds', 7);
  const calls = argNumber('--calls', 200_000);
  const t0 = Date.now();
  console.log(`cookie jar: ${calls} requests (one Set-Cookie stored + one Cookie header built each), ${rounds} rounds A B, median µs per request (node ${process.version})`);
  console.log(`  peer: tough-cookie setCookieSync + getCookieStringSync on the same inputs; budget ~1.5 µs per request`);
  for (const [key, w] of WORKLOADS) {
    const { raws, times } = makeInputs(w, calls, t0);
    const realClock = key === 'a'; // (a) pays for Date.now() as a session does; the others need simulated seconds
    timeOurs(raws.slice(0, 20_000), times, realClock); // warm-up (JIT)
    timePeer(raws.slice(0, 20_000));
    const ours: number[] = [];
    const peer: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(timeOurs(raws, times, realClock));
      peer.push(timePeer(raws));
    }
    const o = median(ours);
    const p = median(peer);
    console.log(`  (${key}) ${w.label.padEnd(32)} SessionCookies ${o.toFixed(3).padStart(6)} µs   (c) tough-cookie ${p.toFixed(3).padStart(6)} µs   ratio ${(o / p).toFixed(3)}`);
    if (key === 'a') {
      const parts = Array.from({ length: rounds }, () => timeParts(raws));
      console.log(`      of which storeFromResponse ${median(parts.map((x) => x.store)).toFixed(3)} µs, headerFor ${median(parts.map((x) => x.header)).toFixed(3)} µs`);
      const bytes = bytesPerRequest(raws);
      console.log(`      young-generation bytes allocated per request: ${bytes === undefined ? 'n/a (run with --expose-gc)' : bytes.toFixed(1)}`);
    }
  }
}

main();
