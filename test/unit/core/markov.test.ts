import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTaskTable } from '../../../src/core/tasks.js';
import { MarkovPicker } from '../../../src/core/task-picker.js';
import { transition, transitions, tag } from '../../../src/core/task-decorators.js';
import { MarkovTaskSet } from '../../../src/core/user.js';
import { Rng } from '../../../src/core/rng.js';

class Shop extends MarkovTaskSet {
  @transition('browse')
  async index(): Promise<void> {}

  @transition('index', 3)
  @transition('product', 1)
  async browse(): Promise<void> {}

  @transitions([['index', 1], 'browse'])
  async product(): Promise<void> {}
}

test('a MarkovTaskSet starts at its first task and walks its transitions by weight', () => {
  const table = buildTaskTable(Shop);
  assert.deepEqual(table.tasks.map((t) => t.name), ['index', 'browse', 'product']);
  assert.ok(table.markov);
  const walk = new MarkovPicker(table.tasks.map((t) => t.name), table.markov);
  const rng = new Rng(7);
  const seq = Array.from({ length: 40_000 }, () => walk.pick(rng));
  assert.deepEqual(seq.slice(0, 2), ['index', 'browse']);
  const after = new Map<string, Map<string, number>>();
  for (let i = 0; i + 1 < seq.length; i++) {
    const m = after.get(seq[i] as string) ?? new Map<string, number>();
    m.set(seq[i + 1] as string, (m.get(seq[i + 1] as string) ?? 0) + 1);
    after.set(seq[i] as string, m);
  }
  assert.deepEqual([...(after.get('index')?.keys() ?? [])], ['browse'], 'index only ever goes to browse');
  const fromBrowse = after.get('browse') as Map<string, number>;
  const share = (fromBrowse.get('index') ?? 0) / ((fromBrowse.get('index') ?? 0) + (fromBrowse.get('product') ?? 0));
  assert.ok(Math.abs(share - 0.75) < 0.02, `browse → index 3:1 against product: ${share}`);
  const fromProduct = after.get('product') as Map<string, number>;
  assert.deepEqual([...fromProduct.keys()].sort(), ['browse', 'index']);
});

test('plain JS: static transitions', () => {
  class Plain extends MarkovTaskSet {
    static override transitions = { a: { b: 1 }, b: { a: 1 } };
    async a(): Promise<void> {}
    async b(): Promise<void> {}
  }
  const table = buildTaskTable(Plain);
  assert.deepEqual(table.tasks.map((t) => t.name), ['a', 'b']);
  assert.deepEqual(table.markov?.next, [[1], [0]]);
});

test('a chain that cannot work is refused, every problem in one line', () => {
  class Empty extends MarkovTaskSet {
    async a(): Promise<void> {}
  }
  assert.throws(() => buildTaskTable(Empty), /Empty is a MarkovTaskSet with no tasks: mark methods with @transition/);
  class Broken extends MarkovTaskSet {
    @transition('nowhere')
    async a(): Promise<void> {}

    @transition('plain')
    @tag('x')
    async b(): Promise<void> {}

    async plain(): Promise<void> {}
  }
  assert.throws(() => buildTaskTable(Broken), (e: unknown) => {
    const m = (e as Error).message;
    return /Broken\.a: transition to "nowhere", which is not a task/.test(m) && /Broken\.b: tags are not supported/.test(m) &&
      /Broken\.b: transition to "plain", which is not a task of Broken with transitions of its own/.test(m) && !m.includes('\n');
  });
  class Island extends MarkovTaskSet {
    @transition('a')
    async a(): Promise<void> {}

    @transition('c')
    async b(): Promise<void> {}

    @transition('b')
    async c(): Promise<void> {}
  }
  assert.throws(() => buildTaskTable(Island), /Island: b, c can never be reached from a \(the first task, where the chain starts\)/);
});
