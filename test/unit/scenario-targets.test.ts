/**
 * scenarios/scenario-targets.ts: the targets analyze-results judges a run by without loading the
 * scenarios' user code. The table must be the scenarios' own lists, name for name and in order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCENARIOS } from '../../scenarios/index.js';
import { SCENARIO_NAMES, isScenarioName, scenarioTargets } from '../../scenarios/scenario-targets.js';

test('the table names the scenarios of the registry, in its order', () => {
  assert.deepEqual([...SCENARIO_NAMES], Object.keys(SCENARIOS));
});

test("each scenario's targets are its table's", () => {
  for (const name of SCENARIO_NAMES) assert.deepEqual(SCENARIOS[name]?.targets, scenarioTargets(name), name);
});

test('every call gives a fresh copy: a caller that changes its list changes nothing else', () => {
  const mine = scenarioTargets('memory');
  const withEndpoints = mine.find((t) => t.endpoints !== undefined);
  assert.ok(withEndpoints?.endpoints);
  withEndpoints.endpoints.push('GET /else');
  withEndpoints.threshold = -1;
  mine.pop();
  assert.deepEqual(scenarioTargets('memory'), SCENARIOS['memory']?.targets);
  assert.notEqual(scenarioTargets('quick'), scenarioTargets('quick'));
});

test('only the scenario names are scenario names (not Object.prototype keys)', () => {
  for (const name of SCENARIO_NAMES) assert.ok(isScenarioName(name), name);
  for (const other of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '', 'Quick', 'targets.json']) assert.equal(isScenarioName(other), false, other);
});
