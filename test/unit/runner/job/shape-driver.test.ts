import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadShape, type ShapeTick } from '../../../../src/core/shape.js';
import { firstShapeDecision } from '../../../../src/runner/job/shape-driver.js';

class Counting extends LoadShape {
  calls = 0;
  seen: Array<{ time: number; users: number; requests: number }> = [];
  tick(runTime: number): { users: number; spawnRate: number } {
    this.calls++;
    this.seen.push({ time: runTime, users: this.getCurrentUserCount(), requests: this.run?.totals().numRequests ?? -1 });
    return { users: 3, spawnRate: 3 };
  }
}

class Garbage extends LoadShape {
  tick(): ShapeTick {
    return { users: 'lots', spawnRate: 1 } as unknown as ShapeTick; // what plain JS can return
  }
}

class Throws extends LoadShape {
  tick(): never {
    throw new Error('no\nway');
  }
}

test('the first tick is asked before the run: it sees a run not started (time 0, no users, no requests), once, and the run view is put back', () => {
  const shape = new Counting();
  const decision = firstShapeDecision(shape);
  assert.deepEqual(decision, { kind: 'target', tick: { users: 3, spawnRate: 3 } });
  assert.equal(shape.calls, 1);
  assert.deepEqual(shape.seen, [{ time: 0, users: 0, requests: 0 }]);
  assert.equal(shape.run, null);
});

test('a first tick that returns garbage or throws is an error decision naming the shape', () => {
  const garbage = firstShapeDecision(new Garbage());
  assert.equal(garbage.kind, 'error');
  assert.match(garbage.kind === 'error' ? String(garbage.error) : '', /Garbage\.tick\(\) returned \{"users":"lots","spawnRate":1\}: users must be an integer >= 0/);
  const thrown = firstShapeDecision(new Throws());
  assert.equal(thrown.kind, 'error');
  assert.match(thrown.kind === 'error' ? String(thrown.error) : '', /load shape Throws\.tick\(0\) threw: no/);
});
