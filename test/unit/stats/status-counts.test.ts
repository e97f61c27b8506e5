import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatsEntry } from '../../../src/stats/entry.js';
import { StatsRegistry } from '../../../src/stats/registry.js';
import { parseSnapshot } from '../../../src/stats/snapshot.js';
import { StatusCounts } from '../../../src/stats/status-counts.js';

const START = 1_700_000_000_000;

test('StatusCounts: per code, listed in code order; 0 (no response) counts; added counts add; reset empties', () => {
  const c = new StatusCounts();
  assert.equal(c.toRecord(), null, 'nothing counted: no record at all');
  for (const s of [500, 200, 200, 0, 404, 200]) c.record(s);
  assert.deepEqual(Object.entries(c.toRecord() ?? {}), [['0', 1], ['200', 3], ['404', 1], ['500', 1]]);
  c.add({ '200': 2, '302': 1, bad: 9, '-1': 4, '201': 0 });
  assert.deepEqual(c.toRecord(), { '0': 1, '200': 5, '302': 1, '404': 1, '500': 1 });
  c.reset();
  assert.equal(c.toRecord(), null);
});

test('StatusCounts: a run of one code is counted exactly when read mid-run, merged into, reset and resumed', () => {
  const c = new StatusCounts();
  for (let i = 0; i < 1000; i++) c.record(200);
  assert.deepEqual(c.toRecord(), { '200': 1000 });
  for (let i = 0; i < 5; i++) c.record(200);
  c.add({ '200': 7 });
  assert.deepEqual(c.toRecord(), { '200': 1012 }, 'reading and adding in the middle of a run lose nothing and count nothing twice');
  c.record(503);
  c.record(200);
  c.record(503);
  assert.deepEqual(c.toRecord(), { '200': 1013, '503': 2 });
  c.reset();
  c.record(200);
  assert.deepEqual(c.toRecord(), { '200': 1 }, 'after a reset the run starts again from nothing');
});

test('StatsEntry: statuses recorded per row appear in its summary and snapshot, not in history points; a row without statuses has none', () => {
  const e = new StatsEntry('GET', '/a', START);
  e.record(1, 10, false, START + 1, 200);
  e.record(2, 10, true, START + 2, 503);
  e.record(3, 0, true, START + 3, 0);
  assert.deepEqual(e.summary(START + 10).statusCodes, { '0': 1, '200': 1, '503': 1 });
  assert.equal(e.rollInterval(START / 1000, 1, 1, START + 10).total.statusCodes, undefined, 'a history point carries no copy');
  const copy = StatsEntry.fromSnapshot(e.snapshot(), START);
  assert.deepEqual(copy.summary(START + 10).statusCodes, { '0': 1, '200': 1, '503': 1 }, 'a snapshot round trip keeps them');
  copy.mergeSnapshot(e.snapshot());
  assert.deepEqual(copy.summary(START + 10).statusCodes, { '0': 2, '200': 2, '503': 2 }, 'a worker\'s snapshot adds exactly');
  e.reset(START + 20);
  assert.equal(e.summary(START + 30).statusCodes, undefined, '--reset-stats starts them again');
  const ws = new StatsEntry('WSR', 'message', START);
  ws.record(0, 5, false, START + 1);
  assert.equal(ws.summary(START + 2).statusCodes, undefined);
  assert.equal('statusCodes' in ws.snapshot(), false);
});

test('StatsRegistry: the Aggregated row counts every row\'s statuses; a saved snapshot with them parses, a malformed one is refused', () => {
  const r = new StatsRegistry(() => START + 5, { startWallMs: START });
  r.recordSuccess('GET', '/a', 1, 1, 200);
  r.recordSuccess('POST', '/b', 1, 1, 201);
  r.recordFailure('GET', '/a', 1, 0, 'HTTP 404', 404);
  r.recordSuccess('GRPC', 'k.K/Run', 1, 1);
  const { entries, aggregated } = r.summaries(START + 10);
  assert.deepEqual(aggregated.statusCodes, { '200': 1, '201': 1, '404': 1 });
  assert.equal(entries.find((e) => e.method === 'GRPC')?.statusCodes, undefined);
  const saved = JSON.parse(JSON.stringify(r.snapshot())) as Record<string, unknown>;
  assert.doesNotThrow(() => parseSnapshot(saved));
  const broken = structuredClone(saved) as { aggregated: Record<string, unknown> };
  broken.aggregated['statusCodes'] = { ok: 1 };
  assert.throws(() => parseSnapshot(broken), /aggregated\.statusCodes must map status codes/);
});

test('StatsEntry: request bytes and the first and last send times (completion less response time), kept through a snapshot and a merge', () => {
  const e = new StatsEntry('POST', '/b', START);
  assert.equal(e.summary(START).requestBytes, undefined, 'nothing sent: nothing to say');
  e.record(10, 5, false, START + 100, 200, 300);
  e.record(40, 5, false, START + 120, 200, 0);
  e.record(5, 5, false, START + 130, 200, 12);
  const s = e.summary(START + 200);
  assert.deepEqual([s.requestBytes, s.firstStartWallMs, s.lastStartWallMs], [312, START + 80, START + 125]);
  const merged = StatsEntry.fromSnapshot(e.snapshot(), START);
  merged.mergeSnapshot({ ...e.snapshot(), requestBytes: 8, firstStartWallMs: START + 50, lastStartWallMs: START + 500 });
  const m = merged.summary(START + 600);
  assert.deepEqual([m.requestBytes, m.firstStartWallMs, m.lastStartWallMs], [320, START + 50, START + 500]);
  e.reset(START + 1000);
  assert.equal(e.summary(START + 1000).requestBytes, undefined);
});
