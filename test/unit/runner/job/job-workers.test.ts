import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oversubscriptionWarning, remoteOpenPool, withWorkerFlush } from '../../../../src/runner/job/job-workers.js';
import type { Population } from '../../../../src/runner/job/load-run.js';

test('--processes over the core count is warned about, in the singular for one core; otherwise nothing', () => {
  assert.equal(oversubscriptionWarning(2, 2), null);
  assert.equal(oversubscriptionWarning(1, 4), null);
  assert.equal(
    oversubscriptionWarning(4, 2),
    'warning: --processes 4 but this process may use 2 CPU cores: the workers share them and lose a few % of throughput (auto picks 2)',
  );
  assert.equal(
    oversubscriptionWarning(2, 1),
    'warning: --processes 2 but this process may use 1 CPU core: the workers share it and lose a few % of throughput (auto picks 1)',
  );
});

test('the open pool before the workers start: empty, stops and finishes at once, and an arrival is an internal error', async () => {
  const pool = remoteOpenPool(() => null, [1, 1], 2, { arrivalDone: () => undefined });
  assert.equal(pool.userCount(), 0);
  assert.deepEqual(pool.countsByClass(), []);
  pool.hardStopAll();
  await pool.finishAll();
  assert.throws(() => pool.dispatch(0, 0), /internal: open-model arrival before the worker threads started/);
});

test('a population in workers waits for their last stats after its users stop, and only then', async () => {
  const calls: string[] = [];
  const inner: Population = {
    userCount: () => 7,
    setTarget: (u, r) => calls.push(`target ${u} ${r}`),
    hardStopAll: () => calls.push('hard stop'),
    stopAll: async (hard) => {
      await Promise.resolve();
      calls.push(`stop ${hard}`);
    },
  };
  const population = withWorkerFlush(inner, async () => {
    calls.push('flush');
  });
  assert.equal(population.userCount(), 7);
  population.setTarget(5, 2);
  population.hardStopAll();
  await population.stopAll(false);
  assert.deepEqual(calls, ['target 5 2', 'hard stop', 'stop false', 'flush']);
});
