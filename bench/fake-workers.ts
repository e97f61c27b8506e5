/**
 * N simulated remote workers for bench/distributed.ts's merge-cost part: each joins the master's
 * run through the real broker as a --worker would (hello, lease, 'ready'), then sends a stats
 * snapshot of `--endpoints` endpoints every `--interval-ms`, as a busy worker does. No users run:
 * this measures what the master pays to receive and merge, nothing else.
 *
 *   node dist/bench/fake-workers.js --broker redis://… --run-id bench --workers 100 --endpoints 50 --interval-ms 500
 */
import { BrokerConnection } from '../src/broker/broker-connection.js';
import { parseBrokerUrl } from '../src/broker/broker-url.js';
import { Inbox, Outbox, StreamReader } from '../src/broker/stream-link.js';
import { LEASE_MS, runKeys, type MasterToWorker, type WorkerToMaster } from '../src/runner/remote/remote-protocol.js';
import { StatsRegistry } from '../src/stats/registry.js';
import { argNumber, argString } from './bench-args.js';

const broker = parseBrokerUrl(argString('--broker', 'redis://127.0.0.1:6379'), '--broker');
const runId = argString('--run-id', 'bench');
const workers = argNumber('--workers', 100);
const endpoints = argNumber('--endpoints', 50);
const intervalMs = argNumber('--interval-ms', 500);
const keys = runKeys(runId);

const conn = await BrokerConnection.connect(broker, 'fake-workers');
let nonce: string | null = null;
while (nonce === null) {
  nonce = await conn.redis.get(keys.current);
  if (nonce === null) await new Promise((r) => setTimeout(r, 100));
}
const runNonce = nonce;

/** One simulated worker: its links, and a registry refilled with fresh requests before each snapshot. */
async function fakeWorker(i: number): Promise<void> {
  const id = `fake-${i}`;
  const inbox = new Inbox();
  const outbox = new Outbox<WorkerToMaster>(conn, keys.up(runNonce), id, () => inbox.last);
  const reader = new StreamReader(await conn.duplicate(`fake-reader-${i}`), keys.to(runNonce, id), (e) => {
    outbox.acked(e.ack);
    for (const m of inbox.accept(e.first, e.messages as MasterToWorker[])) {
      if (m.k === 'welcome') outbox.send({ k: 'run', m: { type: 'ready', classNames: ['U'], preallocated: null } });
    }
  });
  reader.start();
  const lease = async (): Promise<void> => void (await conn.redis.set(keys.lease(runNonce, id), '1', 'PX', LEASE_MS));
  await lease();
  outbox.send({ k: 'hello', host: 'bench', pid: process.pid, thread: i, version: 'bench', cores: 1, fileHash: null });
  const stats = new StatsRegistry(() => Date.now());
  let n = 0;
  setInterval(() => void lease(), 1000);
  setInterval(() => outbox.tick(), 1000);
  setInterval(() => {
    // 20 requests per endpoint per interval, spread over a few milliseconds of latency.
    for (let e = 0; e < endpoints; e++) for (let r = 0; r < 20; r++) stats.recordSuccess('GET', `/endpoint/${e}`, 1 + ((n++ * 7) % 50), 100);
    outbox.send({ k: 'run', m: { type: 'stats', snapshot: stats.snapshot(), final: false, protocols: { http1: 0, http2: 0 } } });
    stats.reset();
  }, intervalMs);
}

await Promise.all(Array.from({ length: workers }, (_, i) => fakeWorker(i)));
console.log(`fake workers: ${workers} joined`);
