import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Failures, MAX_ERROR_LENGTH, OTHER_FAILURES_ERROR } from '../../../src/stats/failures.js';

describe('Failures', () => {
  it('groups by (method, name, error) with occurrences and first/last seen', () => {
    const f = new Failures();
    const rows: Array<[string, string, string, number]> = [
      ['GET', '/a', 'HTTP 500', 10], ['GET', '/a', 'HTTP 500', 30], ['GET', '/a', 'HTTP 502', 20],
      ['POST', '/a', 'HTTP 500', 5], ['GET', '/b', 'HTTP 500', 40], ['GET', '/a', 'HTTP 500', 25],
    ];
    for (const [m, n, e, t] of rows) f.record(m, n, e, t);
    assert.deepEqual(f.toJSON(), [
      { method: 'GET', name: '/a', error: 'HTTP 500', occurrences: 3, firstSeenWallMs: 10, lastSeenWallMs: 30 },
      { method: 'GET', name: '/a', error: 'HTTP 502', occurrences: 1, firstSeenWallMs: 20, lastSeenWallMs: 20 },
      { method: 'POST', name: '/a', error: 'HTTP 500', occurrences: 1, firstSeenWallMs: 5, lastSeenWallMs: 5 },
      { method: 'GET', name: '/b', error: 'HTTP 500', occurrences: 1, firstSeenWallMs: 40, lastSeenWallMs: 40 },
    ]);
  });

  it('stays at the group bound under a storm of unique errors, counting the rest in one "other" group', () => {
    const f = new Failures(10);
    for (let i = 0; i < 10_000; i++) f.record('GET', '/storm', `request id ${i} failed`, i);
    assert.equal(f.size, 11);
    const rows = f.toJSON();
    assert.equal(rows.length, 11);
    const other = rows.find((r) => r.error === OTHER_FAILURES_ERROR);
    assert.equal(other?.occurrences, 9990);
    assert.equal(other?.firstSeenWallMs, 10);
    assert.equal(other?.lastSeenWallMs, 9999);
    assert.equal(rows.reduce((n, r) => n + r.occurrences, 0), 10_000);
    f.record('GET', '/storm', 'request id 3 failed', 20_000); // a known group still counts in place
    assert.equal(f.toJSON().find((r) => r.error === 'request id 3 failed')?.occurrences, 2);
  });

  it('cuts very long error texts so one group cannot hold megabytes', () => {
    const f = new Failures();
    f.record('GET', '/', 'x'.repeat(1_000_000), 0);
    f.record('GET', '/', 'x'.repeat(2_000_000), 0);
    const rows = f.toJSON();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.error.length, MAX_ERROR_LENGTH);
    assert.equal(rows[0]?.occurrences, 2);
  });

  it('merges groups from another process', () => {
    const a = new Failures();
    const b = new Failures();
    a.record('GET', '/', 'HTTP 500', 100);
    b.record('GET', '/', 'HTTP 500', 50);
    b.record('GET', '/', 'HTTP 503', 70);
    a.merge(b.toJSON());
    assert.deepEqual(a.toJSON()[0], { method: 'GET', name: '/', error: 'HTTP 500', occurrences: 2, firstSeenWallMs: 50, lastSeenWallMs: 100 });
    assert.equal(a.size, 2);
  });
});
