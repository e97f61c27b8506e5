/**
 * The lowest floor for bench/memory-per-user.ts: N bare node:net sockets, each sends one HTTP/1.1
 * request and then holds its keep-alive connection; no HTTP client, no user model. What one idle
 * TCP connection costs a Node process before anything is built on it. Prints `ready` once every
 * socket got its answer, then holds until --hold-sec passes.
 *
 *   node dist/bench/socket-floor.js --url http://127.0.0.1:PORT --connections 19000 --hold-sec 5
 */
import { connect, type Socket } from 'node:net';
import { argNumber, argString } from './bench-args.js';

async function main(): Promise<void> {
  const url = new URL(argString('--url', ''));
  const n = argNumber('--connections', 100);
  const holdSec = argNumber('--hold-sec', 5);
  const request = Buffer.from(`GET / HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`);
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 500) {
    const batch: Array<Promise<void>> = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const s = connect(Number(url.port), url.hostname);
      s.setNoDelay(true);
      s.on('error', (e) => {
        console.error(e.message);
        process.exit(1);
      });
      batch.push(new Promise((resolve) => {
        s.once('connect', () => s.write(request));
        s.once('data', () => resolve());
      }));
      sockets.push(s);
    }
    await Promise.all(batch);
  }
  process.stdout.write('ready\n');
  await new Promise((r) => setTimeout(r, holdSec * 1000));
  for (const s of sockets) s.destroy();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
