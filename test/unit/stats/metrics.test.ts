import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metrics, metricSummaryFromSnapshot } from '../../../src/stats/metrics.js';

describe('Metrics', () => {
  it('summarises count, sum, mean, min, max and percentiles', () => {
    const m = new Metrics();
    for (let v = 1; v <= 1000; v++) m.record('concepts_found', v);
    m.record('query_time_ms', 12.5);
    const [concepts, query] = m.summaries();
    assert.equal(concepts?.name, 'concepts_found');
    assert.equal(concepts?.count, 1000);
    assert.equal(concepts?.sum, 500_500);
    assert.equal(concepts?.mean, 500.5);
    assert.equal(concepts?.min, 1);
    assert.equal(concepts?.max, 1000);
    for (const [got, want] of [[concepts?.p50, 500], [concepts?.p95, 950], [concepts?.p99, 990]] as const) {
      assert.ok(got !== null && got !== undefined && Math.abs(got - want) <= want * 0.001, `${got} vs ${want}`);
    }
    assert.deepEqual(query, { name: 'query_time_ms', count: 1, sum: 12.5, mean: 12.5, min: 12.5, max: 12.5, p50: 12.5, p95: 12.5, p99: 12.5 });
  });

  it('keeps negative values out of the histogram but in count, sum, min', () => {
    const m = new Metrics();
    m.record('delta', -5);
    m.record('delta', 3);
    const [s] = m.summaries();
    assert.equal(s?.count, 2);
    assert.equal(s?.sum, -2);
    assert.equal(s?.min, -5);
    assert.equal(s?.p50, 3);
    const onlyNegative = new Metrics();
    onlyNegative.record('delta', -1);
    assert.equal(onlyNegative.summaries()[0]?.p50, null);
  });

  it('rejects non-finite values and ignores new names past the bound, counting both', () => {
    const m = new Metrics(3);
    m.record('x', Number.NaN);
    m.record('x', Number.POSITIVE_INFINITY);
    for (let i = 0; i < 50; i++) m.record(`name_${i}`, i);
    assert.equal(m.size, 3);
    assert.equal(m.rejectedValues, 2);
    assert.equal(m.droppedValues, 47);
    m.record('name_1', 7); // a known name still records
    assert.equal(m.summaries().find((s) => s.name === 'name_1')?.count, 2);
  });

  it('round-trips through its snapshot and merges', () => {
    const a = new Metrics();
    const b = new Metrics();
    for (let v = 0; v < 100; v++) (v % 2 ? a : b).record('sync_operations', v);
    const whole = new Metrics();
    for (let v = 0; v < 100; v++) whole.record('sync_operations', v);
    a.merge(b.toJSON());
    assert.deepEqual(a.summaries(), whole.summaries());
    assert.deepEqual(metricSummaryFromSnapshot(whole.toJSON()[0]!), whole.summaries()[0]);
  });
});
