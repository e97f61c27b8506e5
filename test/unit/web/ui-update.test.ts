import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobLiveView } from '../../../src/runner/job/job-live.js';
import type { EndpointPoint } from '../../../src/report/run-info.js';
import type { EntrySummary, HistoryPoint } from '../../../src/stats/types.js';
import { newCursor, thinned, uiUpdate, type UiRunState } from '../../../src/web/ui-update.js';

const summary = (name: string, n: number): EntrySummary => ({
  method: name === 'Aggregated' ? '' : 'GET', name, numRequests: n, numFailures: 0, totalResponseTimeMs: n * 2, minResponseTimeMs: 1, maxResponseTimeMs: 3,
  totalContentLength: n * 10, percentilesMs: [2, 2, 2, 2, 2.5, 2.9, 3, 3, 3, 3, 3], firstRequestWallMs: 0, lastRequestWallMs: 0, currentRps: 5, currentFailPerSec: 0,
});

const point = (t: number): HistoryPoint => ({ timestamp: t, userCount: 3, rps: 5, failPerSec: 0, intervalPercentilesMs: [1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3], total: summary('Aggregated', t) });
const ep = (t: number): EndpointPoint => ({ timestamp: t, rps: 5, failPerSec: 0, p50Ms: 1, p95Ms: 2, p99Ms: 3 });

function state(run: number, timeline: HistoryPoint[], endpoints: Record<string, EndpointPoint[]>, log: { lines: string[]; dropped: number }): UiRunState {
  const view: JobLiveView = {
    phase: 'running', elapsedSec: 10, runTimeSec: 30, userCount: 3, target: { users: 3, spawnRate: 1 }, classCounts: {},
    summaries: { entries: [summary('/a', 4)], aggregated: summary('Aggregated', 4) }, failures: [], exceptions: [], metrics: [],
    timeline, endpointHistory: endpoints, workers: null, targets: [],
  };
  return { run, state: 'running', message: '', host: 'http://h', view, classes: [], log, reportWritten: false };
}

test('a page gets everything first, then only what is new; a thinned history or a new run sends it all again', () => {
  const timeline = [point(1), point(2)];
  const endpoints = { 'GET /a': [ep(1), ep(2)] };
  const log = { lines: ['one', 'two'], dropped: 0 };
  const cursor = newCursor();
  const first = uiUpdate(state(1, timeline, endpoints, log), cursor);
  assert.equal(first.reset, true);
  assert.deepEqual(first.history.total.map((p) => p.t), [1, 2]);
  assert.deepEqual(first.history.endpoints['GET /a']?.map((p) => p.t), [1, 2]);
  assert.deepEqual(first.logs, ['one', 'two']);
  assert.equal(first.remainingSec, 20);
  assert.deepEqual(first.stats.map((r) => r.name), ['/a', 'Aggregated']);
  assert.equal(first.stats[1]?.avg_response_time, 2);
  assert.equal(first.stats[1]?.ninety_fifth_response_time, 2.9);

  timeline.push(point(3));
  endpoints['GET /a'].push(ep(3));
  log.lines.push('three');
  const second = uiUpdate(state(1, timeline, endpoints, log), cursor);
  assert.equal(second.reset, false);
  assert.deepEqual(second.history.total.map((p) => p.t), [3]);
  assert.equal(second.history.total[0]?.users, 3);
  assert.deepEqual(second.history.endpoints['GET /a']?.map((p) => p.t), [3]);
  assert.deepEqual(second.logs, ['three']);

  const idle = uiUpdate(state(1, timeline, endpoints, log), cursor);
  assert.deepEqual([idle.history.total, idle.history.endpoints, idle.logs], [[], {}, []], 'nothing new: nothing sent');

  const thinned = [point(1), point(3)];
  const again = uiUpdate(state(1, thinned, endpoints, log), cursor);
  assert.equal(again.reset, true, 'the history was thinned: the page replaces it');
  assert.deepEqual(again.history.total.map((p) => p.t), [1, 3]);

  const dropped = uiUpdate(state(1, thinned, endpoints, { lines: ['four'], dropped: 5 }), cursor);
  assert.equal(dropped.reset, true, 'log lines the page never got were dropped: it starts over');
  assert.deepEqual(dropped.logs, ['four']);

  const nextRun = uiUpdate(state(2, [point(9)], {}, { lines: [], dropped: 0 }), cursor);
  assert.equal(nextRun.reset, true);
  assert.equal(nextRun.run, 2);
  assert.deepEqual(nextRun.history.total.map((p) => p.t), [9]);
});

test('before any run: an empty state the page can render', () => {
  const u = uiUpdate({ run: 0, state: 'ready', message: 'Ready', host: '', view: null, classes: [], log: { lines: [], dropped: 0 }, reportWritten: false }, newCursor());
  assert.equal(u.state, 'ready');
  assert.deepEqual(u.stats, []);
  assert.deepEqual(u.downloads, []);
  assert.equal(u.report, null);
  assert.equal(u.remainingSec, null);
});

test('a page\'s first update thins each endpoint to 120 points (mean rates, worst latencies); later ones append every point', () => {
  const long: EndpointPoint[] = Array.from({ length: 600 }, (_, i) => ({ ...ep(i + 1), rps: i % 2, p99Ms: i === 7 ? 900 : 3, p50Ms: i < 5 ? null : 1 }));
  const out = thinned(long, 120);
  assert.equal(out.length, 120);
  assert.equal(out[0]?.timestamp, 5, 'a merged point sits at its last second');
  assert.equal(out[0]?.rps, 0.4);
  assert.equal(out[0]?.p50Ms, null, 'no value in the group: still a gap');
  assert.equal(out[1]?.p99Ms, 900, 'a spike survives the thinning');
  assert.deepEqual(thinned(long.slice(0, 3), 120).map((p) => p.timestamp), [1, 2, 3]);
  const cursor = newCursor();
  const endpoints = { 'GET /a': long };
  const first = uiUpdate(state(1, [point(1)], endpoints, { lines: [], dropped: 0 }), cursor);
  assert.equal(first.history.endpoints['GET /a']?.length, 120);
  long.push(ep(601));
  const next = uiUpdate(state(1, [point(1)], endpoints, { lines: [], dropped: 0 }), cursor);
  assert.deepEqual(next.history.endpoints['GET /a']?.map((p) => p.t), [601]);
});

test('a page meets at most 25 endpoints\' histories per update; the others follow in the next ones, none twice', () => {
  const endpoints: Record<string, EndpointPoint[]> = {};
  for (let i = 0; i < 60; i++) endpoints[`GET /e${i}`] = [ep(1), ep(2)];
  const cursor = newCursor();
  const seen: string[] = [];
  const sizes: number[] = [];
  do {
    const u = uiUpdate(state(1, [point(1)], endpoints, { lines: [], dropped: 0 }), cursor);
    sizes.push(Object.keys(u.history.endpoints).length);
    seen.push(...Object.keys(u.history.endpoints));
  } while (cursor.pending);
  assert.deepEqual(sizes, [25, 25, 10]);
  assert.equal(new Set(seen).size, 60);
  assert.equal(seen.length, 60);
});
