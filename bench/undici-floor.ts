/**
 * The floor for bench/memory-per-user.ts: N bare undici Clients (the options brood uses per user),
 * each sends one request and then holds its keep-alive connection; no user model at all. Prints
 * `ready` once every connection answered, then holds until --hold-sec passes.
 *
 *   node dist/bench/undici-floor.js --url http://127.0.0.1:PORT --connections 19000 --hold-sec 5 [--defaults]
 *
 * --defaults: `new Client(url)` with undici's default options instead of brood's. Its keep-alive
 * timeout is 4 s, so a client idle longer closes its connection: not a floor for users that hold one
 * (memory-per-user.ts prints how many connections the target still held).
 */
import { Client } from 'undici';
import { argNumber, argString } from './bench-args.js';

const BROOD_OPTIONS: Client.Options = { keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000, connect: { timeout: 10_000 }, headersTimeout: 0, bodyTimeout: 0, pipelining: 1 };

async function main(): Promise<void> {
  const url = argString('--url', '');
  const n = argNumber('--connections', 100);
  const holdSec = argNumber('--hold-sec', 5);
  const defaults = process.argv.includes('--defaults');
  const clients: Client[] = [];
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < n; i++) {
    const c = defaults ? new Client(url) : new Client(url, BROOD_OPTIONS);
    clients.push(c);
    pending.push(c.request({ path: '/', method: 'GET' }).then((r) => r.body.dump()));
    if (i % 500 === 499) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  process.stdout.write('ready\n');
  await new Promise((r) => setTimeout(r, holdSec * 1000));
  await Promise.all(clients.map((c) => c.destroy()));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
