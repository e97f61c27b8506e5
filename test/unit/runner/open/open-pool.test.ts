import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { DROPPED, GROW_AFTER_MS, LocalOpenPool, NOTHING, type ArrivalOutcome, type ArrivalSink } from '../../../../src/runner/open/open-pool.js';
import type { OpenUserHandle, OpenUserHost, OperationOutcome } from '../../../../src/runner/open/open-user-host.js';
import { poolShare, RemoteOpenPool } from '../../../../src/runner/workers/remote-open-pool.js';
import type { UserClassSpec } from '../../../../src/runner/closed/user-runner.js';
import type { MainToWorker } from '../../../../src/runner/workers/worker-protocol.js';
import type { PreconnectPlan } from '../../../../src/core/user.js';

const classes = [{ name: 'A' }, { name: 'B' }] as unknown as UserClassSpec[];

class FakeUser implements OpenUserHandle {
  hardStopped = false;
  constructor(
    readonly classIndex: number,
    readonly userId: number,
  ) {}
  hardStop(): void {
    this.hardStopped = true;
  }
}

/** A host whose operations end when the test says so. */
function fakeHost(options: { failCreate?: boolean; plan?: (user: FakeUser) => PreconnectPlan } = {}) {
  const created: FakeUser[] = [];
  const running: Array<{ user: FakeUser; end: (o: OperationOutcome) => void }> = [];
  const host: OpenUserHost<FakeUser> = {
    create(_spec, classIndex, userId) {
      if (options.failCreate) return null;
      const u = new FakeUser(classIndex, userId);
      created.push(u);
      return u;
    },
    runOne(user) {
      return new Promise((end) => running.push({ user, end }));
    },
    async finishAll() {},
    preconnect: (user) => options.plan?.(user) ?? 'http',
  };
  return { host, created, running };
}

function recordingSink(): ArrivalSink & { got: Array<[number, number, ArrivalOutcome]> } {
  const got: Array<[number, number, ArrivalOutcome]> = [];
  return { got, arrivalDone: (ci, at, o) => void got.push([ci, at, o]) };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('LocalOpenPool: a new user per busy arrival up to the bound, then DROPPED; an idle user is reused', async () => {
  const { host, created, running } = fakeHost();
  const sink = recordingSink();
  const pool = new LocalOpenPool(classes, host, sink, { maxUsers: 2, firstUserId: 1, idStride: 3 });
  pool.dispatch(0, 10);
  pool.dispatch(1, 11);
  pool.dispatch(0, 12);
  assert.deepEqual(created.map((u) => u.userId), [1, 4], 'ids start at firstUserId and step by idStride');
  assert.deepEqual(sink.got, [[0, 12, DROPPED]]);
  assert.deepEqual(pool.countsByClass(), [1, 1]);
  const outcome = { name: 'task', failed: false, startedMs: 10, endedMs: 15 };
  running[0]?.end(outcome);
  await tick();
  assert.deepEqual(sink.got[1], [0, 10, outcome]);
  pool.dispatch(0, 20);
  assert.equal(created.length, 2, 'the idle user of class A ran it');
  assert.equal(running[2]?.user, created[0]);
  assert.equal(pool.userCount(), 2);
});

test('LocalOpenPool: an arrival that finds its class busy waits for the first user to finish; a new user only after GROW_AFTER_MS', async () => {
  const clock = new FakeClock();
  const { host, created, running } = fakeHost();
  const sink = recordingSink();
  const pool = new LocalOpenPool(classes, host, sink, { maxUsers: 3, clock });
  pool.dispatch(0, 1);
  pool.dispatch(0, 2);
  pool.dispatch(0, 3);
  assert.equal(created.length, 1, 'the class has a (busy) user: the next arrivals wait for it');
  const first = { name: 't', failed: false, startedMs: 1, endedMs: 2 };
  running[0]?.end(first);
  await tick();
  assert.deepEqual(sink.got, [[0, 1, first]]);
  assert.equal(running.length, 2, 'the user that finished took the oldest waiting arrival');
  assert.equal(running[1]?.user, created[0]);
  clock.advance(GROW_AFTER_MS - 1);
  await tick();
  assert.equal(created.length, 1, 'not before GROW_AFTER_MS');
  clock.advance(1);
  await tick();
  assert.equal(created.length, 2, 'the arrival that waited GROW_AFTER_MS got a new user');
  assert.equal(running[2]?.user, created[1]);
  // A class with no user yet has nobody to wait for: its first arrival gets one at once.
  pool.dispatch(1, 4);
  assert.equal(created.length, 3);
  assert.deepEqual(created.map((u) => u.classIndex), [0, 0, 1]);
});

test('LocalOpenPool: an arrival still waiting when the pool reached its bound is dropped; a hard stop lets waiting ones go as NOTHING', async () => {
  const clock = new FakeClock();
  const { host, created } = fakeHost();
  const sink = recordingSink();
  const pool = new LocalOpenPool(classes, host, sink, { maxUsers: 2, clock });
  pool.dispatch(0, 1);
  pool.dispatch(0, 2); // waits for user 0
  pool.dispatch(1, 3); // class B's first user: the pool is at its bound
  clock.advance(GROW_AFTER_MS);
  await tick();
  assert.equal(created.length, 2);
  assert.deepEqual(sink.got, [[0, 2, DROPPED]]);
  pool.dispatch(1, 4);
  assert.deepEqual(sink.got.slice(1), [[1, 4, DROPPED]], 'at the bound a busy pool drops at once, never queues');
  pool.hardStopAll();
  assert.equal(sink.got.length, 2, 'nothing was waiting');
  sink.got.length = 0;
  const other = new LocalOpenPool(classes, fakeHost().host, sink, { maxUsers: 5, clock });
  other.dispatch(0, 7);
  other.dispatch(0, 8);
  other.dispatch(0, 9);
  other.hardStopAll();
  assert.deepEqual(sink.got, [
    [0, 8, NOTHING],
    [0, 9, NOTHING],
  ]);
  clock.advance(GROW_AFTER_MS);
  await tick();
  assert.equal(other.userCount(), 1, 'no user is made after the stop');
});

test('LocalOpenPool: a constructor that fails or an operation cut by a hard stop reports NOTHING', async () => {
  const failing = fakeHost({ failCreate: true });
  const sink = recordingSink();
  new LocalOpenPool(classes, failing.host, sink, { maxUsers: 5 }).dispatch(1, 3);
  assert.deepEqual(sink.got, [[1, 3, NOTHING]]);

  const { host, running } = fakeHost();
  const sink2 = recordingSink();
  const pool = new LocalOpenPool(classes, host, sink2, { maxUsers: 5 });
  pool.dispatch(0, 1);
  pool.hardStopAll();
  running[0]?.end({ name: 'task', failed: true, startedMs: 1, endedMs: 2 });
  await tick();
  assert.deepEqual(sink2.got, [[0, 1, NOTHING]]);
  // A user whose constructor threw in a worker (name null) leaves the pool.
  pool.dispatch(1, 5);
  running[1]?.end({ name: null, failed: false, startedMs: 0, endedMs: 0 });
  await tick();
  assert.deepEqual(sink2.got[1], [1, 5, NOTHING]);
  assert.deepEqual(pool.countsByClass(), [1, 0]);
});

test('LocalOpenPool.preallocate: users made idle before any arrival, ids in order, never past the bound', async () => {
  const { host, created, running } = fakeHost();
  const sink = recordingSink();
  const pool = new LocalOpenPool(classes, host, sink, { maxUsers: 4, firstUserId: 1, idStride: 2 });
  assert.equal(pool.preallocate([2, 3]), 4, 'the bound stops it at 4');
  assert.deepEqual(created.map((u) => [u.classIndex, u.userId]), [[0, 1], [0, 3], [1, 5], [1, 7]]);
  assert.deepEqual(pool.countsByClass(), [2, 2]);
  assert.equal(running.length, 0, 'nothing ran');
  pool.dispatch(1, 10);
  pool.dispatch(1, 11);
  pool.dispatch(1, 12);
  assert.equal(created.length, 4, 'arrivals found pre-allocated users');
  assert.deepEqual(sink.got, [[1, 12, DROPPED]], 'both B users busy and the pool full');
  const failing = fakeHost({ failCreate: true });
  assert.equal(new LocalOpenPool(classes, failing.host, sink, { maxUsers: 9 }).preallocate([2, 2]), 0);
});

test('poolShare splits a bound exactly over the workers', () => {
  assert.deepEqual([0, 1, 2].map((w) => poolShare(10, 3, w)), [4, 3, 3]);
  assert.deepEqual([0, 1, 2].map((w) => poolShare(2, 3, w)), [1, 1, 0]);
});

test('RemoteOpenPool: round robin over workers with a share, one message per worker per turn, outcomes on the shared clock', async () => {
  const sent: Array<[number, MainToWorker]> = [];
  const sink = recordingSink();
  const pool = new RemoteOpenPool([1, 0, 2], 2, sink, [], (w, m) => {
    sent.push([w, m]);
    return true;
  });
  // Shares 1 and 2 (worker 1 has none): w0, w2, then w0 is full (1 unanswered) so w2 takes it,
  // then every worker is full and round robin decides (w2: its pool drops it, as one process would).
  for (let i = 0; i < 4; i++) pool.dispatch(i % 2, 100 + i);
  await Promise.resolve();
  assert.deepEqual(sent.map(([w, m]) => [w, m.type === 'open-run' ? m.runs.map((r) => r.classIndex) : m.type]), [[0, [0]], [2, [1, 0, 1]]]);
  const origin = performance.timeOrigin;
  pool.completed(2, [
    { classIndex: 1, scheduledAt: origin + 101, result: 'ran', name: 't', failed: false, startedAt: origin + 102, endedAt: origin + 104 },
    { classIndex: 1, scheduledAt: origin + 103, result: 'dropped', name: '', failed: false, startedAt: 0, endedAt: 0 },
  ], [0, 1]);
  assert.equal(sink.got.length, 2);
  const [ci, at, o] = sink.got[0] ?? [];
  assert.equal(ci, 1);
  assert.ok(Math.abs((at ?? 0) - 101) < 1e-6);
  assert.ok(typeof o === 'object' && o.name === 't' && Math.abs(o.endedMs - 104) < 1e-6);
  assert.equal(sink.got[1]?.[2], DROPPED);
  assert.equal(pool.userCount(), 1);
  assert.deepEqual(pool.countsByClass(), [0, 1]);
  // Worker 0 dies with its arrival in flight: it ends with nothing recorded, and it gets no more.
  pool.lost(0);
  assert.deepEqual(sink.got.slice(2).map((g) => g[2]), [NOTHING]);
  sent.length = 0;
  pool.dispatch(0, 200);
  await Promise.resolve();
  assert.deepEqual(sent.map(([w]) => w), [2]);
});

test('RemoteOpenPool: an arrival goes round robin while the worker has room, else to the worker with the most room', async () => {
  const sent: number[] = [];
  const pool = new RemoteOpenPool([2, 2], 1, recordingSink(), [], (w, m) => {
    if (m.type === 'open-run') for (let i = 0; i < m.runs.length; i++) sent.push(w);
    return true;
  });
  for (let i = 0; i < 4; i++) pool.dispatch(0, i);
  await Promise.resolve();
  assert.deepEqual(sent, [0, 0, 1, 1], 'round robin while both have room: two each (one message per worker)');
  // Worker 1 answers both; worker 0 (say, a slow one) answers nothing.
  const origin = performance.timeOrigin;
  const ran = { classIndex: 0, scheduledAt: origin, result: 'ran' as const, name: 't', failed: false, startedAt: origin, endedAt: origin };
  pool.completed(1, [ran, ran], [2]);
  sent.length = 0;
  for (let i = 0; i < 3; i++) pool.dispatch(0, i);
  await Promise.resolve();
  // Round robin says w0, w1, w0; w0's pool is full, so w1 takes both of its turns, then the third
  // finds every worker full and round robin's w0 decides (it drops it).
  assert.deepEqual(sent.sort(), [0, 1, 1]);
});

test('LocalOpenPool.connectPreallocated: HTTP users take warm connections, users with their own open theirs, others open nothing', async () => {
  // Class A: HTTP users; class B: odd ids open their own channel, even ids connect in their own code.
  const plan = (u: FakeUser): PreconnectPlan => (u.classIndex === 0 ? 'http' : u.userId % 2 === 1 ? (u.userId === 3 ? Promise.resolve('127.0.0.1:1: connect ECONNREFUSED') : Promise.resolve(null)) : 'none');
  const { host } = fakeHost({ plan });
  const pool = new LocalOpenPool(classes, host, recordingSink(), { maxUsers: 20 });
  assert.equal(pool.preallocate([3, 6]), 9);
  const asked: number[] = [];
  const opened = await pool.connectPreallocated((count) => {
    asked.push(count);
    return Promise.resolve({ opened: count - 1, failed: 1, firstError: 'connect EMFILE', elapsedMs: 1 });
  });
  assert.deepEqual(asked, [3], 'warm HTTP connections for the 3 HTTP users only');
  // Users 3..8 are class B: 3, 5, 7 open their own (3 fails), 4, 6, 8 open nothing.
  assert.deepEqual(opened, { opened: 2 + 2, failed: 1 + 1, firstError: 'connect EMFILE' });
  const noHttp = new LocalOpenPool(classes, fakeHost({ plan }).host, recordingSink(), { maxUsers: 20, firstUserId: 3 });
  noHttp.preallocate([0, 2]);
  assert.deepEqual(await noHttp.connectPreallocated(() => assert.fail('no HTTP user: no warm connections')), { opened: 0, failed: 1, firstError: '127.0.0.1:1: connect ECONNREFUSED' });
});
