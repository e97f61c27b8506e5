import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HttpUser } from '../../src/http/http-user.js';
import { task } from '../../src/core/task-decorators.js';
import type { ArrivalSetup } from '../../src/runner/open/open-model-run.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';
import { makeJob } from '../helpers/job.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

class Store extends HttpUser {
  @task(2) async store(): Promise<void> {
    await this.client.post('/learn', { json: { text: 'x' } });
  }
  @task(1) async recall(): Promise<void> {
    await this.client.get('/recall');
  }
}

function arrival(pattern: ArrivalSetup['pattern'], extra: Partial<ArrivalSetup> = {}): ArrivalSetup {
  return { pattern, maxUsers: 10_000, windowSec: 60, criteria: { minThroughputRatio: 0.95, p99Ms: null, maxErrorRate: null }, ...extra };
}

interface OpenJson {
  latency: Record<string, { p99: number | null; count: number }>;
  request_latency: Record<string, unknown>;
  open_model: { dispatched: number; dropped: number; achieved_rate: number; windows: Array<{ completed: number; scheduled: number }>; service_time: Record<string, { p99: number | null }> };
}

test('constant 2 000/s for 20 s: achieved within ±1%, nothing dropped, per-operation mix by weight', { timeout: 60_000 }, async () => {
  const target = await startTargetServer();
  servers.push(target);
  const { job, dir } = makeJob({ host: target.url, userClasses: [Store], runTimeSec: 20, arrival: arrival({ pattern: 'constant', rate: 2000 }, { windowSec: 5 }) });
  const result = await job.run();
  const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8')) as OpenJson;
  const achieved = target.total() / 20;
  assert.ok(Math.abs(achieved / 2000 - 1) <= 0.01, `achieved ${achieved}/s`);
  assert.equal(json.open_model.dropped, 0);
  // The run-time limit may cut the last millisecond or two of the schedule.
  assert.ok(Math.abs(json.open_model.dispatched - 40_000) <= 40, `dispatched ${json.open_model.dispatched}`);
  const storeShare = (target.counts.get('POST /learn') ?? 0) / target.total();
  assert.ok(Math.abs(storeShare - 2 / 3) < 0.02, `store share ${storeShare}`);
  // Every 5 s window reached ≥ 95% of its schedule: the run passes its throughput criterion.
  assert.ok(json.open_model.windows.length >= 4);
  assert.ok(result.targets.find((t) => t.label.startsWith('Throughput'))?.met);
  assert.ok(json.request_latency, 'request-level latency kept beside the per-operation headline');
  assert.match(readFileSync(`${dir}/run_operations.csv`, 'utf8').split('\r\n')[0] ?? '', /^Type,Name,Operations,Failures,Achieved ops\/s,Latency 50%/);
});

test('poisson 500/s: arrival count matches the mean within 3%', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const { job } = makeJob({ host: target.url, userClasses: [Store], runTimeSec: 8, arrival: arrival({ pattern: 'poisson', mean_rate: 500 }), seed: 5 });
  await job.run();
  assert.ok(Math.abs(target.total() / 4000 - 1) < 0.03, `count ${target.total()}`);
});

test('a server that stalls 1 s every 3 s shows in the headline P99 (latency from the scheduled start)', async () => {
  const started = Date.now();
  // Requests arriving during a stall are answered when it ends.
  const stallWait = (): number => {
    const phase = (Date.now() - started) % 3000;
    return phase >= 1000 && phase < 2000 ? 2000 - phase : 1;
  };
  const target = await startTargetServer({ delayMs: stallWait });
  servers.push(target);
  const { job, dir } = makeJob({ host: target.url, userClasses: [Store], runTimeSec: 7, arrival: arrival({ pattern: 'constant', rate: 200 }) });
  await job.run();
  const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8')) as OpenJson;
  const p99 = json.latency.overall?.p99 ?? 0;
  assert.ok(p99 >= 800, `headline P99 shows the stall: ${p99} ms`);
  assert.equal(json.open_model.dropped, 0);
});

test('an exhausted pool drops arrivals and counts them instead of slowing down', async () => {
  const target = await startTargetServer({ delayMs: 200 });
  servers.push(target);
  const { job, dir, lines } = makeJob({ host: target.url, userClasses: [Store], runTimeSec: 3, arrival: arrival({ pattern: 'constant', rate: 400 }, { maxUsers: 20 }) });
  await job.run();
  const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8')) as OpenJson;
  // 20 users × 5 ops/s each = 100 ops/s served; ~300 of 400 arrivals per second have no user.
  assert.ok(json.open_model.dropped > 500, `dropped ${json.open_model.dropped}`);
  assert.ok(json.open_model.dispatched >= 1185 && json.open_model.dispatched <= 1215, `the schedule kept its pace: ${json.open_model.dispatched}`);
  assert.ok(lines.some((l) => /dropped [1-9]\d+/.test(l)), 'the summary says how many were dropped');
});
