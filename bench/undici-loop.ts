/**
 * The floor under brood's throughput (bench/throughput.ts `--undici-floor`): bare undici Clients,
 * one per connection, each sending the next request as soon as the last one ended, through the same
 * `dispatch()` call and callback handler shape brood's session uses (src/http/request-exchange.ts),
 * with the same Client options (pipelining 1, undici's timers off) and the same request headers
 * (bench/undici-loops.ts, mode `microtask`).
 * No user model, no stats, no timing: what undici alone costs per request on this machine.
 *
 * The next request is dispatched from a microtask after the last one completed, not from inside
 * onComplete, because that is when any caller that awaits a response can send its next one (brood's
 * tasks do). undici 7 treats the two differently: a request queued inside onComplete finds the
 * socket still busy and goes out at once, while one queued after it finds an idle keep-alive socket
 * and waits one setImmediate for undici's idle-socket check (GHSA-35p6-xmwp-9g52) before it is
 * written. Measured side by side on one core (session 15): dispatching from inside onComplete costs
 * 4 % less CPU per request, a saving no user model can have, so a floor that took it flattered undici.
 *
 *   node dist/bench/undici-loop.js URL CONNECTIONS SECONDS   → prints {"requests":N,"seconds":S} at the end
 */
import { Loop, loopClient } from './undici-loops.js';

async function main(): Promise<void> {
  const [url = '', connections = '50', seconds = '10'] = process.argv.slice(2);
  const deadline = performance.now() + Number(seconds) * 1000;
  const clients = Array.from({ length: Number(connections) }, () => loopClient(url));
  const loops = clients.map((c) => new Loop(c, 'microtask', deadline));
  const started = performance.now();
  await Promise.all(loops.map((l) => l.run()));
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  const requests = loops.reduce((n, l) => n + l.requests, 0);
  const failures = loops.reduce((n, l) => n + l.failures, 0);
  console.log(JSON.stringify({ requests, failures, seconds: elapsed }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
