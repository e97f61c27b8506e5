/** Fault knobs of the demo server: injected errors, latency, seeded randomness and the concurrency limit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer } from '../../src/demo-server/server.js';

async function statusOf(url: string): Promise<number> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
}

async function sequentialStatuses(url: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push(await statusOf(url));
  return statuses;
}

test('errorRate 1 answers every request 500 "injected failure"', async () => {
  const server = await startDemoServer({ errorRate: 1 });
  try {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: 'injected failure' });
    assert.deepEqual(new Set(await sequentialStatuses(`${server.url}/stats`, 20)), new Set([500]));
  } finally {
    await server.close();
  }
});

test('errorRate 0 injects nothing', async () => {
  const server = await startDemoServer({ errorRate: 0 });
  try {
    assert.deepEqual(new Set(await sequentialStatuses(`${server.url}/health`, 30)), new Set([200]));
  } finally {
    await server.close();
  }
});

test('with a seed, error injection replays exactly and hits roughly the rate', async () => {
  const runs: number[][] = [];
  for (let run = 0; run < 2; run++) {
    const server = await startDemoServer({ errorRate: 0.5, seed: 42 });
    try {
      runs.push(await sequentialStatuses(`${server.url}/health`, 60));
    } finally {
      await server.close();
    }
  }
  assert.deepEqual(runs[0], runs[1]);
  const failures = (runs[0] ?? []).filter((s) => s === 500).length;
  assert.ok(failures > 15 && failures < 45, `${failures} of 60 failed at rate 0.5`);
});

test('latencyMs delays every request by at least that much', async () => {
  const server = await startDemoServer({ latencyMs: 120 });
  try {
    const started = performance.now();
    assert.equal(await statusOf(`${server.url}/health`), 200);
    assert.ok(performance.now() - started >= 118, 'request finished before the injected latency');
  } finally {
    await server.close();
  }
});

test('maxConcurrency + queueLimit: a burst beyond capacity gets 503 overloaded, the rest queue FIFO', async () => {
  const server = await startDemoServer({ latencyMs: 150, maxConcurrency: 2, queueLimit: 3 });
  try {
    const started = performance.now();
    const burst = await Promise.all(Array.from({ length: 10 }, async () => {
      const res = await fetch(`${server.url}/health`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown>, ms: performance.now() - started };
    }));
    const served = burst.filter((r) => r.status === 200);
    const refused = burst.filter((r) => r.status === 503);
    assert.equal(served.length, 5); // 2 processing + 3 queued
    assert.equal(refused.length, 5);
    assert.deepEqual(refused[0]?.body, { error: 'overloaded' });
    // Two slots, five requests of 150 ms: the last one finishes in the third round.
    assert.ok(Math.max(...served.map((r) => r.ms)) >= 440, 'queued requests did not wait for a slot');
    const stats = await fetch(`${server.url}/stats`);
    assert.equal(((await stats.json()) as Record<string, unknown>).rejected_overload, 5);
  } finally {
    await server.close();
  }
});
