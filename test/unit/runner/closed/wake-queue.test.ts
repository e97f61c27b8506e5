import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { Rng } from '../../../../src/core/rng.js';
import { WakeQueue, type Sleeper } from '../../../../src/runner/closed/wake-queue.js';

function sleeper(name: string, woken: Array<[string, number]>, clock: FakeClock, onWake?: () => void): Sleeper {
  return {
    wakeAt: 0,
    heapIndex: -1,
    wake() {
      woken.push([name, clock.now()]);
      onWake?.();
    },
  };
}

test('sleepers wake in due order, each at its time, with one timer armed for the whole queue', () => {
  const clock = new FakeClock();
  const q = new WakeQueue(clock);
  const woken: Array<[string, number]> = [];
  for (const [name, ms] of [['c', 300], ['a', 100], ['d', 400], ['b', 200]] as const) q.sleep(sleeper(name, woken, clock), ms);
  assert.equal(clock.pendingTimers(), 1);
  clock.advance(1000);
  assert.deepEqual(woken, [['a', 100], ['b', 200], ['c', 300], ['d', 400]]);
  assert.equal(q.size, 0);
  assert.equal(clock.pendingTimers(), 0);
});

test('a cancelled sleeper never wakes; cancelling the last one leaves no timer behind', () => {
  const clock = new FakeClock();
  const q = new WakeQueue(clock);
  const woken: Array<[string, number]> = [];
  const a = sleeper('a', woken, clock);
  const b = sleeper('b', woken, clock);
  q.sleep(a, 100);
  q.sleep(b, 200);
  q.cancel(a);
  q.cancel(a); // twice is harmless
  assert.equal(a.heapIndex, -1);
  clock.advance(150);
  assert.deepEqual(woken, []);
  q.cancel(b);
  assert.equal(clock.pendingTimers(), 0);
  clock.advance(1000);
  assert.deepEqual(woken, []);
});

test('sleeping again moves a sleeper; a sleeper may queue itself again from wake()', () => {
  const clock = new FakeClock();
  const q = new WakeQueue(clock);
  const woken: Array<[string, number]> = [];
  const a = sleeper('a', woken, clock);
  q.sleep(a, 500);
  q.sleep(a, 50); // replaces the first sleep
  let rounds = 0;
  const b: Sleeper = sleeper('b', woken, clock, () => {
    if (++rounds < 3) q.sleep(b, 100);
  });
  q.sleep(b, 100);
  clock.advance(1000);
  assert.deepEqual(woken, [['a', 50], ['b', 100], ['b', 200], ['b', 300]]);
});

test('equal due times all wake in one batch; an earlier newcomer re-arms the timer', () => {
  const clock = new FakeClock();
  const q = new WakeQueue(clock);
  const woken: Array<[string, number]> = [];
  q.sleep(sleeper('x', woken, clock), 1000);
  q.sleep(sleeper('y', woken, clock), 1000);
  q.sleep(sleeper('early', woken, clock), 10);
  assert.equal(clock.pendingTimers(), 1);
  clock.advance(10);
  assert.deepEqual(woken, [['early', 10]]);
  clock.advance(990);
  assert.deepEqual(woken.map((w) => w[0]).slice(1).sort(), ['x', 'y']);
  assert.ok(woken.every(([, t], i) => i === 0 || t === 1000));
});

test('thousands of random sleeps and cancels wake exactly the survivors, in due order, never late', () => {
  const clock = new FakeClock();
  const q = new WakeQueue(clock);
  const rng = new Rng(7);
  const woken: Array<[string, number]> = [];
  const all: Array<{ s: Sleeper; due: number; name: string }> = [];
  for (let i = 0; i < 5000; i++) {
    const name = String(i);
    const s = sleeper(name, woken, clock);
    const due = Math.floor(rng.next() * 10_000);
    q.sleep(s, due);
    all.push({ s, due, name });
  }
  const cancelled = new Set<string>();
  for (const x of all) {
    if (rng.next() < 0.3) {
      q.cancel(x.s);
      cancelled.add(x.name);
    }
  }
  clock.advance(20_000);
  const expected = all.filter((x) => !cancelled.has(x.name)).sort((a, b) => a.due - b.due);
  assert.equal(woken.length, expected.length);
  for (let i = 0; i < woken.length; i++) {
    const [name, at] = woken[i] as [string, number];
    const due = all[Number(name)]?.due ?? Number.NaN;
    // Never late; at most 1 ms early, batched with a sleeper due just before (as a Node timer can be).
    assert.ok(at <= due && at >= due - 1, `sleeper ${name} due at ${due} woke at ${at}`);
    if (i > 0) assert.ok(due >= (all[Number((woken[i - 1] as [string, number])[0])]?.due ?? Number.NaN), 'due order');
  }
  assert.equal(q.size, 0);
});
