import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preallocationReport, sumPreallocations } from '../../../../src/runner/open/preallocation-report.js';
import type { Preallocation } from '../../../../src/runner/open/open-pool.js';

function part(p: Partial<Preallocation>): Preallocation {
  return { users: 0, poolCounts: [], opened: 0, failed: 0, firstError: null, elapsedMs: 0, ...p };
}

test('parts add up; null parts (a worker that made none) are skipped; elapsed is the slowest part, not the sum', () => {
  const parts = [
    part({ users: 10, opened: 10, elapsedMs: 40.2 }),
    null,
    part({ users: 7, opened: 5, failed: 2, firstError: 'EMFILE', elapsedMs: 95.6 }),
    part({ users: 3, opened: 2, failed: 1, firstError: 'ECONNREFUSED', elapsedMs: 12 }),
  ];
  assert.deepEqual(sumPreallocations(parts), { users: 20, opened: 17, failed: 3, firstError: 'EMFILE', elapsedMs: 95.6 });
});

test('the first error reported, in worker order, is the one kept', () => {
  const parts = [part({ users: 1, opened: 1 }), part({ users: 2, failed: 2, firstError: 'first' }), part({ users: 2, failed: 2, firstError: 'second' })];
  assert.equal(sumPreallocations(parts).firstError, 'first');
});

test('no parts, or only null ones, add up to nothing', () => {
  const empty = { users: 0, opened: 0, failed: 0, firstError: null, elapsedMs: 0 };
  assert.deepEqual(sumPreallocations([]), empty);
  assert.deepEqual(sumPreallocations([null, null]), empty);
});

test('one line with the mix in class order and the elapsed time rounded; no warning when every connection opened', () => {
  const report = preallocationReport([part({ users: 4, opened: 4, elapsedMs: 10.4 }), part({ users: 3, opened: 3, elapsedMs: 12.5 })], { Browser: 5, Api: 2 });
  assert.deepEqual(report, { done: 'Pre-allocated 7 users (Browser: 5, Api: 2) with 7 connections open in 13 ms', warning: null });
});

test('failed connections are warned about with the first error, or "unknown error" when none was given', () => {
  const withError = preallocationReport([null, part({ users: 6, opened: 4, failed: 2, firstError: 'connect EMFILE', elapsedMs: 3 })], { Api: 6 });
  assert.equal(withError.done, 'Pre-allocated 6 users (Api: 6) with 4 connections open in 3 ms');
  assert.equal(withError.warning, 'warning: 2 of 6 pre-allocated connections could not be opened (connect EMFILE); those users connect on their first arrival');
  const noError = preallocationReport([part({ users: 1, failed: 1 })], { Api: 1 });
  assert.equal(noError.warning, 'warning: 1 of 1 pre-allocated connections could not be opened (unknown error); those users connect on their first arrival');
});

test('users with nothing to open ahead (a WebSocketUser connects in its onStart) are said, and are not connections that failed', () => {
  const report = preallocationReport([part({ users: 10, opened: 6, failed: 1, firstError: 'connect ECONNREFUSED', elapsedMs: 5 })], { Api: 7, Chat: 3 });
  assert.equal(report.done, 'Pre-allocated 10 users (Api: 7, Chat: 3) with 6 connections open in 5 ms (3 connect in their own first task)');
  assert.equal(report.warning, 'warning: 1 of 7 pre-allocated connections could not be opened (connect ECONNREFUSED); those users connect on their first arrival');
});
