import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateTargets, validateTargets } from '../../../src/core/target-check.js';
import { StatsRegistry } from '../../../src/stats/registry.js';

test('a target no run can meet is refused, naming it: negative, "< 0", a latency or rate of at most 0, an error rate past 1', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ metric: 'p99', comparator: '<', threshold: -5 }, /target #1: p99 < -5 can never be met: p99 is never negative$/],
    [{ metric: 'p95', comparator: '<', threshold: 0 }, /target #1: p95 < 0 can never be met: nothing is below 0$/],
    [{ metric: 'avg', comparator: '<=', threshold: 0 }, /target #1: avg <= 0 can never be met by a run that sends requests/],
    [{ metric: 'rps', comparator: '>=', threshold: -1 }, /rps >= -1 can never be met: rps is never negative/],
    [{ metric: 'error_rate', comparator: '<', threshold: 0 }, /error_rate < 0 can never be met: nothing is below 0 \(use '<=' 0 for no errors allowed\)$/],
    [{ metric: 'error_rate', comparator: '<', threshold: 5 }, /error_rate < 5 is not a fraction: error_rate thresholds go from 0 to 1 \(0\.01 = 1%\)$/],
  ];
  for (const [target, message] of cases) {
    const problems = validateTargets([target], 'locustfile.ts');
    assert.equal(problems.length, 1, JSON.stringify(target));
    assert.match(problems[0]?.message ?? '', message);
  }
});

test('meetable targets pass validation, "error_rate <= 0" (no errors allowed) among them', () => {
  const fine = [
    { metric: 'error_rate', comparator: '<=', threshold: 0 },
    { metric: 'error_rate', comparator: '<', threshold: 0.01 },
    { metric: 'rps', comparator: '>', threshold: 0 },
    { metric: 'p95', comparator: '<', threshold: 200 },
  ];
  assert.deepEqual(validateTargets(fine, 'f'), []);
});

test('"error_rate <= 0" passes a clean run and fails one failure', () => {
  const clean = new StatsRegistry(() => 0);
  clean.recordSuccess('GET', '/a', 5, 10);
  const one = new StatsRegistry(() => 0);
  one.recordSuccess('GET', '/a', 5, 10);
  one.recordFailure('GET', '/a', 5, 0, 'boom');
  const target = [{ metric: 'error_rate' as const, comparator: '<=' as const, threshold: 0 }];
  const judge = (r: StatsRegistry): boolean => {
    const { entries, aggregated } = r.summaries(1000);
    return evaluateTargets(target, entries, aggregated, 1)[0]?.met ?? false;
  };
  assert.equal(judge(clean), true);
  assert.equal(judge(one), false);
});
