/**
 * The ready-made workloads through the real runner (Job) against the demo server: a scenario run
 * with its own targets exits 0 with zero failures and the seed's custom metrics, and the step
 * shape finds a breaking point on a slow, low-capacity server and says where.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { startDemoServer, type RunningDemoServer } from '../../src/demo-server/server.js';
import { findScenario } from '../../scenarios/index.js';
import { StepLoadShape } from '../../shapes/index.js';
import { BurstTrafficUser } from '../../users/index.js';
import { makeJob } from '../helpers/job.js';

describe('scenarios through the runner', () => {
  let server: RunningDemoServer;
  before(async () => {
    server = await startDemoServer({ seed: 11 });
  });
  after(() => server.close());

  test('quick: every class runs, no failures, targets met, seed metrics recorded', async () => {
    const sc = findScenario('quick');
    const { job, dir } = makeJob({
      host: server.url, userClasses: sc.userClasses, users: 25, spawnRate: 25, runTimeSec: 3, targets: sc.targets, scenario: sc.name,
    });
    const statusByName = new Map<string, number>();
    job.hooks.request.on((e) => statusByName.set(`${e.method} ${e.name}`, e.status));
    try {
      const result = await job.run();
      assert.equal(result.totalFailures, 0);
      assert.ok(result.totalRequests > 50, `requests: ${result.totalRequests}`);
      assert.equal(result.exitCode, 0);
      assert.ok(result.targets.length === sc.targets.length && result.targets.every((t) => t.met));
      for (const name of ['POST /learn', 'POST /recall', 'POST /federation/contribute']) assert.ok(statusByName.has(name), `sent ${name}`);
      const metrics = readFileSync(job.paths.customMetrics, 'utf8');
      for (const m of ['concepts_extracted', 'concepts_found', 'relationships_found', 'query_time_ms']) {
        assert.match(metrics, new RegExp(`^${m},`, 'm'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('StepLoadShape until failure', () => {
  let server: RunningDemoServer;
  before(async () => {
    // ~80 req/s of capacity (4 slots × 50 ms), a short queue: past it the server answers 503.
    server = await startDemoServer({ seed: 12, latencyMs: 50, maxConcurrency: 4, queueLimit: 8 });
  });
  after(() => server.close());

  test('stops at the step where failures or P95 pass their bound, and says which', async () => {
    const shape = new StepLoadShape({
      stepUsers: 10, stepTimeSec: 1, timeLimitSec: 30, spawnRate: 50, maxFailureRatio: 0.05, maxP95Ms: 250, sustainSec: 2,
    });
    const { job, dir } = makeJob({ host: server.url, userClasses: [BurstTrafficUser], shape, shapeName: 'step', runTimeSec: null });
    try {
      const started = performance.now();
      const result = await job.run();
      const seconds = (performance.now() - started) / 1000;
      assert.match(result.reason, /^breaking point: step (\d+) at (\d+) users \((failures [\d.]+% > 5%|P95 \d+ ms > 250 ms)\)$/);
      const [, step, users] = /step (\d+) at (\d+) users/.exec(result.reason) ?? [];
      assert.ok(Number(users) > (Number(step) - 1) * 10 && Number(users) <= Number(step) * 10, 'the users belong to the step');
      assert.ok(Number(users) > 10, 'the first step is within capacity');
      assert.ok(seconds < 20, `stopped early (${seconds.toFixed(1)} s), not at the time limit`);
      const history = readFileSync(job.paths.statsHistory, 'utf8').trim().split('\n');
      assert.ok(history.length >= 3, 'stats_history has a row per second');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
