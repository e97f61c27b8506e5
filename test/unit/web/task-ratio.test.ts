import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTaskTable } from '../../../src/core/tasks.js';
import { taskRatio } from '../../../src/web/task-ratio.js';
import { TaskSet } from '../../../src/index.js';

class Inner extends TaskSet {
  static override tasks = { a: 3, b: 1 };
  a(): void {}
  b(): void {}
}

class Outer {
  static tasks: unknown = [[Inner, 1], ['x', 1]];
  x(): void {}
}

class Solo {
  static tasks: unknown = { only: 1 };
  only(): void {}
}

test('task shares by weight, nested TaskSets nested; class shares from the running users, else the weights', () => {
  const classes = [
    { name: 'Outer', weight: 3, table: buildTaskTable(Outer) },
    { name: 'Solo', weight: 1, table: buildTaskTable(Solo) },
  ];
  const byWeight = taskRatio(classes, {});
  assert.equal(byWeight.total.Outer?.ratio, 0.75);
  assert.equal(byWeight.total.Solo?.ratio, 0.25);
  assert.deepEqual(byWeight.per_class.Outer, { ratio: 1, tasks: { Inner: { ratio: 0.5, tasks: { a: { ratio: 0.375 }, b: { ratio: 0.125 } } }, x: { ratio: 0.5 } } });
  assert.equal(byWeight.total.Outer?.tasks.x?.ratio, 0.375, 'in the total, a task\'s share is scaled by its class\'s');
  const byUsers = taskRatio(classes, { Outer: 1, Solo: 3 });
  assert.equal(byUsers.total.Outer?.ratio, 0.25);
  assert.equal(byUsers.total.Solo?.ratio, 0.75);
  assert.deepEqual(taskRatio([], {}), { per_class: {}, total: {} });
});
