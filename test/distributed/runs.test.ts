/**
 * Distributed runs (issue 19): a real redis-server as the broker, a real master and real --worker
 * processes, a real target that counts what it got. Runs that go as asked: the merged stats equal
 * the target's count, the load is spread, every flag means what it means on one machine. Faults
 * (lost workers, broker and master) are in faults.test.ts.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { startRedis } from '../helpers/redis-server.js';
import { createNetnsLab } from '../helpers/netns.js';
import { testCertificates } from '../helpers/tls-certs.js';
import { startWebUi, waitFor } from '../helpers/web-ui.js';
import { FILE, aggregatedCount, brokerKeys, startCountingTarget, startWorker, type JsonRun } from '../helpers/distributed-run.js';

const dir = mkdtempSync(join(tmpdir(), 'brood-distributed-'));
let srv: RecordingServer;

before(async () => {
  srv = (await startCountingTarget()).srv;
});

after(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

test('master + 2 workers (one given -f, one taking the master\'s file): merged counts equal what the target got; one file set; workers listed; the broker left clean', async () => {
  const redis = await startRedis();
  try {
    srv.requests.length = 0;
    const prefix = join(dir, 'exact');
    const w1 = startWorker(['--broker', redis.url]);
    const w2 = startWorker(['--broker', redis.url, '-f', FILE]);
    const master = await runCli(['-f', FILE, '-H', srv.url, '-u', '6', '-r', '50', '-t', '3s', '--master', '--broker', redis.url, '--expect-workers', '2', '--csv', prefix, '--json', `${prefix}.json`, '--record-trace', `${prefix}.jsonl`]);
    assert.equal(master.code, 0, master.stdout + master.stderr);
    const [r1, r2] = await Promise.all([w1.done, w2.done]);
    assert.equal(r1.code, 0, r1.stdout + r1.stderr);
    assert.equal(r2.code, 0, r2.stdout + r2.stderr);
    const total = aggregatedCount(prefix);
    assert.ok(total > 100, `requests: ${total}`);
    assert.equal(total, srv.requests.length, 'the merged stats count every request the target got, once');
    const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as JsonRun;
    const workers = json.run.workers ?? [];
    assert.equal(workers.length, 2);
    assert.equal(json.run.workers_lost, 0);
    assert.deepEqual(workers.map((w) => w.users), [3, 3], 'users are spread evenly');
    assert.equal(workers.reduce((n, w) => n + w.requests, 0), total);
    assert.ok(workers.every((w) => w.requests > 0));
    assert.match(master.stdout, /Users run in 2 workers through redis:\/\/127\.0\.0\.1:\d+/);
    assert.match(master.stdout, /Workers: 2\n/);
    assert.ok((await brokerKeys(redis)).startsWith('*0\r\n'), 'the run removed its keys from the broker');
    // --record-trace: every request of both workers, each user's, its send time on the run's clock.
    const records = readFileSync(`${prefix}.jsonl`, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as { t: number; user: number });
    assert.equal(records.length, total, 'one trace line per request');
    assert.deepEqual([...new Set(records.map((r) => r.user))].sort(), [0, 1, 2, 3, 4, 5]);
    assert.ok(records.every((r) => r.t >= 0 && r.t <= 3.5), 'send times within the 3 s run, from its start');
  } finally {
    await redis.stop();
  }
});

test('one --worker --processes 2 is two workers (a thread each, its own broker connection): users spread over both, counts exact, a Workers table in the HTML report', async () => {
  const redis = await startRedis();
  try {
    srv.requests.length = 0;
    const prefix = join(dir, 'threads');
    const worker = startWorker(['--broker', redis.url, '--processes', '2']);
    const master = await runCli(['-f', FILE, '-H', srv.url, '-u', '4', '-r', '50', '-t', '3s', '--master', '--broker', redis.url, '--expect-workers', '2', '--csv', prefix, '--json', `${prefix}.json`, '--html', `${prefix}.html`]);
    assert.equal(master.code, 0, master.stdout + master.stderr);
    const w = await worker.done;
    assert.equal(w.code, 0, w.stdout + w.stderr);
    assert.match(master.stdout, /worker \S+ \(pid \d+, thread 1\) joined/);
    assert.match(master.stdout, /worker \S+ \(pid \d+, thread 2\) joined/);
    assert.equal(aggregatedCount(prefix), srv.requests.length);
    const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as JsonRun;
    assert.deepEqual((json.run.workers ?? []).map((x) => x.users), [2, 2]);
    const html = readFileSync(`${prefix}.html`, 'utf8');
    assert.match(html, /<section id="workers">/);
    assert.match(html, /2 workers ran the users/);
  } finally {
    await redis.stop();
  }
});

test('--seed: each user makes the same requests in the same order wherever it runs (distributed vs one process, -i 15 each)', async () => {
  const redis = await startRedis();
  try {
    const sequences = (file: string): Record<number, string[]> => {
      const out: Record<number, string[]> = {};
      for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
        const r = JSON.parse(line) as { user: number; method: string; name: string };
        (out[r.user] ??= []).push(`${r.method} ${r.name}`);
      }
      return out;
    };
    const args = ['-f', FILE, '-H', srv.url, '-u', '6', '-r', '100', '-i', '15', '--seed', '7', '--only-summary'];
    const workers = [startWorker(['--broker', redis.url]), startWorker(['--broker', redis.url])];
    const distributed = await runCli([...args, '--master', '--broker', redis.url, '--expect-workers', '2', '--csv', join(dir, 'seed-d'), '--record-trace', join(dir, 'seed-d.jsonl')]);
    assert.equal(distributed.code, 0, distributed.stdout + distributed.stderr);
    await Promise.all(workers.map((w) => w.done));
    const local = await runCli([...args, '--csv', join(dir, 'seed-l'), '--record-trace', join(dir, 'seed-l.jsonl')]);
    assert.equal(local.code, 0, local.stderr);
    const d = sequences(join(dir, 'seed-d.jsonl'));
    assert.deepEqual(Object.keys(d).sort(), ['0', '1', '2', '3', '4', '5']);
    assert.ok(Object.values(d).every((s) => s.length === 15));
    assert.deepEqual(d, sequences(join(dir, 'seed-l.jsonl')));
  } finally {
    await redis.stop();
  }
});

test('--shape step with --master: the master ticks the shape, the workers follow it (user counts 2 then 4, as on one machine), user class names choose the classes', async () => {
  const redis = await startRedis();
  try {
    srv.requests.length = 0;
    const prefix = join(dir, 'shape');
    const workers = [startWorker(['--broker', redis.url]), startWorker(['--broker', redis.url])];
    const master = await runCli(['-f', FILE, 'Reader', '-H', srv.url, '--shape', 'step', '-u', '4', '-r', '50', '--step-users', '2', '--step-time', '1.5s', '-t', '3.5s', '--master', '--broker', redis.url, '--expect-workers', '2', '--csv', prefix]);
    assert.equal(master.code, 0, master.stdout + master.stderr);
    for (const w of await Promise.all(workers.map((x) => x.done))) assert.equal(w.code, 0, w.stdout + w.stderr);
    const rows = readFileSync(`${prefix}_stats_history.csv`, 'utf8').trim().split('\n');
    const column = (rows[0] ?? '').split(',').indexOf('User Count');
    const counts = new Set(rows.slice(1).map((row) => Number(row.split(',')[column])));
    assert.ok(counts.has(2) && counts.has(4) && Math.max(...counts) === 4, `user counts ${[...counts].join(', ')}`);
    assert.ok(srv.requests.length > 0 && srv.requests.every((r) => r.method === 'GET' && r.url === '/read'), 'only the Reader class ran');
    assert.equal(aggregatedCount(prefix), srv.requests.length);
  } finally {
    await redis.stop();
  }
});

test('the open model over 2 workers: every scheduled arrival runs once, on either worker; counts exact; judged as on one machine', async () => {
  const redis = await startRedis();
  try {
    srv.requests.length = 0;
    const prefix = join(dir, 'open');
    const workers = [startWorker(['--broker', redis.url]), startWorker(['--broker', redis.url])];
    const master = await runCli(['-f', FILE, '-H', srv.url, '--target-rate', '200', '--max-users', '400', '-t', '3s', '--master', '--broker', redis.url, '--expect-workers', '2', '--csv', prefix, '--json', `${prefix}.json`]);
    assert.equal(master.code, 0, master.stdout + master.stderr);
    for (const w of await Promise.all(workers.map((x) => x.done))) assert.equal(w.code, 0, w.stdout + w.stderr);
    const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as JsonRun & { open_model: { dispatched: number; dropped: number } };
    assert.ok(Math.abs(json.open_model.dispatched - 600) <= 2, `dispatched ${json.open_model.dispatched} of 600 scheduled`);
    // A pool of 200 per worker: none is dropped unless the machine stalls for a second (then each is counted).
    assert.ok(json.open_model.dropped <= 5, `dropped ${json.open_model.dropped}`);
    assert.equal(aggregatedCount(prefix), srv.requests.length);
    assert.equal(srv.requests.length, json.open_model.dispatched - json.open_model.dropped, 'each arrival not dropped ran once');
    assert.ok((json.run.workers ?? []).every((w) => w.requests > 0 && w.users > 0), 'both workers ran arrivals, each with a pool of users');
  } finally {
    await redis.stop();
  }
});

test('workers on hosts of their own (network namespaces joined by a bridge, as root): the target sees two hosts, the counts stay exact', async (t) => {
  const lab = createNetnsLab(2);
  if (lab === null) {
    t.skip('no network namespaces here (needs root and ip): the loopback tests cover the same run');
    return;
  }
  const target = await startRecordingServer(undefined, lab.hostIp);
  const redis = await startRedis({ bind: lab.hostIp });
  try {
    const prefix = join(dir, 'netns');
    const workers = [0, 1].map((i) => startWorker(['--broker', redis.url], lab.prefix(i)));
    const master = await runCli(['-f', FILE, '-H', target.url, '-u', '4', '-r', '50', '-t', '3s', '--master', '--broker', redis.url, '--expect-workers', '2', '--csv', prefix]);
    assert.equal(master.code, 0, master.stdout + master.stderr);
    for (const w of await Promise.all(workers.map((x) => x.done))) assert.equal(w.code, 0, w.stdout + w.stderr);
    assert.equal(aggregatedCount(prefix), target.requests.length);
    assert.deepEqual([...new Set(target.requests.map((r) => r.remoteAddress.replace(/^::ffff:/, '')))].sort(), [...lab.ips].sort(), 'each worker sends from its own host');
  } finally {
    await target.close();
    await redis.stop();
    lab.destroy();
  }
});

test('rediss:// (a TLS broker): master and worker trusting its CA run as over redis://; one that does not is refused with one line', async () => {
  const certs = testCertificates();
  const redis = await startRedis({ tls: { certPath: certs.server.certPath, keyPath: certs.server.keyPath, caPath: certs.ca.certPath } });
  try {
    assert.match(redis.url, /^rediss:\/\//);
    const trust = { NODE_EXTRA_CA_CERTS: certs.ca.certPath };
    const untrusted = await runCli(['--worker', '--broker', redis.url]);
    assert.equal(untrusted.code, 2);
    assert.match(untrusted.stderr, /^error: cannot reach the broker rediss:\/\/127\.0\.0\.1:\d+: .*certificate/);
    srv.requests.length = 0;
    const prefix = join(dir, 'tls');
    const worker = startWorker(['--broker', redis.url], [], trust);
    const master = await runCli(['-f', FILE, '-H', srv.url, '-u', '2', '-r', '50', '-t', '2s', '--master', '--broker', redis.url, '--csv', prefix], { env: trust });
    assert.equal(master.code, 0, master.stdout + master.stderr);
    const w = await worker.done;
    assert.equal(w.code, 0, w.stdout + w.stderr);
    assert.equal(aggregatedCount(prefix), srv.requests.length);
  } finally {
    await redis.stop();
  }
});

test('--run-id: two runs share a broker side by side; a second master for a live run id is refused with one line before it writes anything', async () => {
  const redis = await startRedis();
  try {
    const a = startWorker(['--broker', redis.url, '--run-id', 'alpha']);
    const b = startWorker(['--broker', redis.url, '--run-id', 'beta']);
    const runA = join(dir, 'alpha');
    const runB = join(dir, 'beta');
    const second = join(dir, 'second');
    let refused: Promise<CliResult> | null = null;
    const [ra, rb] = await Promise.all([
      runCli(['-f', FILE, '-H', srv.url, '-u', '2', '-r', '50', '-t', '3s', '--master', '--broker', redis.url, '--run-id', 'alpha', '--csv', runA], {
        onStdout: (out) => {
          if (refused === null && out.includes('Users run in 1 workers')) refused = runCli(['-f', FILE, '-H', srv.url, '-t', '3s', '--master', '--broker', redis.url, '--run-id', 'alpha', '--csv', second]);
        },
      }),
      runCli(['-f', FILE, '-H', srv.url, '-u', '2', '-r', '50', '-t', '3s', '--master', '--broker', redis.url, '--run-id', 'beta', '--csv', runB]),
    ]);
    assert.equal(ra.code, 0, ra.stdout + ra.stderr);
    assert.equal(rb.code, 0, rb.stdout + rb.stderr);
    for (const w of await Promise.all([a.done, b.done])) assert.equal(w.code, 0, w.stdout + w.stderr);
    assert.ok(aggregatedCount(runA) > 0 && aggregatedCount(runB) > 0);
    assert.ok(refused !== null, 'the second master was started');
    const r = await (refused as Promise<CliResult>);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: another master is running run "alpha" on the broker redis:\/\/127\.0\.0\.1:\d+/);
    assert.throws(() => readFileSync(`${second}_stats.csv`), 'the refused master wrote nothing');
  } finally {
    await redis.stop();
  }
});

test('a TOML --scenario file of the master\'s reaches workers that do not have it', async () => {
  const redis = await startRedis();
  try {
    srv.requests.length = 0;
    const scenario = join(dir, 'mine.toml');
    writeFileSync(scenario, '[duration]\ntotal_seconds = 2\n[arrival]\npattern = "constant"\nrate = 100.0\n[operations]\nstore_weight = 1.0\nrecall_weight = 1.0\n');
    const prefix = join(dir, 'toml');
    const worker = startWorker(['--broker', redis.url]);
    const master = await runCli(['--scenario', scenario, '-H', srv.url, '--master', '--broker', redis.url, '--expect-workers-max-wait', '15s', '--csv', prefix, '--json', `${prefix}.json`]);
    assert.notEqual(master.code, 2, master.stdout + master.stderr);
    assert.match(master.stdout, /joined \(1 ready\)/);
    const w = await worker.done;
    assert.equal(w.code, 0, w.stdout + w.stderr);
    const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as JsonRun & { open_model: { dispatched: number; dropped: number } };
    assert.ok(json.open_model.dispatched >= 190, `dispatched ${json.open_model.dispatched}`);
    assert.equal(aggregatedCount(prefix), srv.requests.length);
  } finally {
    await redis.stop();
  }
});

test('--web-ui on the master: Locust\'s /stats/requests lists the workers, the page\'s state says when each was last heard from', async () => {
  const redis = await startRedis();
  try {
    srv.requests.length = 0;
    const prefix = join(dir, 'web');
    const workers = [startWorker(['--broker', redis.url]), startWorker(['--broker', redis.url])];
    const ui = await startWebUi(['-f', FILE, '-H', srv.url, '-u', '4', '-r', '50', '-t', '4s', '--master', '--broker', redis.url, '--expect-workers', '2', '--csv', prefix, '--autostart', '--autoquit', '0']);
    const seen = await waitFor('both workers running users', async () => {
      const s = (await (await fetch(new URL('stats/requests', ui.url))).json()) as { state: string; workers?: Array<{ id: string; state: string; user_count: number; cpu_usage: number }> };
      return s.workers?.length === 2 && s.workers.every((w) => w.user_count === 2) ? s : undefined;
    });
    assert.ok(seen.workers?.every((w) => typeof w.cpu_usage === 'number' && typeof w.id === 'string' && w.state !== 'missing'));
    const state = (await (await fetch(new URL('api/state', ui.url))).json()) as { workers: Array<{ users: number; lastHeardSec: number; lost: boolean }> | null };
    assert.equal(state.workers?.length, 2);
    assert.ok(state.workers?.every((w) => w.lastHeardSec < 2 && !w.lost), JSON.stringify(state.workers));
    const r = await ui.exited;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const w of await Promise.all(workers.map((x) => x.done))) assert.equal(w.code, 0, w.stdout + w.stderr);
    assert.equal(aggregatedCount(prefix), srv.requests.length, 'the UI\'s run is the distributed run: merged counts exact');
  } finally {
    await redis.stop();
  }
});

test("Locust's custom messages through the broker (custom_messages.py): the master's share of names reaches each worker before its users, each worker's thanks reach the master", async () => {
  const redis = await startRedis();
  try {
    const file = 'test/locust-examples/custom_messages.mjs';
    const env = { LOCUST_EXAMPLE_SLEEP: '0.3' };
    const w1 = startWorker(['--broker', redis.url, '-f', file], [], env);
    const w2 = startWorker(['--broker', redis.url, '-f', file], [], env);
    const master = await runCli(['-f', file, '-H', srv.url, '-u', '6', '-r', '50', '-t', '3s', '--master', '--broker', redis.url, '--expect-workers', '2', '--only-summary', '--csv', join(dir, 'messages')], { env });
    assert.equal(master.code, 0, master.stdout + master.stderr);
    const workers = await Promise.all([w1.done, w2.done]);
    for (const w of workers) assert.equal(w.code, 0, w.stdout + w.stderr);
    assert.deepEqual(master.stdout.split('\n').filter((l) => l.startsWith('Thanks')), ['Thanks for the 3 users!', 'Thanks for the 3 users!']);
    assert.equal(master.stdout.split('\n').filter((l) => l === 'finished processing concurrent_message').length, 2);
    const names = workers.map((w) => [...new Set(w.stdout.split('\n').filter((l) => /^User\d+$/.test(l)))].sort());
    assert.deepEqual(names.map((n) => n.length), [3, 3], `each worker's users took its share: ${JSON.stringify(names)}`);
    assert.deepEqual(names.flat().sort(), ['User0', 'User1', 'User2', 'User3', 'User4', 'User5']);
  } finally {
    await redis.stop();
  }
});
