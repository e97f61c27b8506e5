/**
 * The peer of bench/ws.ts: bare `ws` clients, no user model, no stats. Two modes:
 *   loop  --connections N, each its own connection (opened together, before the clock starts), then
 *         a loop per connection: send the same small text message brood's Echo user sends, await the
 *         next message (one 'message' listener per connection hands it to the waiting loop), repeat
 *         until --duration seconds have passed since the start. Prints one JSON line { roundTrips, seconds }.
 *   idle  --connections N open connections (the memory floor; the options brood's session uses:
 *         no compression), opened evenly at --spawn-rate per second as brood starts its users (0:
 *         500 at a time); prints `ready` once all are open, holds them for --hold-sec, then closes them.
 *
 *   node dist/bench/ws-bare-client.js --url ws://127.0.0.1:PORT --connections 50 --duration 10 [--mode loop|idle] [--hold-sec 2] [--spawn-rate 2000]
 */
import WebSocket from 'ws';
import { argNumber, argString } from './bench-args.js';

/** The message of bench/fixtures/ws-echo-user.mjs. */
const MESSAGE = '{"op":"echo","n":42}';

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Opens n connections, 500 at a time; with a rate, evenly at that many per second (as brood spawns users). */
async function openAll(url: string, n: number, perSecond: number): Promise<WebSocket[]> {
  if (perSecond <= 0) {
    const sockets: WebSocket[] = [];
    for (let i = 0; i < n; i += 500) sockets.push(...(await Promise.all(Array.from({ length: Math.min(500, n - i) }, () => open(url)))));
    return sockets;
  }
  const opening: Array<Promise<WebSocket>> = [];
  const t0 = performance.now();
  while (opening.length < n) {
    const due = Math.min(n, Math.ceil(((performance.now() - t0) / 1000) * perSecond));
    while (opening.length < due) opening.push(open(url));
    await new Promise((r) => setTimeout(r, 10));
  }
  return Promise.all(opening);
}

/** One connection's loop: send, await the echo (its one 'message' listener resolves the waiting loop), repeat. */
async function loop(ws: WebSocket, endMs: number): Promise<number> {
  let answered: (() => void) | null = null;
  ws.on('message', () => answered?.());
  let trips = 0;
  while (performance.now() < endMs) {
    await new Promise<void>((resolve) => {
      answered = resolve;
      ws.send(MESSAGE);
    });
    trips++;
  }
  return trips;
}

async function main(): Promise<void> {
  const url = argString('--url', '');
  const n = argNumber('--connections', 50);
  const mode = argString('--mode', 'loop');
  const sockets = await openAll(url, n, mode === 'idle' ? argNumber('--spawn-rate', 0) : 0);
  if (mode === 'idle') {
    process.stdout.write('ready\n');
    await new Promise((r) => setTimeout(r, argNumber('--hold-sec', 2) * 1000));
  } else {
    const t0 = performance.now();
    const counts = await Promise.all(sockets.map((ws) => loop(ws, t0 + argNumber('--duration', 10) * 1000)));
    const roundTrips = counts.reduce((a, b) => a + b, 0);
    process.stdout.write(`${JSON.stringify({ roundTrips, seconds: (performance.now() - t0) / 1000 })}\n`);
  }
  for (const ws of sockets) ws.terminate();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
