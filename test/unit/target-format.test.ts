import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TargetResult } from '../../src/core/targets.js';
import { targetFigures } from '../../src/report/target-format.js';
import { targetsTable } from '../../src/report/console-summary.js';

function result(over: Partial<TargetResult>): TargetResult {
  return { label: 'Throughput', metric: 'rps', comparator: '>=', threshold: 91.83, unit: 'req/s', endpoints: null, measured: 100, met: true, ...over };
}

test('a value that missed its threshold by less than the shown decimals gets the decimals that tell them apart', () => {
  // CI printed "Threshold >= 91.83 req/s, Measured 91.83 req/s, FAIL" for 281 messages in 3.06 s.
  assert.deepEqual(targetFigures(result({ measured: 91.8297, met: false })), { threshold: '>= 91.83 req/s', measured: '91.8297 req/s' });
  assert.deepEqual(targetFigures(result({ measured: 91.83004, met: true })), { threshold: '>= 91.83 req/s', measured: '91.83004 req/s' });
  // Both sides grow when the threshold itself has more decimals than shown.
  assert.deepEqual(targetFigures(result({ threshold: 91.8349, measured: 91.8341, met: false })), { threshold: '>= 91.835 req/s', measured: '91.834 req/s' });
  // Error rates are fractions shown as percent: 1.00004 % against "<= 1 %".
  assert.deepEqual(targetFigures(result({ metric: 'error_rate', comparator: '<=', threshold: 0.01, unit: '%', measured: 0.0100004, met: false })), { threshold: '<= 1%', measured: '1.00004%' });
});

test('values that read apart, equal values and nothing measured are shown as before', () => {
  assert.deepEqual(targetFigures(result({ metric: 'p99', comparator: '<', threshold: 200, unit: 'ms', measured: 41.9191, met: true })), { threshold: '< 200 ms', measured: '41.919 ms' });
  assert.deepEqual(targetFigures(result({ measured: 91.83, met: true })), { threshold: '>= 91.83 req/s', measured: '91.83 req/s' });
  assert.deepEqual(targetFigures(result({ measured: null, met: false })), { threshold: '>= 91.83 req/s', measured: 'n/a' });
  // Beyond 9 more decimals two values are taken as equal (no endless digits for float noise).
  assert.deepEqual(targetFigures(result({ threshold: 0.3, measured: 0.1 + 0.2, met: false })), { threshold: '>= 0.3 req/s', measured: '0.3 req/s' });
});

test('the console targets table shows the figures that explain its verdict', () => {
  const lines = targetsTable([result({ label: 'Messages sent', measured: 91.8297, met: false })]).join('\n');
  assert.match(lines, /Messages sent\s+Aggregated\s+>= 91\.83 req\/s\s+91\.8297 req\/s\s+FAIL/);
});
