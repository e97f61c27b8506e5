import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerUserHost, type WorkerChannel } from '../../../../src/runner/workers/worker-user-host.js';
import type { MainToWorker, WorkerToMain } from '../../../../src/runner/workers/worker-protocol.js';
import { StatsRegistry } from '../../../../src/stats/registry.js';
import type { UserClassSpec } from '../../../../src/runner/closed/user-runner.js';

/** A worker as the host sees it, in memory: what it was sent, and hooks to answer and to die. */
class FakeWorker implements WorkerChannel {
  readonly label: string;
  readonly sent: MainToWorker[] = [];
  #onMessage: ((m: WorkerToMain) => void) | null = null;
  #onLost: ((error: Error | null, why: string) => void) | null = null;

  constructor(label: string) {
    this.label = label;
  }
  post(m: MainToWorker): void {
    this.sent.push(m);
  }
  listen(onMessage: (m: WorkerToMain) => void, onLost: (error: Error | null, why: string) => void): void {
    this.#onMessage = onMessage;
    this.#onLost = onLost;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  say(m: WorkerToMain): void {
    this.#onMessage?.(m);
  }
  die(why: string): void {
    this.#onLost?.(null, why);
  }
  spawned(): number[] {
    return this.sent.flatMap((m) => (m.type === 'spawn' ? [m.userId] : []));
  }
}

const SPEC = { name: 'U' } as unknown as UserClassSpec;

async function readyHost(labels: string[], lost: string[]): Promise<{ host: WorkerUserHost; workers: FakeWorker[] }> {
  const host = new WorkerUserHost(new StatsRegistry(() => 0), {}, {
    classNames: ['U'],
    placement: 'fewest-users',
    replaceLostUsers: true,
    onWorkerLost: (label, users, why) => lost.push(`${label}: ${users} (${why})`),
  });
  const workers = labels.map((l) => new FakeWorker(l));
  await Promise.all(
    workers.map((w) => {
      const ready = host.add(w);
      w.say({ type: 'ready', classNames: ['U'], preallocated: null });
      return ready;
    }),
  );
  return { host, workers };
}

test('fewest-users placement spreads users evenly, and a late worker takes the next ones', async () => {
  const { host, workers } = await readyHost(['a', 'b'], []);
  for (let id = 0; id < 4; id++) host.spawn(SPEC, 0, id);
  assert.deepEqual(workers.map((w) => w.spawned()), [[0, 2], [1, 3]]);
  const late = new FakeWorker('c');
  const ready = host.add(late);
  late.say({ type: 'ready', classNames: ['U'], preallocated: null });
  await ready;
  host.spawn(SPEC, 0, 4);
  host.spawn(SPEC, 0, 5);
  assert.deepEqual(late.spawned(), [4, 5]);
});

test('a lost worker\'s users start again on the others, same ids and classes; users that ended are not restarted', async () => {
  const lost: string[] = [];
  const { host, workers } = await readyHost(['a', 'b', 'c'], lost);
  const users = [0, 1, 2, 3, 4, 5].map((id) => host.spawn(SPEC, 0, id));
  const [a, b, c] = workers as [FakeWorker, FakeWorker, FakeWorker];
  b.say({ type: 'user-done', userId: 4 }); // b had 1 and 4; 4 stopped by itself
  b.die('sent no heartbeat for 3 s');
  assert.deepEqual(lost, ['b: 1 (sent no heartbeat for 3 s)']);
  assert.deepEqual([...a.spawned(), ...c.spawned()].sort(), [0, 1, 2, 3, 5]);
  // The user handle is the same: stopping it now reaches the worker it moved to.
  users[1]?.requestStop();
  const moved = [a, c].find((w) => w.spawned().includes(1));
  assert.ok(moved?.sent.some((m) => m.type === 'stop' && m.userId === 1));
  assert.equal(host.readyCount(), 2);
  assert.deepEqual(host.totals().map((t) => [t.label, t.alive]), [['a', true], ['b', false], ['c', true]]);
});

test('with no worker left, a lost worker\'s users end (the run goes on without them)', async () => {
  const { host, workers } = await readyHost(['a'], []);
  const user = host.spawn(SPEC, 0, 0);
  workers[0]?.die('exited');
  await user?.done; // resolves: nowhere to go
  assert.equal(host.spawn(SPEC, 0, 1), null);
});

test('stats from each worker are merged, and counted per worker', async () => {
  const stats = new StatsRegistry(() => 1000);
  const host = new WorkerUserHost(stats, {}, { classNames: ['U'], placement: 'fewest-users', replaceLostUsers: true });
  const w = new FakeWorker('a');
  const ready = host.add(w);
  w.say({ type: 'ready', classNames: ['U'], preallocated: null });
  await ready;
  const other = new StatsRegistry(() => 1000);
  other.recordSuccess('GET', '/x', 5, 10);
  other.recordSuccess('GET', '/x', 7, 10);
  w.say({ type: 'stats', snapshot: other.snapshot(), final: false, protocols: { http1: 0, http2: 0 } });
  assert.equal(stats.summaries(1000).aggregated.numRequests, 2);
  assert.equal(host.totals()[0]?.requests, 2);
});
