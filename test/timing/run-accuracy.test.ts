import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HttpUser } from '../../src/http/http-user.js';
import { task } from '../../src/core/task-decorators.js';
import { constant } from '../../src/core/wait-time.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';
import { makeJob } from '../helpers/job.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

test('N users with constant(c) against delay d give N/(c+d) requests/s within 5%', async () => {
  const d = 0.1;
  const c = 0.2;
  const n = 20;
  const target = await startTargetServer({ delayMs: d * 1000 });
  servers.push(target);
  class Paced extends HttpUser {
    override waitTime = constant(c);
    @task async hit(): Promise<void> {
      await this.client.get('/paced');
    }
  }
  // Spawn over one cycle so users are evenly phased and a counting window cuts no bunch of them.
  const { job } = makeJob({ host: target.url, userClasses: [Paced], users: n, spawnRate: n / (c + d), runTimeSec: 6.5 });
  const times: number[] = [];
  job.hooks.request.on(() => times.push(performance.now()));
  const start = performance.now();
  await job.run();
  const inWindow = times.filter((t) => t - start >= 1500 && t - start < 5500).length;
  const rate = inWindow / 4;
  const expected = n / (c + d);
  assert.ok(Math.abs(rate / expected - 1) < 0.05, `rate ${rate.toFixed(2)}/s vs expected ${expected.toFixed(2)}/s`);
});

test('reported percentiles match a known server delay distribution within 2%; counts match the server exactly', async () => {
  // Delays cycle through 200..399 ms, so the empirical distribution is exactly uniform; delays this
  // long keep the test server's own timer lateness (1-2 ms) well under the 2% being checked.
  let next = 0;
  const target = await startTargetServer({ delayMs: () => 200 + (next++ % 200) });
  servers.push(target);
  class Hammer extends HttpUser {
    @task(3) async a(): Promise<void> {
      await this.client.get('/a');
    }
    @task(1) async b(): Promise<void> {
      await this.client.post('/b', { json: { x: 1 } });
    }
  }
  const { job, dir } = makeJob({ host: target.url, userClasses: [Hammer], users: 100, spawnRate: 1000, runTimeSec: 5 });
  const result = await job.run();
  const { entries, aggregated } = job.stats.summaries(Date.now());
  // Counts: exactly what the server received, per endpoint and in total.
  assert.equal(aggregated.numRequests, target.total());
  assert.equal(entries.find((e) => e.name === '/a')?.numRequests, target.counts.get('GET /a'));
  assert.equal(entries.find((e) => e.name === '/b')?.numRequests, target.counts.get('POST /b'));
  assert.equal(result.totalRequests, target.total());
  assert.ok(aggregated.numRequests > 1000, `enough samples: ${aggregated.numRequests}`);
  // Percentiles (index into PERCENTILES: 0=50%, 2=75%, 4=90%, 5=95%).
  const expected: Array<[number, number]> = [[0, 300], [2, 350], [4, 380], [5, 390]];
  for (const [i, want] of expected) {
    const got = aggregated.percentilesMs[i] ?? 0;
    assert.ok(Math.abs(got / want - 1) < 0.02, `percentile #${i}: ${got} ms vs ${want} ms`);
  }
  // The CSV written at exit has the final totals (Locust's can be a second stale).
  const csv = readFileSync(`${dir}/run_stats.csv`, 'utf8').split('\r\n');
  const aggRow = csv.find((l) => l.startsWith(',Aggregated,'));
  assert.equal(aggRow?.split(',')[2], String(target.total()));
});

test('task weights hold within ±2 points over >= 10 000 tasks; the same seed replays each user', async () => {
  const target = await startTargetServer();
  servers.push(target);
  class Mixed extends HttpUser {
    @task(6) async read(): Promise<void> {
      await this.client.get('/read');
    }
    @task(3) async write(): Promise<void> {
      await this.client.post('/write');
    }
    @task(1) async stats(): Promise<void> {
      await this.client.get('/stats');
    }
  }
  const runOnce = async (): Promise<{ counts: Map<string, number>; firstOfUser0: string[] }> => {
    const { job } = makeJob({ host: target.url, userClasses: [Mixed], users: 10, spawnRate: 1000, runTimeSec: 4, seed: 99 });
    const counts = new Map<string, number>();
    const firstOfUser0: string[] = [];
    job.hooks.request.on((e) => {
      counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
      if (e.userId === 0 && firstOfUser0.length < 30) firstOfUser0.push(e.name);
    });
    await job.run();
    return { counts, firstOfUser0 };
  };
  const first = await runOnce();
  const total = [...first.counts.values()].reduce((a, b) => a + b, 0);
  assert.ok(total >= 10_000, `at least 10 000 tasks, got ${total}`);
  const shares: Array<[string, number]> = [['/read', 0.6], ['/write', 0.3], ['/stats', 0.1]];
  for (const [name, share] of shares) {
    const observed = (first.counts.get(name) ?? 0) / total;
    assert.ok(Math.abs(observed - share) < 0.02, `${name}: ${observed} vs ${share}`);
  }
  const second = await runOnce();
  assert.deepEqual(second.firstOfUser0, first.firstOfUser0);
});
