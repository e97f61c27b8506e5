import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CustomMessages, messageText, type CustomMessage } from '../../../src/core/custom-messages.js';
import { LocalRunner, MasterRunner, Runner, WorkerRunner, noMessages, runnerView, type RunnerSource } from '../../../src/core/runner-view.js';
import type { RunEnvironment } from '../../../src/core/hooks.js';

const ENV = Object.freeze({ host: 'http://h' }) as unknown as RunEnvironment;

function source(over: Partial<RunnerSource> = {}): RunnerSource {
  return { quit: () => {}, userCount: () => 0, state: () => 'running', workerIndex: 0, stats: null, ...noMessages('this test'), ...over };
}

test("the runner is an instance of Locust's class for where it runs (instanceof MasterRunner…), which nothing else constructs", () => {
  assert.ok(runnerView(source()) instanceof LocalRunner);
  assert.ok(runnerView(source({ kind: 'master', workerIndex: null })) instanceof MasterRunner);
  const worker = runnerView(source({ kind: 'worker', workerIndex: 1 }));
  assert.ok(worker instanceof WorkerRunner && worker instanceof Runner && !(worker instanceof MasterRunner));
  assert.throws(() => new (LocalRunner as unknown as new () => unknown)(), /brood makes the runner/);
  // By brand, not by prototype: a runner made by another copy of brood's modules still answers.
  const elsewhere = { [Symbol.for('brood.runnerKind')]: 'master' };
  assert.deepEqual([elsewhere instanceof MasterRunner, elsewhere instanceof Runner, elsewhere instanceof LocalRunner, {} instanceof Runner], [true, true, false, false]);
});

test('worker_count and target_user_count are read from the run when asked, and absent where the source has none', () => {
  let target = 5;
  const r = runnerView(source({ workerCount: () => 1, targetUserCount: () => target }));
  assert.deepEqual([r.worker_count, r.workerCount, r.target_user_count, r.targetUserCount], [1, 1, 5, 5]);
  target = 9;
  assert.equal(r.target_user_count, 9);
  const w = runnerView(source({ kind: 'worker', workerCount: null, targetUserCount: null }));
  assert.deepEqual(['worker_count' in w, 'target_user_count' in w], [false, false]);
});

test('send_message: data travels as JSON (a copy), to a worker by index or to all (null); bad data or index is a one-line TypeError, nothing sent', () => {
  const sent: [string, string, number | null][] = [];
  const r = runnerView(source({ sendMessage: (type, text, to) => void sent.push([type, text, to]) }));
  r.send_message('users', [{ name: 'a' }], 1);
  r.sendMessage('hello');
  assert.deepEqual(sent, [['users', '[{"name":"a"}]', 1], ['hello', 'null', null]]);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => r.send_message('x', cyclic), /^TypeError: runner\.send_message\('x', data\): data must be JSON \(/);
  assert.throws(() => r.send_message('x', 1n), /data must be JSON/);
  assert.throws(() => r.send_message('x', () => 1), /data must be JSON \(got a function\)/);
  assert.throws(() => r.send_message('', 1), /type must be a non-empty string \(got ""\)/);
  assert.throws(() => r.send_message('x', 1, 'client-id' as unknown as number), /toWorker is a worker's index \(0, 1, …; runner\.worker_count of them\) or null for all \(got "client-id"\)/);
  assert.throws(() => r.send_message('x', 1, -1), /toWorker is a worker's index/);
  assert.equal(sent.length, 2);
  assert.throws(() => runnerView(source()).send_message('x'), /this test has no workers and no listeners to send to/);
});

test("register_message and delivery: the listener gets { environment, msg } with Locust's msg fields; an unknown type is said once; a throwing or rejecting listener is an error of the run", async () => {
  const errors: unknown[] = [];
  const unknown: string[] = [];
  const messages = new CustomMessages((e) => errors.push(e), (type, from) => unknown.push(`${type} from ${from}`));
  const r = runnerView(source({ messages }));
  const got: { environment: RunEnvironment; msg: CustomMessage }[] = [];
  r.register_message('users', (args) => void got.push(args));
  messages.deliver('users', messageText('users', { n: 2 }), 3, ENV);
  assert.equal(got.length, 1);
  assert.equal(got[0]?.environment, ENV);
  assert.deepEqual({ ...got[0]?.msg }, { type: 'users', data: { n: 2 }, node_id: 'worker-3', nodeId: 'worker-3', worker_index: 3, workerIndex: 3 });
  messages.deliver('users', 'null', 'master', ENV);
  assert.deepEqual([got[1]?.msg.node_id, got[1]?.msg.worker_index, got[1]?.msg.data], ['master', null, null]);
  messages.deliver('nobody', '1', 'master', ENV);
  messages.deliver('nobody', '1', 'master', ENV);
  assert.deepEqual(unknown, ['nobody from master']);
  r.registerMessage('boom', () => {
    throw new Error('listener broke');
  });
  r.register_message('later', async () => {
    await Promise.resolve();
    throw new Error('async listener broke');
  }, true);
  messages.deliver('boom', '1', 'local', ENV);
  messages.deliver('later', '1', 'local', ENV);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(errors.map((e) => (e as Error).message), ['listener broke', 'async listener broke']);
  assert.throws(() => r.register_message('x', 'not a function' as unknown as () => void), /listener must be a function \(\{ environment, msg \}\) => …/);
  assert.throws(() => r.register_message(7 as unknown as string, () => {}), /type must be a non-empty string \(got 7\)/);
});
