import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateOpenModel } from '../../../src/core/open-model-criteria.js';
import type { OperationWindow } from '../../../src/stats/operation-stats.js';

function window(o: Partial<OperationWindow> & { endSec: number }): OperationWindow {
  return { startSec: 0, scheduled: 10, completed: 10, failed: 0, dropped: 0, achievedRate: 0, scheduledRate: 0, p99Ms: 5, p99ByOperation: {}, ...o };
}

const criteria = { minThroughputRatio: 0.95, p99Ms: null, maxErrorRate: null };

test('--max-error-rate is a maximum: 0 means no failure allowed (a clean run passes, one failure fails); the rate may reach it', () => {
  const zero = { ...criteria, maxErrorRate: 0 };
  const clean = evaluateOpenModel([window({ endSec: 60 })], 60, zero, { operations: 1000, failed: 0 });
  assert.deepEqual(clean.map((t) => [t.label, t.comparator, t.met]), [['Throughput vs scheduled, every 60 s window', '>=', true], ['Operation error rate', '<=', true]]);
  assert.equal(evaluateOpenModel([window({ endSec: 60 })], 60, zero, { operations: 1000, failed: 1 })[1]?.met, false);
  const onePct = { ...criteria, maxErrorRate: 0.01 };
  assert.equal(evaluateOpenModel([window({ endSec: 60 })], 60, onePct, { operations: 100, failed: 1 })[1]?.met, true, 'exactly at the maximum');
  assert.equal(evaluateOpenModel([window({ endSec: 60 })], 60, onePct, { operations: 100, failed: 2 })[1]?.met, false);
});

test('a run shorter than one window is judged as a whole, and the label says so', () => {
  const short = evaluateOpenModel([window({ endSec: 0.1, scheduled: 2, completed: 2 })], 60, criteria, { operations: 2, failed: 0 });
  assert.equal(short[0]?.label, 'Throughput vs scheduled, whole run (0.1 s, under one 60 s window)');
  assert.equal(short[0]?.met, true);
  assert.equal(short[0]?.measured, 1);
  const threeSec = evaluateOpenModel([window({ endSec: 3, scheduled: 50, completed: 40 })], 60, criteria, { operations: 40, failed: 0 });
  assert.equal(threeSec[0]?.label, 'Throughput vs scheduled, whole run (3 s, under one 60 s window)');
  assert.equal(threeSec[0]?.met, false, 'a short run that fell behind still fails');
  const full = evaluateOpenModel([window({ endSec: 60 }), window({ startSec: 60, endSec: 120 })], 60, criteria, { operations: 20, failed: 0 });
  assert.equal(full[0]?.label, 'Throughput vs scheduled, every 60 s window');
});
