import { testEnvironment } from '../../../helpers/user-environment.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../../../src/core/clock.js';
import { Rng } from '../../../../src/core/rng.js';
import { buildTaskTable } from '../../../../src/core/tasks.js';
import { task } from '../../../../src/core/task-decorators.js';
import { User } from '../../../../src/core/user.js';
import { constant } from '../../../../src/core/wait-time.js';
import { LifecyclePhases, stuckInLifecycleLine, type LifecycleCounts } from '../../../../src/runner/closed/lifecycle-phases.js';
import { RunningUser } from '../../../../src/runner/closed/user-loop.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('stuckInLifecycleLine: one line per situation, by class, null when nobody is stuck', () => {
  const cases: Array<[LifecycleCounts, string | null]> = [
    [{ onStart: [], onStop: [] }, null],
    [{ onStart: [0, 0], onStop: [0] }, null],
    [{ onStart: [2], onStop: [] }, '2 users were still in onStart when the run ended (Q: 2): they never ran a task; does onStart await something that never settles?'],
    [{ onStart: [0, 1], onStop: [] }, '1 user was still in onStart when the run ended (R: 1): it never ran a task; does onStart await something that never settles?'],
    [{ onStart: [], onStop: [1, 3] }, '4 users were still in onStop when the run ended (Q: 1, R: 3): does onStop await something that never settles?'],
    [{ onStart: [2], onStop: [0, 1] }, '3 users were still in onStart or onStop when the run ended (onStart: Q: 2; onStop: R: 1): those in onStart never ran a task; do the hooks await something that never settles?'],
  ];
  for (const [counts, line] of cases) assert.equal(stuckInLifecycleLine(counts, ['Q', 'R']), line, JSON.stringify(counts));
});

test('LifecyclePhases: enter/leave per class, snapshots are plain copies, add() sums another thread', () => {
  const p = new LifecyclePhases();
  p.enter('onStart', 1);
  p.enter('onStart', 1);
  p.leave('onStart', 1);
  p.enter('onStop', 0);
  const snap = p.snapshot();
  assert.deepEqual(snap, { onStart: [0, 1], onStop: [1] });
  p.add({ onStart: [3], onStop: [0, 2] });
  assert.deepEqual(p.snapshot(), { onStart: [3, 1], onStop: [1, 2] });
  assert.deepEqual(snap, { onStart: [0, 1], onStop: [1] }, 'the earlier snapshot is not shared');
});

test('a user counts in onStart while its onStart runs, and only while: stuck ones stay counted after a hard stop', async () => {
  let release: () => void = () => {};
  class Slow extends User {
    override waitTime = constant(0);
    override async onStart(): Promise<void> { await new Promise<void>((r) => (release = r)); }
    @task async t(): Promise<void> { await sleep(1); }
  }
  class Stuck extends User {
    override async onStart(): Promise<void> { await new Promise(() => {}); }
    @task async t(): Promise<void> {}
  }
  const phases = new LifecyclePhases();
  const deps = { clock: systemClock, recordException: () => {}, afterTask: () => {}, phases };
  const slow = new RunningUser(new Slow(testEnvironment({ rng: new Rng(1) })), 0, buildTaskTable(Slow), deps, () => {});
  const stuck = new RunningUser(new Stuck(testEnvironment({ rng: new Rng(2) })), 1, buildTaskTable(Stuck), deps, () => {});
  slow.start();
  stuck.start();
  await sleep(5);
  assert.deepEqual(phases.snapshot().onStart, [1, 1]);
  release();
  await sleep(5);
  assert.deepEqual(phases.snapshot().onStart, [0, 1], 'Slow left onStart');
  slow.requestStop();
  stuck.hardStop();
  await slow.done;
  await sleep(5);
  assert.deepEqual(phases.snapshot(), { onStart: [0, 1], onStop: [0] });
  assert.equal(stuckInLifecycleLine(phases.snapshot(), ['Slow', 'Stuck'])?.startsWith('1 user was still in onStart when the run ended (Stuck: 1)'), true);
});
