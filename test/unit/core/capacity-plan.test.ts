import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capacityRates, MAX_CAPACITY_STEPS } from '../../../src/core/capacity-plan.js';

test('capacity rates: start/step/max from the index (no drift), each rate once', () => {
  assert.deepEqual(capacityRates({ start: 100, step: 50, max: 250 }), [100, 150, 200, 250]);
  assert.deepEqual(capacityRates({ start: 0.1, step: 0.1, max: 0.3 }), [0.1, 0.2, 0.3]);
  assert.deepEqual(capacityRates({ start: 1, step: 0.001, max: 1.003 }), [1, 1.001, 1.002, 1.003]);
});

test('rates that would repeat (and overwrite each other\'s capacity_<rate> files) are refused', () => {
  assert.throws(() => capacityRates({ start: 1, step: 0.0001, max: 1.01 }), /^ConfigError: --step 0\.0001 is finer than the 0\.001 ops\/s that rates are kept to: 1 would be tried twice \(use a step of at least 0\.001\)$/);
  assert.throws(() => capacityRates({ rates: '10,20,10' }), /--rates "10,20,10" lists 10 twice: each rate is tried once \(its files are capacity_10\.\*\)/);
  assert.throws(() => capacityRates({ rates: '10,,20' }), /must be positive numbers/);
});

test('more steps than a search tries are refused, not cut short silently', () => {
  assert.equal(capacityRates({ start: 1, step: 1, max: MAX_CAPACITY_STEPS }).length, MAX_CAPACITY_STEPS);
  assert.throws(() => capacityRates({ start: 1, step: 1, max: 5000 }), /makes 5000 steps: a search tries at most 1000 \(use a larger --step\)/);
  assert.throws(() => capacityRates({ start: 1, step: 1e-9, max: 1e9 }), /steps: a search tries at most 1000/);
});
