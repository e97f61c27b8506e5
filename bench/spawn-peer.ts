/**
 * The peer for bench/spawn.ts: what a bare Node script does with the same ramp and no user model.
 * It starts `--users` undici Clients evenly at `--spawn-rate` per second (a 1 ms timer catching up
 * on the schedule), each sends GET /first at once, then GET / every 0.5-1.5 s. Latency is timed as
 * brood times it (request handed to undici -> last body byte). Prints one JSON line:
 * { firstP50, steadyP50 } in ms, steady = requests sent from 1 s after the ramp to the end.
 *
 *   node dist/bench/spawn-peer.js --url http://127.0.0.1:PORT --users 10000 --spawn-rate 5000 --steady 6
 */
import { Client } from 'undici';
import { argNumber, argString, median } from './bench-args.js';

async function timed(client: Client, path: string): Promise<number> {
  const start = performance.now();
  const r = await client.request({ path, method: 'GET' });
  await r.body.dump();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const url = argString('--url', '');
  const users = argNumber('--users', 10_000);
  const rate = argNumber('--spawn-rate', 5000);
  const steadySec = argNumber('--steady', 6);
  const rampMs = (users / rate) * 1000;
  const first: number[] = [];
  const steady: number[] = [];
  const clients: Client[] = [];
  const t0 = performance.now();
  const endMs = rampMs + steadySec * 1000;
  const loop = async (client: Client): Promise<void> => {
    first.push(await timed(client, '/first'));
    while (performance.now() - t0 < endMs) {
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 1000));
      const sentAt = performance.now() - t0;
      const ms = await timed(client, '/');
      if (sentAt > rampMs + 1000) steady.push(ms);
    }
  };
  const running: Array<Promise<void>> = [];
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(users, Math.floor(((performance.now() - t0) / 1000) * rate));
      while (clients.length < due) {
        const c = new Client(url, { keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });
        clients.push(c);
        running.push(loop(c));
      }
      if (clients.length < users) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(running);
  await Promise.all(clients.map((c) => c.destroy()));
  process.stdout.write(`${JSON.stringify({ firstP50: median(first), steadyP50: median(steady), first: first.length, steady: steady.length })}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
