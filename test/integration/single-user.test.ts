import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { HttpUser } from '../../src/http/http-user.js';
import { constant } from '../../src/core/wait-time.js';
import { runSingleUser } from '../../src/runner/closed/single-user.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

test('runSingleUser runs one user in this process: onStart, N tasks with think time, onStop, each request printed', async () => {
  const srv = await startRecordingServer((req, res) => {
    res.writeHead(req.url === '/bad' ? 500 : 200);
    res.end('{}');
  });
  servers.push(srv);
  class Debugged extends HttpUser {
    static override tasks = { work: 1 };
    override waitTime = constant(0.05);
    #n = 0;
    override async onStart(): Promise<void> { await this.client.post('/login'); }
    async work(): Promise<void> {
      await this.client.get(++this.#n === 2 ? '/bad' : '/ok');
      if (this.#n === 3) throw new Error('third task broke');
    }
    override async onStop(): Promise<void> { await this.client.post('/logout'); }
  }
  const lines: string[] = [];
  const started = Date.now();
  const r = await runSingleUser(Debugged, { host: srv.url, iterations: 3, print: (l) => lines.push(l) });
  assert.deepEqual(srv.requests.map((q) => `${q.method} ${q.url}`), ['POST /login', 'GET /ok', 'GET /bad', 'GET /ok', 'POST /logout']);
  assert.deepEqual(r, { requests: 5, failures: 1, exceptions: 1 });
  assert.ok(Date.now() - started >= 100, 'think time between the tasks');
  assert.match(lines[0] ?? '', /^POST \/login 200 [\d.]+ ms$/);
  assert.ok(lines.some((l) => /^GET \/bad failed: HTTP 500 /.test(l)));
  assert.ok(lines.some((l) => l.startsWith('exception: Error: third task broke')));
});

test("a user reads Locust's runner fields brood has (user_count, state, stats, worker_index); another (runner.greenlet) is a TypeError naming them, not undefined", async () => {
  const srv = await startRecordingServer();
  servers.push(srv);
  let seen = '';
  let fields: unknown[] = [];
  class Counting extends HttpUser {
    static override tasks = { look: 1 };
    override waitTime = constant(0);
    async look(): Promise<void> {
      await this.client.get('/one');
      const runner = this.environment.runner;
      fields = [runner.user_count, runner.state, runner.worker_index, runner.stats.total.num_requests];
      try {
        if ((runner as unknown as { greenlet: unknown }).greenlet) seen = 'branch taken';
      } catch (e) {
        seen = e instanceof Error ? e.message : String(e);
      }
    }
  }
  await runSingleUser(Counting, { host: srv.url, iterations: 1, print: () => {} });
  assert.deepEqual(fields, [1, 'running', 0, 1]);
  assert.equal(seen, "this.environment.runner has no 'greenlet' (brood has: quit, user_count, state, stats, worker_index, worker_count, send_message, register_message)");
});

test("a user reading an environment field brood has not got (Locust's self.environment.web_ui) gets a TypeError naming those there are; its own fields and Object's read as usual", async () => {
  const srv = await startRecordingServer();
  servers.push(srv);
  let seen = '';
  let usual: unknown[] = [];
  class Peeking extends HttpUser {
    static override tasks = { look: 1 };
    override waitTime = constant(0);
    look(): void {
      const env = this.environment;
      usual = [env.userId, typeof env.rng, env.host === srv.url, typeof env.toString, Object.keys({ ...env }).includes('userId'), 'web_ui' in env];
      try {
        if ((env as unknown as { web_ui: unknown }).web_ui) seen = 'branch taken';
      } catch (e) {
        seen = e instanceof Error ? e.message : String(e);
      }
    }
  }
  await runSingleUser(Peeking, { host: srv.url, iterations: 1, print: () => {} });
  assert.deepEqual(usual, [0, 'object', true, 'function', true, false]);
  assert.match(seen, /^this\.environment has no 'web_ui' \(brood has: host, userId, rng, signal, events, runner, options, parsedOptions, parsed_options, stats, recordMetric, recordRequest, measure\)$/);
});

test("a user reads Locust's self.environment.stats and parsed_options as written; setting process_exit_code from a user says where it belongs", async () => {
  const srv = await startRecordingServer();
  servers.push(srv);
  const seen: Record<string, unknown> = {};
  class Reading extends HttpUser {
    static override tasks = { look: 1 };
    override waitTime = constant(0);
    async look(): Promise<void> {
      await this.client.get('/one');
      const env = this.environment as unknown as { stats: { total: { num_requests: number }; get(n: string, m: string): { numRequests: number } }; parsed_options: unknown; process_exit_code: number };
      seen.total = env.stats.total.num_requests;
      seen.row = env.stats.get('/one', 'GET').numRequests;
      seen.same = env.parsed_options === this.environment.parsedOptions;
      try {
        env.process_exit_code = 1;
      } catch (e) {
        seen.exitCode = e instanceof Error ? e.message : String(e);
      }
    }
  }
  await runSingleUser(Reading, { host: srv.url, iterations: 1, print: () => {} });
  assert.deepEqual([seen.total, seen.row, seen.same], [1, 1, true]);
  assert.match(String(seen.exitCode), /^this\.environment\.process_exit_code: set the exit code in a listener, events\.quitting\.on/);
});
