import { test } from 'node:test';
import assert from 'node:assert/strict';
import { User, TaskSet, SequentialTaskSet } from '../../../src/core/user.js';
import { task, tag } from '../../../src/core/task-decorators.js';
import { buildTaskTable, tagsIn } from '../../../src/core/tasks.js';
import { ConfigError } from '../../../src/core/errors.js';

class Browse extends TaskSet {
  static override tags = ['browse'];
  @task(2) async list(): Promise<void> {}
  @task(1) async leave(): Promise<void> { this.interrupt(); }
}

class Flow extends SequentialTaskSet {
  @task async first(): Promise<void> {}
  @task(2) async second(): Promise<void> {}
}

class Decorated extends User {
  @task(3) async read(): Promise<void> {}
  @tag('write') @task(1) async write(): Promise<void> {}
  @tag('slow') @task async slow(): Promise<void> {}
  async helper(): Promise<void> {}
  static override tasks = [[Browse, 2], Flow];
}

class PlainJs extends User {
  static override tasks = { a: 2, b: 1 };
  async a(): Promise<void> {}
  async b(): Promise<void> {}
}

test('decorated methods and static tasks combine, with their weights', () => {
  const table = buildTaskTable(Decorated);
  const byName = Object.fromEntries(table.tasks.map((t) => [t.name, t.weight]));
  assert.deepEqual(byName, { read: 3, write: 1, slow: 1, Browse: 2, Flow: 1 });
  assert.equal(table.tasks.find((t) => t.name === 'helper'), undefined);
  const browse = table.tasks.find((t) => t.name === 'Browse');
  assert.equal(browse?.action.kind, 'taskset');
  if (browse?.action.kind === 'taskset') assert.deepEqual(browse.action.table.tasks.map((t) => t.name), ['list', 'leave']);
  const flow = table.tasks.find((t) => t.name === 'Flow');
  if (flow?.action.kind === 'taskset') assert.equal(flow.action.table.sequential, true);
});

test('plain-JS static tasks map resolves method names', () => {
  const table = buildTaskTable(PlainJs);
  assert.deepEqual(table.tasks.map((t) => [t.name, t.weight]), [['a', 2], ['b', 1]]);
});

test('a subclass override without @task hides the base task; with @task it replaces it', () => {
  class Base extends User {
    @task(5) async x(): Promise<void> {}
    @task(1) async y(): Promise<void> {}
  }
  class Child extends Base {
    override async x(): Promise<void> {}
    @task(7) override async y(): Promise<void> {}
  }
  assert.deepEqual(buildTaskTable(Child).tasks.map((t) => [t.name, t.weight]), [['y', 7]]);
});

test('tag filters: --tags keeps tagged tasks and tagged TaskSets; --exclude-tags removes', () => {
  const cases: Array<{ include: string[] | null; exclude: string[] | null; want: string[] }> = [
    { include: ['write'], exclude: null, want: ['write'] },
    { include: ['browse'], exclude: null, want: ['Browse'] },
    { include: null, exclude: ['slow', 'browse'], want: ['read', 'write', 'Flow'] },
    { include: ['write', 'slow'], exclude: ['slow'], want: ['write'] },
    { include: ['nothing'], exclude: null, want: [] },
  ];
  for (const c of cases) {
    const table = buildTaskTable(Decorated, {
      include: c.include ? new Set(c.include) : null,
      exclude: c.exclude ? new Set(c.exclude) : null,
    });
    assert.deepEqual(table.tasks.map((t) => t.name), c.want, JSON.stringify(c));
  }
});

test('bad static tasks are configuration errors naming the class', () => {
  class Missing extends User {
    static override tasks = { nope: 1 };
  }
  class BadWeight extends User {
    static override tasks = [['a', -1]];
    async a(): Promise<void> {}
  }
  assert.throws(() => buildTaskTable(Missing), (e: unknown) => e instanceof ConfigError && /Missing has no method of that name/.test(e.message));
  assert.throws(() => buildTaskTable(BadWeight), /weights must be numbers >= 0/);
  assert.throws(() => task(-2), /weight must be a number >= 0/);
});

test('tagsIn collects every tag: tasks, TaskSets and the tasks inside them', () => {
  class Tagged extends TaskSet {
    static override tags = ['outer'];
    @tag('inner') @task async deep(): Promise<void> {}
  }
  class WithNested extends User {
    @tag('slow', 'write') @task async a(): Promise<void> {}
    static override tasks = [Tagged];
  }
  assert.deepEqual([...tagsIn(buildTaskTable(WithNested))].sort(), ['inner', 'outer', 'slow', 'write']);
  assert.deepEqual([...tagsIn(buildTaskTable(PlainJs))], []);
});
