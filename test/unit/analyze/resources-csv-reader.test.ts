/**
 * PREFIX_resources.csv read back (issue 23): the readings of a real run (test/fixtures/analyze/
 * resources/), a bad line as one error naming FILE:LINE, and a run's resources taken from its
 * JSON when it has them, else recomputed from the CSV.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyzeError } from '../../../analyze/analyze-error.js';
import { readResourcesCsv } from '../../../analyze/resources-csv-reader.js';
import { loadRun } from '../../../analyze/run-loader.js';
import { BYTES_PER_MB } from '../../../src/monitor/resource-sample.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'analyze', 'resources');
const HEADER = 'Timestamp,Elapsed (s),User Count,Source,RSS MB,CPU %,Threads,Open Files,Gap,queue_depth';

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'brood-resources-csv-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const failsWith = (code: string, message: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof AnalyzeError, String(e));
  assert.equal(e.code, code);
  assert.match(e.message, message);
  return true;
};

test("a real run's resources CSV: its sources, readings and --monitor-metric series", () => {
  const file = readResourcesCsv(join(FIXTURES, 'leak_resources.csv'));
  assert.deepEqual(file.sources, [
    { name: 'pid 19159 (node)', kind: 'pid' },
    { name: 'http://127.0.0.1:46365/metrics', kind: 'url' },
  ]);
  assert.deepEqual(file.metricNames, ['leaky_kept_chunks']);
  assert.equal(file.samples.length, 24);
  assert.deepEqual(file.samples[0], {
    timestamp: 1796303404, elapsedSec: 1.021, userCount: 5, source: 0, rssBytes: 57.215 * BYTES_PER_MB,
    cpuPercent: 4.7, threads: 11, openFiles: 27, metrics: [null], gap: null,
  });
  assert.deepEqual(file.samples[1]?.metrics, [54]);
  assert.equal(file.samples.at(-1)?.userCount, 0, 'the wind-down reading after the users stopped');
});

test('gap rows, empty cells and guarded names read back as the writer meant them', () => {
  withDir((dir) => {
    const path = join(dir, 'x_resources.csv');
    writeFileSync(path, [
      HEADER,
      "1700000000,1.000,10,'=evil,12.5,3.0,,,,7",
      "1700000001,2.000,10,'=evil,,,,,connection refused (ECONNREFUSED),",
      '',
    ].join('\r\n'));
    const file = readResourcesCsv(path);
    assert.deepEqual(file.sources, [{ name: '=evil', kind: 'url' }]);
    assert.deepEqual(file.samples[1], {
      timestamp: 1700000001, elapsedSec: 2, userCount: 10, source: 0, rssBytes: null, cpuPercent: null,
      threads: null, openFiles: null, metrics: [null], gap: 'connection refused (ECONNREFUSED)',
    });
  });
});

test('a malformed line is one error naming FILE:LINE', () => {
  withDir((dir) => {
    const path = join(dir, 'x_resources.csv');
    const good = '1700000000,1.000,10,pid 4 (node),12.5,3.0,11,27,,';
    const cases: Array<[string, RegExp]> = [
      ['1700000001,2.000,10,pid 4 (node),12.5,lots,11,27,,', /x_resources\.csv:3: column "CPU %": "lots" is not a number/],
      ['1700000001,2.000,10,pid 4 (node),12.5,3.0', /x_resources\.csv:3: 6 cells where the header has 10/],
      ['1700000001,2.000,-1,pid 4 (node),12.5,3.0,11,27,,', /x_resources\.csv:3: column "User Count": -1 is not a count/],
      ['1700000001,2.000,10,pid 4 (node),12.5,3.0,11,27,,deep', /x_resources\.csv:3: column "queue_depth": "deep" is not a number/],
      [',2.000,10,pid 4 (node),12.5,3.0,11,27,,', /x_resources\.csv:3: column "Timestamp": "" is not a number/],
      ['1700000001,2.000,10,,12.5,3.0,11,27,,', /x_resources\.csv:3: column "Source" is empty/],
    ];
    for (const [line, message] of cases) {
      writeFileSync(path, `${HEADER}\n${good}\n${line}\n`);
      assert.throws(() => readResourcesCsv(path), failsWith('BAD_CSV', message), line);
    }
    writeFileSync(path, 'Timestamp,User Count,Name\n1,2,x\n');
    assert.throws(() => readResourcesCsv(path), failsWith('NOT_RESULT_FILE', /not a brood resources CSV/));
    writeFileSync(path, '');
    assert.throws(() => readResourcesCsv(path), failsWith('NOT_RESULT_FILE', /empty file/));
  });
});

test("a run's resources: the JSON's summary with the CSV's readings, else recomputed from the CSV", () => {
  const fromJson = loadRun(join(FIXTURES, 'leak_stats.csv')).resources;
  const json = JSON.parse(readFileSync(join(FIXTURES, 'leak.json'), 'utf8')) as { resources: unknown };
  assert.ok(fromJson);
  assert.deepEqual(fromJson.summary, json.resources);
  assert.equal(fromJson.recomputed, false);
  assert.equal(fromJson.samples.length, 24, 'readings from the CSV beside the JSON');
  assert.deepEqual(fromJson.sources, ['pid 19159 (node)', 'http://127.0.0.1:46365/metrics']);
  withDir((dir) => {
    for (const suffix of ['_stats.csv', '_stats_history.csv', '_resources.csv']) copyFileSync(join(FIXTURES, `leak${suffix}`), join(dir, `run${suffix}`));
    const run = loadRun(join(dir, 'run_stats.csv'));
    const csv = run.resources;
    assert.ok(csv);
    assert.equal(csv.recomputed, true);
    assert.equal(csv.origin, join(dir, 'run_resources.csv'));
    assert.ok(run.files.includes(join(dir, 'run_resources.csv')), run.files.join(', '));
    const [pid] = csv.summary.sources;
    // The CSV keeps MB to 3 decimals: the slope comes out as the run's to well under 1 MB/min.
    assert.equal(pid?.growth_verdict, 'leak');
    assert.ok(Math.abs((pid?.memory_growth_mb_per_min ?? 0) - 115.832) < 0.5, String(pid?.memory_growth_mb_per_min));
    assert.deepEqual(pid?.users_during_fit, { min: 5, max: 5 });
    assert.equal(csv.summary.warm_up_sec, 2.4, 'the default warm-up: 20 % of the 12 s');
  });
});

test('a run without resources has none; a wrong resources block in the JSON is one error naming file and field', () => {
  assert.equal(loadRun(join(REPO_ROOT, 'test', 'fixtures', 'analyze', 'step_stats.csv')).resources ?? null, null);
  withDir((dir) => {
    const json = JSON.parse(readFileSync(join(FIXTURES, 'flat.json'), 'utf8')) as { resources: { sources: Array<Record<string, unknown>> } };
    const first = json.resources.sources[0];
    assert.ok(first);
    first['cpu_percent'] = { mean: 'high', p95: 5, max: 5 };
    const path = join(dir, 'run.json');
    writeFileSync(path, JSON.stringify(json));
    assert.throws(() => loadRun(path), failsWith('BAD_JSON', /run\.json: "resources\.sources\[0\]\.cpu_percent\.mean" must be a number/));
  });
});
