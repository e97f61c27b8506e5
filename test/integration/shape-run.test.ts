import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HttpUser } from '../../src/http/http-user.js';
import { LoadShape, type ShapeTick } from '../../src/core/shape.js';
import { task } from '../../src/core/task-decorators.js';
import { constant } from '../../src/core/wait-time.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';
import { makeJob } from '../helpers/job.js';
import { runCli } from '../helpers/cli.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

class Reader extends HttpUser {
  override waitTime = constant(0.1);
  @task async read(): Promise<void> {
    await this.client.get('/read');
  }
}
class Writer extends HttpUser {
  override waitTime = constant(0.1);
  @task async write(): Promise<void> {
    await this.client.post('/write');
  }
}

/** 2 users for 2 s, then 6 for 2 s (Writers only from 4 s), then the end. */
class ThreeSteps extends LoadShape {
  tick(t: number): ShapeTick | null {
    if (t < 2) return { users: 2, spawnRate: 100 };
    if (t < 4) return { users: 6, spawnRate: 100 };
    if (t < 6) return { users: 3, spawnRate: 100, userClasses: ['Writer'] };
    this.stopReason = 'three steps done';
    return null;
  }
}

test('stats_history follows the shape; userClasses restricts who runs; null ends the run with its reason', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const { job, dir } = makeJob({ host: target.url, userClasses: [Reader, Writer], shape: new ThreeSteps(), shapeName: 'ThreeSteps', runTimeSec: null, csvFullHistory: true });
  let writersOnlyFrom = 0;
  const start = performance.now();
  job.hooks.request.on((e) => {
    if (e.name === '/read') writersOnlyFrom = performance.now() - start;
  });
  const result = await job.run();
  assert.equal(result.reason, 'three steps done');
  const rows = readFileSync(`${dir}/run_stats_history.csv`, 'utf8').trim().split('\r\n').slice(1).map((l) => l.split(','));
  const aggregated = rows.filter((r) => r[3] === 'Aggregated').map((r) => Number(r[1]));
  // One Aggregated row per second: ~2 s at 2 users, ~2 s at 6, ~2 s at 3, then the final row at 0.
  assert.ok(aggregated.length >= 6 && aggregated.length <= 8, `rows: ${aggregated}`);
  assert.deepEqual(aggregated.slice(0, 1), [2]);
  assert.ok(aggregated.includes(6), `peak of 6 users: ${aggregated}`);
  assert.equal(aggregated.at(-2), 3, `last step 3 users: ${aggregated}`);
  assert.equal(aggregated.at(-1), 0, 'final row after everyone stopped');
  // --csv-full-history: per-endpoint rows too.
  assert.ok(rows.some((r) => r[2] === 'GET' && r[3] === '/read'));
  assert.ok(rows.some((r) => r[2] === 'POST' && r[3] === '/write'));
  // Readers were stopped when the shape restricted to Writers (allow the graceful finish of a task).
  assert.ok(writersOnlyFrom < 4500, `last /read at ${writersOnlyFrom} ms`);
});

test('a test file that exports a shape uses it; --run-time is an alias of -t', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const r = await runCli(['-f', 'test/fixtures/with-shape.mjs', '-H', target.url, '--run-time', '2s', '--only-summary', '--results-dir', `/tmp/brood-shape-${process.pid}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /shape TwoUsers/);
  assert.match(r.stdout, /Run ended after 2\.\d s: run time limit reached/);
});

test('stats_history never repeats a second, the final row after shutdown included', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const { job, dir } = makeJob({ host: target.url, userClasses: [Reader], users: 3, runTimeSec: 2.05 }); // the final roll lands in the second of the last regular one
  await job.run();
  const stamps = readFileSync(`${dir}/run_stats_history.csv`, 'utf8').trim().split('\r\n').slice(1).map((l) => Number(l.split(',')[0]));
  assert.ok(stamps.length >= 3, `rows: ${stamps}`);
  for (let i = 1; i < stamps.length; i++) assert.ok((stamps[i] as number) > (stamps[i - 1] as number), `increasing: ${stamps}`);
});

/** Users per onStart time (ms since the run's start), for a shape's ramp. */
const started: number[] = [];
let runStart = 0;
class Starter extends Reader {
  override onStart(): Promise<void> {
    started.push(performance.now() - runStart);
    return Promise.resolve();
  }
}

/** 3 users at half a user per second for 5 s, then 2 at once for 3 s, then the end. */
class SlowThenHeld extends LoadShape {
  tick(t: number): ShapeTick | null {
    if (t < 5) return { users: 3, spawnRate: 0.5 };
    if (t < 8) return { users: 2, spawnRate: 100 };
    return null;
  }
}

test('a shape\'s tick that says the same again changes nothing (as Locust): a spawn rate under 1/s holds, spawningComplete fires once per target', { timeout: 20_000 }, async () => {
  const target = await startTargetServer();
  servers.push(target);
  started.length = 0;
  const { job } = makeJob({ host: target.url, userClasses: [Starter], shape: new SlowThenHeld(), shapeName: 'SlowThenHeld', runTimeSec: null, loglevel: 'info' });
  const completes: Array<{ at: number; users: number }> = [];
  job.hooks.spawningComplete.on(({ userCount }) => completes.push({ at: performance.now() - runStart, users: userCount }));
  runStart = performance.now();
  await job.run();
  // At 0.5/s: one user at once, then one every 2 s (re-applying the tick every second had started one each second).
  assert.equal(started.length, 3, `users started at ${started.map((t) => t.toFixed(0)).join(', ')} ms`);
  for (let i = 1; i < started.length; i++) {
    const gap = (started[i] as number) - (started[i - 1] as number);
    assert.ok(gap > 1700 && gap < 2500, `users started at ${started.map((t) => t.toFixed(0)).join(', ')} ms`);
  }
  // Once when the 3 were up (~4 s), once when the shape went down to 2 (~5 s): never every second.
  assert.deepEqual(completes.map((c) => c.users), [3, 2], JSON.stringify(completes));
  const log = readFileSync(job.paths.log, 'utf8');
  assert.equal(log.match(/All users spawned/g)?.length, 2, log);
  assert.equal(log.match(/Shape: ramping to 3 users at a rate of 0\.50 per second/g)?.length, 1, log);
  assert.equal(log.match(/Shape: ramping to 2 users at a rate of 100\.00 per second/g)?.length, 1, log);
});

/** 2 users at 2/s until 3 s, then 4 at 1/s until 6 s, then the end: two ramps, each followed by a steady second or more. */
class TwoRamps extends LoadShape {
  tick(t: number): ShapeTick | null {
    if (t < 3) return { users: 2, spawnRate: 2 };
    if (t < 6) return { users: 4, spawnRate: 1 };
    return null;
  }
}

test('with a shape, each new tick\'s ramp is "spawning" again until it reaches its target, then "running" (Locust\'s state)', { timeout: 20_000 }, async () => {
  const target = await startTargetServer();
  servers.push(target);
  const { job } = makeJob({ host: target.url, userClasses: [Reader], shape: new TwoRamps(), shapeName: 'TwoRamps', runTimeSec: null });
  const changes: Array<{ phase: string; at: number }> = [];
  const t0 = performance.now();
  const sample = (): void => {
    const phase = job.phase();
    if (changes.at(-1)?.phase !== phase) changes.push({ phase, at: performance.now() - t0 });
  };
  const sampler = setInterval(sample, 50);
  try {
    await job.run();
  } finally {
    clearInterval(sampler);
  }
  const seen = changes.map((c) => c.phase).filter((p) => p !== 'starting' && p !== 'stopping' && p !== 'stopped');
  const text = changes.map((c) => `${c.phase}@${c.at.toFixed(0)}`).join(' ');
  assert.deepEqual(seen, ['spawning', 'running', 'spawning', 'running'], text);
  // The second ramp starts with the tick at 3 s and ends when its second user is up, one second later.
  const second = changes.filter((c) => c.phase === 'spawning')[1]?.at ?? 0;
  const settled = changes.filter((c) => c.phase === 'running')[1]?.at ?? 0;
  assert.ok(second > 2800 && second < 3600, text);
  assert.ok(settled - second > 700 && settled - second < 1500, text);
});
