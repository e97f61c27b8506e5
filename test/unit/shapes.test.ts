/**
 * StepLoadShape, SpikeLoadShape and shapeFromFlags as tables of (run time → users), with a fake
 * run view for the "until failure" stop conditions.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.js';
import { validateShapeTick, type ShapeRunView } from '../../src/core/shape.js';
import type { EntrySummary, HistoryPoint } from '../../src/stats/types.js';
import { SEED_SPIKE_STAGES, SHAPE_NAMES, SpikeLoadShape, StepLoadShape, shapeFromFlags } from '../../shapes/index.js';

function usersAt(shape: { tick(t: number): unknown }, t: number): number | null {
  return validateShapeTick('shape', shape.tick(t))?.users ?? null;
}

const EMPTY_TOTAL: EntrySummary = {
  method: '', name: 'Aggregated', numRequests: 0, numFailures: 0, totalResponseTimeMs: 0, minResponseTimeMs: null,
  maxResponseTimeMs: null, totalContentLength: 0, percentilesMs: [], firstRequestWallMs: null, lastRequestWallMs: null,
  currentRps: 0, currentFailPerSec: 0,
};

function point(timestamp: number, rps: number, failPerSec: number, p95: number | null): HistoryPoint {
  const percentiles: Array<number | null> = [1, 1, 1, 1, 1, p95, p95, p95, p95, p95, p95];
  return { timestamp, userCount: 0, rps, failPerSec, intervalPercentilesMs: percentiles, total: EMPTY_TOTAL };
}

/** A run view whose last interval the test sets before each tick. */
function fakeRun(): ShapeRunView & { last: HistoryPoint | null } {
  return {
    last: null,
    userCount: () => 0,
    elapsedSec: () => 0,
    totals: () => EMPTY_TOTAL,
    lastInterval() {
      return this.last;
    },
  };
}

describe('StepLoadShape', () => {
  const cases: Array<[number, number | null]> = [
    [0, 100], [30, 100], [59.9, 100], [60, 200], [119, 200], [120, 300], [299, 500], [540, 1000], [599.9, 1000], [600, null], [900, null],
  ];
  for (const [t, users] of cases) {
    test(`seed defaults: ${t} s → ${users ?? 'stop'}`, () => {
      assert.equal(usersAt(new StepLoadShape(), t), users);
    });
  }

  test('time limit ends the run and says it found no breaking point', () => {
    const shape = new StepLoadShape();
    assert.equal(shape.tick(600), null);
    assert.equal(shape.stopReason, 'time limit of 600 s reached after step 10 (1000 users) without a breaking point');
    assert.equal(shape.breakingPoint, null);
  });

  test('custom step size, step time, spawn rate and a user cap', () => {
    const shape = new StepLoadShape({ stepUsers: 25, stepTimeSec: 10, timeLimitSec: 100, spawnRate: 7, maxUsers: 60 });
    const got = [0, 9, 10, 20, 30, 95].map((t) => shape.tick(t));
    assert.deepEqual(got.map((x) => x?.users), [25, 25, 50, 60, 60, 60]);
    assert.ok(got.every((x) => x?.spawnRate === 7));
    assert.equal(new StepLoadShape({ stepUsers: 100 }).spawnRate, 10, 'default: a step within 10 s');
    assert.equal(new StepLoadShape({ stepUsers: 20, stepTimeSec: 4 }).spawnRate, 10, 'short steps: within half a step');
    assert.equal(new StepLoadShape({ stepUsers: 1, stepTimeSec: 60 }).spawnRate, 1, 'at least one user a second');
  });

  test('every tick is a valid ShapeTick', () => {
    const shape = new StepLoadShape();
    for (let t = 0; t < 600; t += 7) assert.notEqual(validateShapeTick('StepLoadShape', shape.tick(t)), null);
  });

  test('stages() lists each step with its start and user count', () => {
    const stages = new StepLoadShape().stages();
    assert.equal(stages.length, 10);
    assert.deepEqual(stages[0], { startSec: 0, label: 'step 1', users: 100 });
    assert.deepEqual(stages[3], { startSec: 180, label: 'step 4', users: 400 });
    assert.deepEqual(stages[9], { startSec: 540, label: 'step 10', users: 1000 });
    assert.deepEqual(new StepLoadShape({ stepTimeSec: 45, timeLimitSec: 100 }).stages().map((s) => s.startSec), [0, 45, 90]);
  });

  test('P95 above the bound for 3 new intervals stops at the current step', () => {
    const shape = new StepLoadShape({ maxP95Ms: 500 });
    const run = fakeRun();
    shape.run = run;
    const steps: Array<[number, HistoryPoint, number | null]> = [
      [170, point(1, 50, 0, 120), 300],
      [181, point(2, 50, 0, 812), 400], // breach 1
      [182, point(2, 50, 0, 812), 400], // same interval seen again: not counted twice
      [183, point(3, 50, 0, 900), 400], // breach 2
      [184, point(4, 50, 0, 100), 400], // healthy: resets
      [185, point(5, 50, 0, 700), 400], // 1
      [186, point(6, 0, 0, null), 400], // idle interval: neither counts nor resets
      [187, point(7, 50, 0, 750), 400], // 2
      [188, point(8, 50, 0, 812), null], // 3 → stop
    ];
    for (const [t, p, users] of steps) {
      run.last = p;
      assert.equal(usersAt(shape, t), users, `at ${t} s`);
    }
    assert.equal(shape.stopReason, 'breaking point: step 4 at 400 users (P95 812 ms > 500 ms)');
    assert.equal(shape.breakingPoint, 'step 4 at 400 users (P95 812 ms > 500 ms)');
  });

  test('failure ratio above the bound stops; at or below it does not', () => {
    const shape = new StepLoadShape({ stepUsers: 10, stepTimeSec: 5, maxFailureRatio: 0.05, sustainSec: 2 });
    const run = fakeRun();
    shape.run = run;
    run.last = point(1, 100, 5, 10); // exactly 5 %: fine
    assert.equal(usersAt(shape, 1), 10);
    run.last = point(2, 100, 6, 10);
    assert.equal(usersAt(shape, 12), 30);
    run.last = point(3, 100, 50, 10);
    assert.equal(usersAt(shape, 13), null);
    assert.equal(shape.stopReason, 'breaking point: step 3 at 30 users (failures 50% > 5%)');
  });

  test('the breaking point is the step where the streak began, not where it was confirmed', () => {
    const shape = new StepLoadShape({ stepUsers: 100, stepTimeSec: 10, maxP95Ms: 500 });
    const run = fakeRun();
    shape.run = run;
    const ticks: Array<[number, number | null]> = [[19, 200], [20, 300], [21, null]];
    ticks.forEach(([t, users], i) => {
      run.last = point(i + 1, 40, 0, 2000);
      assert.equal(usersAt(shape, t), users, `at ${t} s`);
    });
    assert.equal(shape.stopReason, 'breaking point: step 2 at 200 users (P95 2000 ms > 500 ms)');
  });

  test('the user count recorded with the interval names the breaking point when there is one', () => {
    const shape = new StepLoadShape({ stepUsers: 10, stepTimeSec: 1, maxFailureRatio: 0.05, sustainSec: 2 });
    const run = fakeRun();
    shape.run = run;
    run.last = { ...point(1, 80, 9, 10), userCount: 27 };
    assert.equal(usersAt(shape, 3.2), 40);
    run.last = { ...point(2, 100, 30, 10), userCount: 38 };
    assert.equal(usersAt(shape, 4.1), null);
    assert.equal(shape.stopReason, 'breaking point: step 3 at 27 users (failures 30% > 5%)');
  });

  test('without stop conditions or before the runner sets run, intervals are ignored', () => {
    const free = new StepLoadShape();
    const run = fakeRun();
    run.last = point(1, 10, 10, 99_999);
    free.run = run;
    for (let t = 0; t < 10; t++) assert.equal(usersAt(free, t), 100);
    const unset = new StepLoadShape({ maxP95Ms: 1 });
    assert.equal(usersAt(unset, 0), 100);
  });

  test('bad options are one BAD_SHAPE error naming every problem', () => {
    assert.throws(
      () => new StepLoadShape({ stepUsers: 0, stepTimeSec: -1, maxFailureRatio: 5, spawnRate: Number.NaN }),
      (e: unknown) => e instanceof ConfigError && e.code === 'BAD_SHAPE' &&
        /stepUsers/.test(e.message) && /stepTimeSec/.test(e.message) && /maxFailureRatio/.test(e.message) && /spawnRate/.test(e.message),
    );
  });
});

describe('SpikeLoadShape', () => {
  const seed: Array<[number, number | null]> = [
    [0, 100], [59, 100], [60, 1000], [119.5, 1000], [120, 200], [180, 1500], [239, 1500], [240, 100], [299, 100], [300, null],
  ];
  for (const [t, users] of seed) {
    test(`seed stages: ${t} s → ${users ?? 'stop'}`, () => {
      assert.equal(usersAt(new SpikeLoadShape(), t), users);
    });
  }

  const scaled: Array<[number, number[]]> = [
    [1500, [100, 1000, 200, 1500, 100]],
    [300, [20, 200, 40, 300, 20]],
    [3000, [200, 2000, 400, 3000, 200]],
    [15, [1, 10, 2, 15, 1]],
    [1, [1, 1, 1, 1, 1]],
  ];
  for (const [peak, levels] of scaled) {
    test(`peakUsers ${peak} scales every level by ${peak}/1500`, () => {
      const shape = new SpikeLoadShape({ peakUsers: peak });
      assert.deepEqual([0, 60, 120, 180, 240].map((t) => usersAt(shape, t)), levels);
      assert.deepEqual(shape.stages().map((s) => s.users), levels);
    });
  }

  test('ends after the last stage with a reason, and stages() has the seed labels', () => {
    const shape = new SpikeLoadShape();
    assert.equal(shape.tick(300), null);
    assert.equal(shape.stopReason, 'spike pattern complete after 300 s (100 → 1000 → 200 → 1500 → 100 users)');
    assert.deepEqual(shape.stages(), [
      { startSec: 0, label: 'warm-up', users: 100 },
      { startSec: 60, label: 'spike 1', users: 1000 },
      { startSec: 120, label: 'cool-down', users: 200 },
      { startSec: 180, label: 'spike 2', users: 1500 },
      { startSec: 240, label: 'recovery', users: 100 },
    ]);
  });

  test('custom stages, scaled by their own highest level, with a custom spawn rate', () => {
    const shape = new SpikeLoadShape({
      stages: [{ label: 'calm', durationSec: 10, users: 5 }, { label: 'storm', durationSec: 5, users: 50 }],
      peakUsers: 100,
      spawnRate: 33,
    });
    assert.deepEqual(shape.tick(0), { users: 10, spawnRate: 33 });
    assert.deepEqual(shape.tick(12), { users: 100, spawnRate: 33 });
    assert.equal(shape.tick(15), null);
    assert.equal(new SpikeLoadShape().spawnRate, 150, 'default: a tenth of the peak per second');
  });

  test('bad stages and options are one BAD_SHAPE error', () => {
    assert.throws(() => new SpikeLoadShape({ stages: [] }), (e: unknown) => e instanceof ConfigError && e.code === 'BAD_SHAPE');
    assert.throws(
      () => new SpikeLoadShape({ stages: [{ label: 'x', durationSec: 0, users: -1 }], peakUsers: 2.5 }),
      (e: unknown) => e instanceof ConfigError && /durationSec/.test(e.message) && /users/.test(e.message) && /peakUsers/.test(e.message),
    );
  });

  test('the seed stage table is not mutated by scaling', () => {
    new SpikeLoadShape({ peakUsers: 10 });
    assert.deepEqual(SEED_SPIKE_STAGES.map((s) => s.users), [100, 1000, 200, 1500, 100]);
  });
});

describe('shapeFromFlags', () => {
  const none = { users: null, spawnRate: null, stepUsers: null, stepTimeSec: null, runTimeSec: null };

  test('SHAPE_NAMES lists step and spike', () => {
    assert.deepEqual([...SHAPE_NAMES], ['step', 'spike']);
  });

  test('step without flags is the seed default', () => {
    const shape = shapeFromFlags('step', none);
    assert.ok(shape instanceof StepLoadShape);
    assert.deepEqual([0, 60, 599, 600].map((t) => usersAt(shape, t)), [100, 200, 1000, null]);
  });

  test('step from flags stops "until failure": errors over 5 % or P95 over 500 ms', () => {
    const shape = shapeFromFlags('step', none);
    assert.ok(shape instanceof StepLoadShape);
    assert.equal(shape.maxFailureRatio, 0.05);
    assert.equal(shape.maxP95Ms, 500);
  });

  test('step flags: --step-users, --step-time, -t, --spawn-rate, --users as the cap', () => {
    const shape = shapeFromFlags('step', { users: 45, spawnRate: 3, stepUsers: 20, stepTimeSec: 30, runTimeSec: 120 });
    assert.deepEqual([0, 30, 60, 90, 120].map((t) => usersAt(shape, t)), [20, 40, 45, 45, null]);
    assert.equal(validateShapeTick('shape', shape.tick(0))?.spawnRate, 3);
  });

  test('spike: --users sets the peak, -t the whole pattern, --step-time each stage', () => {
    const byTime = shapeFromFlags('spike', { ...none, users: 300, runTimeSec: 60 });
    assert.deepEqual([0, 12, 24, 36, 48, 60].map((t) => usersAt(byTime, t)), [20, 200, 40, 300, 20, null]);
    const byStage = shapeFromFlags('spike', { ...none, stepTimeSec: 5, runTimeSec: 600 });
    assert.deepEqual([0, 5, 10, 15, 20, 25].map((t) => usersAt(byStage, t)), [100, 1000, 200, 1500, 100, null]);
  });

  test('an unknown name is a BAD_SHAPE error that lists the known ones', () => {
    assert.throws(() => shapeFromFlags('ramp', none), (e: unknown) =>
      e instanceof ConfigError && e.code === 'BAD_SHAPE' &&
      e.message === 'unknown shape "ramp": use step, spike or a file exporting a LoadShape');
  });

  test('invalid flag values surface as BAD_SHAPE', () => {
    assert.throws(() => shapeFromFlags('step', { ...none, stepUsers: -5 }), (e: unknown) => e instanceof ConfigError && e.code === 'BAD_SHAPE');
  });
});

test('tick() may return Locust\'s tuples; anything else names the shapes it expects', () => {
  assert.deepEqual(validateShapeTick('S', [10, 2]), { users: 10, spawnRate: 2 });
  assert.deepEqual(validateShapeTick('S', [10, 2, ['Reader']]), { users: 10, spawnRate: 2, userClasses: ['Reader'] });
  assert.deepEqual(validateShapeTick('S', { users: 3, spawn_rate: 1 }), { users: 3, spawnRate: 1 });
  for (const bad of [[10], [1, 2, 3, 4], 'ten', 5]) {
    assert.throws(() => validateShapeTick('S', bad), /^ConfigError: S\.tick\(\) returned .*: expected \{ users, spawnRate\[, userClasses\] \}, \[users, spawnRate\] or \[users, spawnRate, userClasses\] \(Locust's tuple\), or null to stop$/);
  }
  assert.throws(() => validateShapeTick('S', [10, 0]), /spawnRate must be a number > 0/);
});

test('Locust\'s LoadShape helpers: getRunTime() counts from the run\'s start or the last resetTime(), and tick() gets it; getCurrentUserCount()', async () => {
  const { LoadShape } = await import('../../src/core/shape.js');
  const { consultShape } = await import('../../src/runner/job/shape-driver.js');
  let elapsed = 0;
  const seen: number[] = [];
  class Repeating extends LoadShape {
    tick(t: number): [number, number] | null {
      seen.push(t);
      if (this.getRunTime() >= 10) this.resetTime(); // repeat the 10 s pattern
      return [t < 5 ? 10 : 20, 5];
    }
  }
  const shape = new Repeating();
  shape.run = { ...fakeRun(), userCount: () => 7, elapsedSec: () => elapsed };
  for (const t of [0, 4, 10, 11, 16]) {
    elapsed = t;
    consultShape(shape, t);
  }
  assert.deepEqual(seen, [0, 4, 10, 1, 6]);
  assert.equal(shape.getCurrentUserCount(), 7);
  elapsed = 20;
  assert.equal(shape.getRunTime(), 10);
});

test('a LoadTestShape ported word for word: get_run_time(), reset_time() and get_current_user_count() are Locust\'s names of the same helpers', async () => {
  const { LoadShape } = await import('../../src/core/shape.js');
  const { consultShape } = await import('../../src/runner/job/shape-driver.js');
  let elapsed = 0;
  const seen: number[] = [];
  class Ported extends LoadShape {
    tick(): [number, number] | null {
      const runTime = this.get_run_time();
      seen.push(runTime);
      if (runTime >= 10) this.reset_time();
      return [this.get_current_user_count() + 1, 1];
    }
  }
  const shape = new Ported();
  shape.run = { ...fakeRun(), userCount: () => 3, elapsedSec: () => elapsed };
  const ticks = [0, 4, 10, 11, 16].map((t) => {
    elapsed = t;
    return consultShape(shape, t);
  });
  assert.deepEqual(seen, [0, 4, 10, 1, 6]);
  assert.deepEqual(ticks.at(-1), { kind: 'target', tick: { users: 4, spawnRate: 1 } });
  elapsed = 20;
  assert.equal(shape.get_run_time(), 10);
  assert.equal(shape.get_run_time(), shape.getRunTime());
});
