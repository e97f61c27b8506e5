/** The suite's summary (issue 22): the worst exit code, the table's cells, the JSON per run, and figures read back from a run's JSON. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSuiteRunFigures, type SuiteRunFigures } from '../../../src/report/suite-run-figures.js';
import { suiteJson, suiteTable, worstExitCode, type SuiteReport, type SuiteRunRow } from '../../../src/report/suite-summary.js';

const dir = mkdtempSync(join(tmpdir(), 'brood-suite-summary-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the worst exit code: 2 beats 1 beats 0; a run that never started counts for nothing', () => {
  const cases: Array<[Array<number | null>, number]> = [[[], 0], [[0, 0], 0], [[0, 1, 0], 1], [[1, 2, 0], 2], [[2, 1], 2], [[null, 0], 0], [[null, 1], 1]];
  for (const [codes, worst] of cases) assert.equal(worstExitCode(codes), worst, codes.join(','));
});

const figures = (over: Partial<SuiteRunFigures> = {}): SuiteRunFigures => ({
  requests: 600, failures: 6, errorRate: 0.01, p50Ms: 1.234, p95Ms: 12.5, p99Ms: 480, achievedRps: 9.987, durationSecs: 60.1,
  targets: [{ label: 'p99', metric: 'p99', comparator: '<', threshold: 500, unit: 'ms', endpoints: null, measured: 480, met: true }],
  ...over,
});

function row(name: string, over: Partial<SuiteRunRow> = {}): SuiteRunRow {
  return { name, rate: 10, durationSec: 3, declaredDurationSec: 30, status: 'ran', exitCode: 0, figures: figures(), json: `${name}.json`, note: null, ...over };
}

const report = (rows: SuiteRunRow[], over: Partial<SuiteReport> = {}): SuiteReport => ({
  suite: 's', description: 'd', file: 's.toml', targetsFile: 'api.txt', host: 'http://127.0.0.1:1', startedAt: new Date(0), endedAt: new Date(1000),
  durationCapSec: 3, interrupted: false, exitCode: worstExitCode(rows.map((r) => r.exitCode)), rows, ...over,
});

test('the table: one line per run in order, its figures, targets met/missed, exit code; the worst named', () => {
  const missed = figures({ targets: [...figures().targets, { label: 'e', metric: 'error_rate', comparator: '<', threshold: 0.001, unit: '%', endpoints: null, measured: 0.01, met: false }] });
  const lines = suiteTable(report([
    row('light'),
    row('heavy', { rate: 100, exitCode: 1, figures: missed }),
    row('stress', { rate: 200, status: 'refused', exitCode: 2, figures: null, json: null, note: 'refused: cannot reach x' }),
    row('extra', { status: 'not run', exitCode: null, figures: null, json: null, note: 'not started' }),
  ]));
  assert.equal(lines[0], 'Suite s: 2 of 4 runs against http://127.0.0.1:1 (-t 3s caps every run)');
  assert.match(lines[1] ?? '', /^Run\s+Rate\/s\s+Duration\s+Requests\s+Fail %\s+p50 ms\s+p95 ms\s+p99 ms\s+Req\/s\s+Targets\s+Exit$/);
  const cells = (n: number): string[] => (lines[n] ?? '').trim().split(/\s{2,}/);
  assert.deepEqual(cells(2), ['light', '10', '3s of 30s', '600', '1.00%', '1.23', '12.5', '480', '9.99', '1 met', '0']);
  assert.deepEqual(cells(3), ['heavy', '100', '3s of 30s', '600', '1.00%', '1.23', '12.5', '480', '9.99', '1 met, 1 missed', '1']);
  assert.deepEqual(cells(4), ['stress', '200', '3s of 30s', '-', '-', '-', '-', '-', '-', '-', '2', 'refused']);
  assert.deepEqual(cells(5), ['extra', '10', '3s of 30s', '-', '-', '-', '-', '-', '-', '-', '-', 'not run']);
  assert.deepEqual(lines.slice(6), ['  stress: refused: cannot reach x', 'Exit code 2 (worst: stress)']);
  // Columns line up: the targets cells start under their header.
  const column = (lines[1] ?? '').indexOf('Targets');
  assert.deepEqual([lines[2]?.indexOf('1 met'), lines[3]?.indexOf('1 met')], [column, column]);
});

test('a run as long as the suite says shows its own duration; no exit code but 0 names nobody', () => {
  const lines = suiteTable(report([row('a', { durationSec: 30 })], { durationCapSec: null, interrupted: true }));
  assert.equal(lines[0], 'Suite s: 1 of 1 runs against http://127.0.0.1:1, interrupted');
  assert.match(lines[2] ?? '', /^a\s+10\s+30s\s+600/);
  assert.equal(lines.at(-1), 'Exit code 0');
});

test('the JSON holds the table\'s figures per run, the targets in full and where each run\'s file is', () => {
  const json = suiteJson(report([row('light'), row('x', { status: 'not run', exitCode: null, figures: null, json: null, note: 'not started' })]));
  const runs = json.runs as Array<Record<string, unknown>>;
  assert.equal(json.exit_code, 0);
  assert.equal(json.started_at, '1970-01-01T00:00:00.000Z');
  assert.deepEqual({ ...runs[0], targets: undefined }, {
    name: 'light', status: 'ran', rate: 10, duration_secs: 3, declared_duration_secs: 30, exit_code: 0, json: 'light.json', note: null,
    requests: 600, failures: 6, error_rate: 0.01, p50_ms: 1.234, p95_ms: 12.5, p99_ms: 480, achieved_rps: 9.987, measured_secs: 60.1,
    targets_met: 1, targets_missed: 0, targets: undefined,
  });
  assert.equal((runs[0]?.targets as unknown[]).length, 1);
  assert.equal(runs[1]?.requests, null);
  assert.deepEqual(runs[1]?.targets, []);
});

test('figures read back from a run\'s JSON file; a missing or foreign file is one line, not a throw', () => {
  const file = join(dir, 'run.json');
  writeFileSync(file, JSON.stringify({
    summary: { total_operations: 100, total_failures: 2, error_rate: 0.02, throughput_ops_sec: 49.5, duration_secs: 2.02 },
    stats: [{ name: '/x', percentiles_ms: { '50%': 9 } }, { name: 'Aggregated', percentiles_ms: { '50%': 1.5, '95%': 3, '99%': null } }],
    validation: { targets: [{ label: 'P99 latency', metric: 'p99', comparator: '<', threshold: 0.001, unit: 'ms', endpoints: null, measured: 4, met: false }, 'junk'] },
  }));
  const read = readSuiteRunFigures(file);
  assert.ok(typeof read !== 'string');
  assert.deepEqual({ ...read, targets: read.targets.length }, { requests: 100, failures: 2, errorRate: 0.02, p50Ms: 1.5, p95Ms: 3, p99Ms: null, achievedRps: 49.5, durationSecs: 2.02, targets: 1 });
  const missing = readSuiteRunFigures(join(dir, 'none.json'));
  assert.ok(typeof missing === 'string');
  assert.match(missing, /its JSON file .*none\.json cannot be read \(ENOENT\)/);
  writeFileSync(join(dir, 'other.json'), '[1]');
  const foreign = readSuiteRunFigures(join(dir, 'other.json'));
  assert.ok(typeof foreign === 'string');
  assert.match(foreign, /has no "summary"/);
});
