/**
 * Distributed runs (issue 19): a real redis-server as the broker, a real master and real --worker
 * processes, a real target that counts what it got. The merged stats must equal the target's
 * count; a worker killed with -9 is detected by its lease and its users start again on the other;
 * a killed master stops its workers; a broker restart loses nothing.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { createNetnsLab } from '../helpers/netns.js';
import { testCertificates } from '../helpers/tls-certs.js';

const FILE = 'test/fixtures/distributed/hits.mjs';
const dir = mkdtempSync(join(tmpdir(), 'brood-distributed-'));
let srv: RecordingServer;
/** When the target received each request (wall ms), in order. */
const receivedAt: number[] = [];

before(async () => {
  srv = await startRecordingServer((_req, res) => {
    receivedAt.push(Date.now());
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});

after(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A --worker process; `done` settles with its exit code and output. */
function startWorker(args: readonly string[], prefix: readonly string[] = [], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult>; out: () => string } {
  const command = [...prefix, process.execPath, CLI, '--worker', ...args];
  const child = spawn(command[0] ?? '', command.slice(1), { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, done, out: () => stdout + stderr };
}

/** The Aggregated row's request count of a _stats.csv. */
function aggregatedCount(prefix: string): number {
  const row = readFileSync(`${prefix}_stats.csv`, 'utf8').split('\n').find((l) => l.startsWith(',Aggregated,'));
  assert.ok(row, 'the stats CSV has an Aggregated row');
  return Number(row.split(',')[2]);
}

interface JsonRun {
  run: { workers?: Array<{ id: string; users: number; requests: number; lost: boolean }>; workers_lost?: number };
}

async function brokerKeys(redis: RedisServer): Promise<string> {
  return redis.command('KEYS brood:*');
}

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
    assert.ok((json.run.workers ?? []).every((w) => w.requests > 0), 'both workers ran arrivals');
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

test('a worker killed with -9 mid-run: lost by its lease within ~3 s, its users start again on the other worker, the run exits 1 and says so', async () => {
  const redis = await startRedis();
  try {
    srv.requests.length = 0;
    receivedAt.length = 0;
    const prefix = join(dir, 'lost');
    const w1 = startWorker(['--broker', redis.url]);
    const w2 = startWorker(['--broker', redis.url]);
    let killedAt = 0;
    const master = await runCli(['-f', FILE, '-H', srv.url, '-u', '6', '-r', '100', '-t', '10s', '--master', '--broker', redis.url, '--expect-workers', '2', '--csv', prefix, '--json', `${prefix}.json`, '--html', `${prefix}.html`], {
      onStdout: (out) => {
        if (killedAt === 0 && out.includes('Users run in 2 workers')) {
          killedAt = -1;
          setTimeout(() => {
            killedAt = Date.now();
            w2.child.kill('SIGKILL');
          }, 2000);
        }
      },
    });
    assert.equal(master.code, 1, master.stdout + master.stderr);
    assert.match(master.stdout, /warning: worker \S+ \(pid \d+\) lost \(sent no heartbeat for 3 s\): its 3 users start again on the other 1 worker/);
    assert.match(master.stdout, /Workers: 2, 1 lost: the load was not what was asked, the run fails/);
    const survivor = await w1.done;
    assert.equal(survivor.code, 0, survivor.stdout + survivor.stderr);
    const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as JsonRun;
    assert.equal(json.run.workers_lost, 1);
    assert.match(readFileSync(`${prefix}.html`, 'utf8'), /1 worker was lost during the run/);
    assert.deepEqual((json.run.workers ?? []).map((w) => [w.users, w.lost]).sort((a, b) => Number(a[1]) - Number(b[1])), [[6, false], [3, true]]);
    // The target's rate: before the kill (6 users), and from 5 s after it (6 users again, all on one worker).
    const rate = (from: number, to: number): number => receivedAt.filter((t) => t >= from && t < to).length / ((to - from) / 1000);
    const start = receivedAt[0] ?? 0;
    const before = rate(start + 500, killedAt);
    const afterLoss = rate(killedAt + 5000, killedAt + 7000);
    assert.ok(afterLoss > 0.75 * before, `req/s before the kill ${before.toFixed(0)}, from 5 s after it ${afterLoss.toFixed(0)}: the lost users were not replaced`);
    // What the killed worker sent after its last snapshot is lost; everything else is counted once.
    const total = aggregatedCount(prefix);
    assert.ok(total <= srv.requests.length && total > 0.9 * srv.requests.length, `stats ${total}, target ${srv.requests.length}`);
  } finally {
    await redis.stop();
  }
});

test('the broker restarts mid-run: the run goes on, no worker is lost, and the merged counts still equal the target\'s', async () => {
  const redis = await startRedis();
  try {
    srv.requests.length = 0;
    const prefix = join(dir, 'restart');
    const w1 = startWorker(['--broker', redis.url]);
    const w2 = startWorker(['--broker', redis.url]);
    // Set from the stdout callback (a holder, so the type checker sees it may be set).
    const restart: { done: Promise<void> | null } = { done: null };
    const master = await runCli(['-f', FILE, '-H', srv.url, '-u', '4', '-r', '100', '-t', '8s', '--master', '--broker', redis.url, '--expect-workers', '2', '--csv', prefix], {
      onStdout: (out) => {
        if (restart.done === null && out.includes('Users run in 2 workers')) restart.done = new Promise((r) => setTimeout(r, 2000)).then(() => redis.restart(500));
      },
    });
    assert.ok(restart.done !== null, 'the broker was restarted');
    await restart.done;
    assert.equal(master.code, 0, master.stdout + master.stderr);
    assert.doesNotMatch(master.stdout, /lost/);
    const [r1, r2] = await Promise.all([w1.done, w2.done]);
    assert.equal(r1.code, 0, r1.stdout + r1.stderr);
    assert.equal(r2.code, 0, r2.stdout + r2.stderr);
    assert.equal(aggregatedCount(prefix), srv.requests.length, 'snapshots sent while the broker was down arrived, once each');
  } finally {
    await redis.stop();
  }
});

test('a worker that joins late takes the next users; nothing is counted twice', async () => {
  const redis = await startRedis();
  try {
    srv.requests.length = 0;
    const prefix = join(dir, 'late');
    const first = startWorker(['--broker', redis.url]);
    const late: Array<ReturnType<typeof startWorker>> = [];
    const master = await runCli(['-f', FILE, '-H', srv.url, '-u', '6', '-r', '2', '-t', '5s', '--master', '--broker', redis.url, '--expect-workers', '1', '--csv', prefix, '--json', `${prefix}.json`], {
      onStdout: (out) => {
        if (late.length === 0 && out.includes('Users run in 1 workers')) late.push(startWorker(['--broker', redis.url]));
      },
    });
    assert.equal(master.code, 0, master.stdout + master.stderr);
    for (const w of await Promise.all([first, ...late].map((x) => x.done))) assert.equal(w.code, 0, w.stdout + w.stderr);
    const workers = (JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as JsonRun).run.workers ?? [];
    assert.equal(workers.length, 2);
    assert.ok(workers.every((w) => w.users > 0 && w.requests > 0), JSON.stringify(workers));
    assert.equal(workers.reduce((n, w) => n + w.users, 0) >= 6, true);
    assert.equal(aggregatedCount(prefix), srv.requests.length);
  } finally {
    await redis.stop();
  }
});

test('the broker gone for longer than --broker-timeout: the master stops the run with one line and exits 1, its files whole; the workers stop too', async () => {
  const redis = await startRedis();
  try {
    const prefix = join(dir, 'broker-gone');
    const worker = startWorker(['--broker', redis.url, '--broker-timeout', '2s']);
    const stopped: { done: Promise<void> | null } = { done: null };
    const master = await runCli(['-f', FILE, '-H', srv.url, '-u', '2', '-r', '50', '-t', '60s', '--master', '--broker', redis.url, '--broker-timeout', '2s', '--csv', prefix], {
      onStdout: (out) => {
        if (stopped.done === null && out.includes('Users run in 1 workers')) stopped.done = new Promise((r) => setTimeout(r, 1500)).then(() => redis.stop());
      },
    });
    assert.equal(master.code, 1, master.stdout + master.stderr);
    assert.match(master.stdout, /error: the broker redis:\/\/127\.0\.0\.1:\d+ was unreachable for \d+ s \(--broker-timeout 2s\): stopping the run/);
    assert.match(master.stdout, /Run ended after [\d.]+ s: the broker/);
    assert.ok(aggregatedCount(prefix) > 0, 'the requests up to the outage are in the files');
    const w = await worker.done;
    assert.equal(w.code, 1, w.stdout + w.stderr);
    assert.match(w.stdout + w.stderr, /has been unreachable for \d+ s \(--broker-timeout\)/);
  } finally {
    await redis.stop();
  }
});

test('the master killed with -9: its worker stops its users and exits 1 within 10 s; the files written so far are whole', async () => {
  const redis = await startRedis();
  try {
    const prefix = join(dir, 'master-dies');
    const worker = startWorker(['--broker', redis.url]);
    let killedAt = 0;
    const master = await runCli(['-f', FILE, '-H', srv.url, '-u', '2', '-r', '100', '-t', '60s', '--master', '--broker', redis.url, '--csv', prefix], {
      onStdout: (out, child) => {
        if (killedAt === 0 && out.includes('Users run in 1 workers')) {
          killedAt = -1;
          setTimeout(() => {
            killedAt = Date.now();
            child.kill('SIGKILL');
          }, 1500);
        }
      },
    });
    assert.equal(master.signal, 'SIGKILL');
    const w = await worker.done;
    const tookMs = Date.now() - killedAt;
    assert.equal(w.code, 1, w.stdout + w.stderr);
    assert.match(w.stdout + w.stderr, /the master is gone/);
    assert.ok(tookMs < 10_000, `the worker took ${tookMs} ms to stop`);
    const history = readFileSync(`${prefix}_stats_history.csv`, 'utf8').trim().split('\n');
    assert.ok(history.length >= 2 && history[0]?.startsWith('Timestamp,'), 'the history written so far is whole');
  } finally {
    await redis.stop();
  }
});

test('refused with one line, exit 2: a wrong or missing broker password, workers that do not come, a worker whose -f is not the master\'s', async () => {
  const redis = await startRedis({ password: 'sekret' });
  try {
    const base = ['-f', FILE, '-H', srv.url, '-t', '2s', '--master', '--csv', join(dir, 'refused')];
    const wrong = await runCli([...base, '--broker', redis.url.replace('sekret', 'wrong')]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /^error: the broker redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ refused the password/);
    assert.doesNotMatch(wrong.stdout + wrong.stderr, /wrong|sekret/);
    const none = await runCli([...base, '--broker', redis.url.replace(':sekret@', '')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /needs a password/);
    const lonely = await runCli([...base, '--broker', redis.url, '--expect-workers', '1', '--expect-workers-max-wait', '1s']);
    assert.equal(lonely.code, 2, lonely.stdout + lonely.stderr);
    assert.match(lonely.stderr, /^error: --expect-workers 1: 0 workers ready after 1 s; start them with run-load-tests --worker --broker redis:\/\/:\*\*\*@/m);
    const stranger = startWorker(['--broker', redis.url, '-f', 'test/fixtures/distributed/other.mjs']);
    const refused = await runCli([...base, '--broker', redis.url, '--expect-workers', '1', '--expect-workers-max-wait', '3s']);
    assert.equal(refused.code, 2);
    const w = await stranger.done;
    assert.equal(w.code, 2, w.stdout + w.stderr);
    assert.match(w.stdout + w.stderr, /error: the master refused this worker: its -f file is not the master's/);
  } finally {
    await redis.stop();
  }
});
