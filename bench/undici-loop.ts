/**
 * The floor under brood's throughput (bench/throughput.ts `--undici-floor`): bare undici Clients,
 * one per connection, each sending the next request as soon as the last one ended, through the same
 * `dispatch()` call and callback handler shape brood's session uses (src/http/response-handler.ts),
 * with the same Client options (pipelining 1, undici's timers off) and the same request headers.
 * No user model, no stats, no timing: what undici alone costs per request on this machine.
 *
 *   node dist/bench/undici-loop.js URL CONNECTIONS SECONDS   → prints {"requests":N,"seconds":S} at the end
 */
import { Client, type Dispatcher } from 'undici';
import { ACCEPT_ENCODING, USER_AGENT } from '../src/http/request-headers.js';

const HEADERS = Object.freeze({ 'user-agent': USER_AGENT, 'accept-encoding': ACCEPT_ENCODING });

class Loop implements Dispatcher.DispatchHandler {
  readonly #client: Client;
  readonly #path: string;
  readonly #deadline: number;
  requests = 0;
  failures = 0;
  readonly done: Promise<void>;
  #resolve: () => void = () => undefined;

  constructor(client: Client, path: string, deadline: number) {
    this.#client = client;
    this.#path = path;
    this.#deadline = deadline;
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  next(): void {
    if (performance.now() >= this.#deadline) {
      this.#resolve();
      return;
    }
    this.#client.dispatch({ path: this.#path, method: 'GET', headers: HEADERS, headersTimeout: 0, bodyTimeout: 0 }, this);
  }

  onConnect(): void {}
  onHeaders(): boolean {
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.requests++;
    this.next();
  }
  onError(): void {
    this.failures++;
    this.next();
  }
}

async function main(): Promise<void> {
  const [url = '', connections = '50', seconds = '10'] = process.argv.slice(2);
  const deadline = performance.now() + Number(seconds) * 1000;
  const clients = Array.from({ length: Number(connections) }, () => new Client(url, { pipelining: 1, headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 60_000 }));
  const loops = clients.map((c) => new Loop(c, '/', deadline));
  const started = performance.now();
  for (const l of loops) l.next();
  await Promise.all(loops.map((l) => l.done));
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
