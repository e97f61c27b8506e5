/**
 * Distributed runs (issue 19), when something fails: a worker killed with -9 (its lease expires, its
 * users start again elsewhere), a worker that joins late, the broker restarted or gone for good,
 * the master killed, and input refused with one line. Real redis-server, real processes.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import type { RecordingServer } from '../helpers/recording-server.js';
import { startRedis } from '../helpers/redis-server.js';
import { FILE, aggregatedCount, startCountingTarget, startWorker, type JsonRun } from '../helpers/distributed-run.js';

const dir = mkdtempSync(join(tmpdir(), 'brood-distributed-faults-'));
let srv: RecordingServer;
/** When the target received each request (wall ms), in order. */
let receivedAt: number[] = [];

before(async () => {
  ({ srv, receivedAt } = await startCountingTarget());
});

after(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
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

test('--allow-worker-loss: a run that lost a worker may pass (exit 0), and still says it lost one', async () => {
  const redis = await startRedis();
  try {
    const w1 = startWorker(['--broker', redis.url]);
    const w2 = startWorker(['--broker', redis.url]);
    let killed = false;
    const master = await runCli(['-f', FILE, '-H', srv.url, '-u', '4', '-r', '100', '-t', '7s', '--master', '--broker', redis.url, '--expect-workers', '2', '--allow-worker-loss', '--csv', join(dir, 'allowed')], {
      onStdout: (out) => {
        if (!killed && out.includes('Users run in 2 workers')) {
          killed = true;
          setTimeout(() => w2.child.kill('SIGKILL'), 1000);
        }
      },
    });
    assert.equal(master.code, 0, master.stdout + master.stderr);
    assert.match(master.stdout, /lost \(sent no heartbeat for 3 s\): its 2 users start again on the other 1 worker/);
    assert.match(master.stdout, /Workers: 2, 1 lost \(--allow-worker-loss\)/);
    assert.equal((await w1.done).code, 0);
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
