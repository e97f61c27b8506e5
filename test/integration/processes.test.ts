import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

interface Json {
  summary: { total_operations: number; total_failures: number };
  exceptions: Array<{ count: number; nodes: string[] }>;
}

test('--processes 2: users run in worker threads, stats merged exactly (counts equal what the server received)', { timeout: 60_000 }, async () => {
  const target = await startTargetServer({ status: (req) => (req.url === '/nope' ? 404 : 200) });
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-proc-'));
  const r = await runCli(['-f', 'test/fixtures/reader.ts', '-H', target.url, '-u', '6', '-r', '100', '-t', '3s', '--processes', '2', '--csv', join(dir, 'run'), '--only-summary']);
  assert.equal(r.code, 1, `failures and exceptions → exit 1: ${r.stderr}`);
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Json;
  assert.equal(json.summary.total_operations, target.total());
  assert.equal(json.summary.total_failures, target.counts.get('GET /nope'));
  const csv = readFileSync(join(dir, 'run_stats.csv'), 'utf8');
  assert.match(csv, new RegExp(`,Aggregated,${target.total()},`));
  // The class mix is decided by the main thread, as in one process: Reader (weight 3) and Checker.
  assert.ok((target.counts.get('GET /recall') ?? 0) > 0 && (target.counts.get('GET /stats') ?? 0) > 0);
});

test('--processes is checked: a bad count is a one-line error, exit 2', async () => {
  const bad = await runCli(['-f', 'test/fixtures/plain-tasks.js', '--processes', '0', '-t', '1s']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr.trim(), /^error: --processes "0" must be auto or a whole number from 1 to 256$/);
});

test('--processes above the cores this process may use: the run goes on, with a warning saying so', { timeout: 60_000 }, async () => {
  const target = await startTargetServer();
  servers.push(target);
  const run = (processes: string): ReturnType<typeof runCli> =>
    runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-H', target.url, '-u', '2', '-r', '100', '-t', '1s', '--processes', processes, '--only-summary', '--csv', join(mkdtempSync(join(tmpdir(), 'brood-proc-')), 'run')], { cpus: '0' });
  const shared = await run('2');
  assert.equal(shared.code, 0, shared.stderr);
  assert.match(shared.stdout, /^warning: --processes 2 but this process may use 1 CPU core: the workers share it and lose a few % of throughput \(auto picks 1\)$/m);
  const auto = await run('auto');
  assert.equal(auto.code, 0, auto.stderr);
  assert.doesNotMatch(auto.stdout, /warning: --processes/);
});

test('--processes 2 with --record-trace: every request of both workers, its send time on the run clock', { timeout: 60_000 }, async () => {
  const target = await startTargetServer();
  servers.push(target);
  const arrivals: number[] = [];
  target.server.prependListener('request', () => arrivals.push(performance.timeOrigin + performance.now()));
  const dir = mkdtempSync(join(tmpdir(), 'brood-proc-trace-'));
  const trace = join(dir, 'trace.jsonl');
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-H', target.url, '-u', '4', '-r', '100', '-t', '3s', '--processes', '2', '--record-trace', trace, '--csv', join(dir, 'run'), '--only-summary']);
  assert.equal(r.code, 0, r.stderr);
  const [head, ...lines] = readFileSync(trace, 'utf8').trim().split('\n');
  const started = Date.parse((JSON.parse(head ?? '{}') as { started: string }).started);
  const records = lines.map((l) => JSON.parse(l) as { t: number; user: number; method: string; name: string; body?: string });
  assert.equal(records.length, target.total(), 'one line per request the server received');
  const counts = new Map<string, number>();
  for (const rec of records) counts.set(`${rec.method} ${rec.name}`, (counts.get(`${rec.method} ${rec.name}`) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries([...counts].sort()), Object.fromEntries([...target.counts].sort()));
  // User k runs in worker k mod 2: both workers' users are in the trace.
  assert.deepEqual([...new Set(records.map((rec) => rec.user % 2))].sort(), [0, 1]);
  assert.ok(records.some((rec) => rec.method === 'POST' && rec.body === '{"amount":1}'), 'request bodies are kept');
  // t is the send time from the run's start, taken in the worker on the clock all threads share:
  // the k-th earliest send and the k-th earliest arrival at the server are a few ms apart at most.
  const sends = records.map((rec) => rec.t).sort((a, b) => a - b);
  arrivals.sort((a, b) => a - b);
  const worst = Math.max(...sends.map((t, k) => Math.abs((arrivals[k] ?? 0) - started - t * 1000)));
  // The arrivals are stamped by this test's own event loop, which three test files at once can hold up
  // for tens of ms (51.8 ms once in CI); a t = 0 taken before the workers started was off by their
  // start-up, 300+ ms.
  assert.ok(worst < 120, `send times match the arrivals (worst ${worst.toFixed(1)} ms; wall clock ms resolution)`);
  // t = 0 is the run's start, after the workers are up: the first user sends at once, the last before -t ends it.
  assert.ok((sends[0] ?? 1) < 0.5, `first send ${sends[0]} s into the run`);
  assert.ok((sends.at(-1) ?? 0) <= 3.5, `last send ${sends.at(-1)} s into a 3 s run`);
});

test('--processes 2: both workers host users; exceptions say which worker they came from', { timeout: 60_000 }, async () => {
  const target = await startTargetServer();
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-proc-'));
  const r = await runCli(['-f', 'test/fixtures/every-user-throws.mjs', '-H', target.url, '-u', '4', '-r', '100', '-t', '2s', '--processes', '2', '--csv', join(dir, 'run'), '--only-summary']);
  assert.equal(r.code, 1, r.stderr);
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Json;
  assert.equal(json.summary.total_operations, target.total());
  assert.deepEqual([...new Set(json.exceptions.flatMap((e) => e.nodes))].sort(), ['worker-0', 'worker-1']);
  const thrown = json.exceptions.reduce((n, e) => n + e.count, 0);
  assert.ok(Math.abs(thrown - Math.floor(target.total() / 3)) <= 4, `a third of the tasks threw: ${thrown} of ${target.total()}`);
});

interface OpenJson extends Json {
  latency: { overall: { p50: number | null; count: number; failures: number } };
  open_model: { dispatched: number; dropped: number; pool_size: number; service_time: { overall: { p50: number | null; count: number } } };
}

test('--processes 2 with the open model: the main thread keeps schedule and pool, workers run the arrivals; counts exact', { timeout: 90_000 }, async () => {
  const runs: Array<{ json: OpenJson; served: number }> = [];
  for (const processes of [1, 2]) {
    // 20 ms per answer keeps several operations in flight, so the pool holds users of both workers.
    const target = await startTargetServer({ delayMs: 20 });
    servers.push(target);
    const dir = mkdtempSync(join(tmpdir(), 'brood-proc-open-'));
    const r = await runCli(['-f', 'test/fixtures/every-user-throws.mjs', '-H', target.url, '--target-rate', '150', '-t', '3s', '--seed', '3',
      '--processes', String(processes), '--csv', join(dir, 'run'), '--only-summary']);
    assert.ok(r.code === 0 || r.code === 1, `a judged run, not an error: exit ${r.code} ${r.stderr}`);
    assert.equal(r.stderr, '');
    runs.push({ json: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as OpenJson, served: target.total() });
  }
  for (const { json, served } of runs) {
    assert.equal(json.summary.total_operations, served, 'every request the server answered is in the stats');
    // Never more than the schedule holds before -t, even when the stop comes late on a busy machine.
    assert.ok(json.open_model.dispatched <= 450 && json.open_model.dispatched >= 442, `150/s for 3 s: ${json.open_model.dispatched} arrivals`);
    assert.equal(json.open_model.dropped, 0);
    // One arrival = one task = one request here; each completed and was recorded once.
    assert.equal(json.latency.overall.count, json.open_model.dispatched);
    assert.equal(json.latency.overall.count, served);
    assert.equal(json.open_model.service_time.overall.count, served);
    // Latency from the scheduled start, measured in the worker on the clock all threads share.
    const p50 = json.latency.overall.p50 ?? Number.NaN;
    assert.ok(p50 >= 20 && p50 < 200, `latency p50 ${p50} ms against a 20 ms server`);
    assert.ok((json.open_model.service_time.overall.p50 ?? Number.NaN) >= 20);
  }
  const [one, two] = runs as unknown as [{ json: OpenJson }, { json: OpenJson }];
  assert.ok(Math.abs(one.json.open_model.dispatched - two.json.open_model.dispatched) <= 8, 'the same seeded schedule in both runs');
  assert.deepEqual([...new Set(two.json.exceptions.flatMap((e) => e.nodes))].sort(), ['worker-0', 'worker-1']);
  assert.ok(two.json.open_model.pool_size >= 2);
});
