import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Exceptions, MAX_TRACEBACK_LENGTH, OTHER_EXCEPTIONS_MESSAGE, describeThrown } from '../../../src/stats/exceptions.js';

function throwFromHere(message: string): Error {
  return new Error(message);
}

describe('Exceptions', () => {
  it('groups by message + traceback and counts', () => {
    const ex = new Exceptions();
    for (const message of ['a', 'a', 'b']) ex.record(throwFromHere(message)); // one call site: same stacks
    const fromElsewhere = new Error('a');
    ex.record(fromElsewhere); // same message, different stack
    const rows = ex.toJSON();
    assert.equal(rows.length, 3);
    assert.equal(rows[0]?.message, 'a');
    assert.equal(rows[0]?.count, 2);
    assert.match(rows[0]?.traceback ?? '', /throwFromHere/);
    assert.deepEqual(rows[0]?.nodes, ['local']);
  });

  const nonErrors: Array<[label: string, thrown: unknown, message: string]> = [
    ['a string', 'plain string', 'plain string'],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['an object', { toString: () => 'custom' }, 'custom'],
    ['an object whose toString throws', { toString: () => { throw new Error('no'); } }, '[unprintable thrown object]'],
  ];
  for (const [label, thrown, message] of nonErrors) {
    it(`describes ${label} by String(value) with an empty traceback`, () => {
      assert.deepEqual(describeThrown(thrown), { message, traceback: '' });
    });
  }

  it('caps a traceback at 8 KB', () => {
    const e = new Error('deep');
    e.stack = 'Error: deep\n' + '    at frame (file.js:1:1)\n'.repeat(2000);
    const { traceback } = describeThrown(e);
    assert.ok(traceback.length < MAX_TRACEBACK_LENGTH + 50, `length ${traceback.length}`);
    assert.ok(traceback.startsWith('Error: deep\n    at frame'));
    assert.match(traceback, /truncated/);
  });

  it('is bounded: past the limit new groups go to one "other" group', () => {
    const ex = new Exceptions(5);
    for (let i = 0; i < 100; i++) ex.record(`unique ${i}`, i % 2 === 0 ? 'local' : 'worker-1');
    assert.equal(ex.size, 6);
    const other = ex.toJSON().find((r) => r.message === OTHER_EXCEPTIONS_MESSAGE);
    assert.equal(other?.count, 95);
    assert.deepEqual(other?.nodes, ['local', 'worker-1']);
  });

  it('merges groups from other processes, uniting their nodes', () => {
    const a = new Exceptions();
    const b = new Exceptions();
    const e = new Error('same');
    a.record(e, 'worker-1');
    b.record(e, 'worker-2');
    b.record(e, 'worker-2');
    a.merge(b.toJSON());
    assert.deepEqual(a.toJSON(), [{ message: 'same', traceback: e.stack, count: 3, nodes: ['worker-1', 'worker-2'] }]);
  });
});

describe('one error, one group', () => {
  const userFrames = 'Error: boom\n    at Checker.boom (/app/locustfile.ts:17:30)\n    at file:///app/node_modules/brood/dist/src/runner/closed/user-loop.js:100:51';
  const first = `${userFrames}\n    at #guard (file:///app/node_modules/brood/dist/src/runner/closed/user-loop.js:126:19)\n    at #run (file:///app/node_modules/brood/dist/src/runner/closed/user-loop.js:73:29)`;
  const later = `${userFrames}\n    at #guard (file:///app/node_modules/brood/dist/src/runner/closed/user-loop.js:126:19)\n    at runNextTicks (node:internal/process/task_queues:60:5)\n    at async #run (file:///app/node_modules/brood/dist/src/runner/closed/user-loop.js:73:13)`;

  it('stacks that differ only below the task runner group together, keeping the user frames', () => {
    const exceptions = new Exceptions();
    for (const stack of [first, later, later]) {
      const e = new Error('boom');
      e.stack = stack;
      exceptions.record(e, 'local');
    }
    const groups = exceptions.toJSON();
    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.count, 3);
    assert.equal(groups[0]?.traceback, userFrames);
  });

  it('leaves stacks that never pass through the task runner as they are', () => {
    const e = new Error('elsewhere');
    e.stack = 'Error: elsewhere\n    at a (/x.js:1:1)\n    at b (/y.js:2:2)';
    assert.equal(describeThrown(e).traceback, e.stack);
  });
});
