/**
 * Vegeta's results read back (issue 22): test/fixtures/vegeta-results/ holds five known results in
 * both of Vegeta's encodings; every figure below is computed by hand from them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readVegetaResults, vegetaResultsFormat } from '../../../analyze/vegeta-results-reader.js';
import { AnalyzeError } from '../../../analyze/analyze-error.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/vegeta-results');
const T0 = 1_767_323_045_000;

for (const [format, file] of [['json', 'results.jsonl'], ['csv', 'results.csv']] as const) {
  test(`${format}: rows by method and path, exact counts, statuses, bytes, failures and a history per second`, () => {
    const path = join(FIXTURES, file);
    assert.equal(vegetaResultsFormat(path), format);
    const run = readVegetaResults(path, format);
    const row = (key: string) => run.entries.find((e) => `${e.summary.method} ${e.summary.name}` === key)?.summary;
    const a = row('GET /a');
    assert.ok(a, run.entries.map((e) => `${e.summary.method} ${e.summary.name}`).join(' | '));
    assert.deepEqual([a.numRequests, a.numFailures, a.minResponseTimeMs, a.maxResponseTimeMs, a.totalContentLength], [3, 1, 5, 30, 200]);
    assert.deepEqual(a.statusCodes, { '0': 1, '200': 2 });
    const b = row('POST /b');
    assert.deepEqual([b?.numRequests, b?.numFailures, b?.requestBytes, b?.statusCodes], [1, 1, 12, { '500': 1 }]);
    // A 302 Vegeta did not follow is a success (200-399, no error), as Vegeta counts it.
    assert.deepEqual([row('GET /c')?.numFailures, row('GET /c')?.statusCodes], [0, { '302': 1 }]);
    const all = run.aggregated.summary;
    assert.deepEqual([all.numRequests, all.numFailures, all.requestBytes, all.totalResponseTimeMs], [5, 2, 12, 10 + 30 + 20 + 5 + 1.5]);
    assert.equal(all.firstStartWallMs, T0);
    assert.equal(all.lastStartWallMs, T0 + 1600);
    // The run: from the first send to the last completion (1.6 s + 1.5 ms).
    assert.equal(run.meta.startWallMs, T0);
    assert.equal(run.meta.endWallMs, T0 + 1601.5);
    assert.equal(run.meta.durationSecs, 1.6015);
    assert.equal(run.meta.host, 'http://127.0.0.1:8000');
    assert.equal(run.aggregated.rps, 5 / 1.6015);
    // Failures grouped by Vegeta's error, or the status when there is none.
    assert.deepEqual(run.failures.map((f) => [f.method, f.name, f.error, f.occurrences]).sort(), [
      ['GET', '/a', 'dial tcp 127.0.0.1:8000: connect: connection refused', 1],
      ['POST', '/b', '500 Internal Server Error', 1],
    ]);
    // The µs of a send time are kept (500_000_123 ns → 500.000123 ms).
    const failedB = run.failures.find((f) => f.name === '/b');
    assert.ok(Math.abs((failedB?.firstSeenWallMs ?? 0) - (T0 + 520.000123)) < 1e-3, String(failedB?.firstSeenWallMs));
    // Completions fall in seconds T0 and T0+1: one history point each, totals cumulative.
    assert.deepEqual(run.history.map((p) => [p.timestamp, p.total.numRequests]), [[T0 / 1000, 3], [T0 / 1000 + 1, 5]]);
    assert.deepEqual(run.endpointHistory['GET /a']?.map((p) => p.rps), [2, 1]);
  });
}

test('files that are not Vegeta results are not taken for them; a bad line is one error naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-vegeta-results-'));
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  assert.equal(vegetaResultsFormat(write('brood.json', '{\n  "brood_version": "0.1.0"\n}\n')), null, "a brood run's JSON");
  assert.equal(vegetaResultsFormat(write('stats.csv', 'Type,Name,Request Count\n')), null, 'a stats CSV');
  assert.equal(vegetaResultsFormat(join(dir, 'missing.jsonl')), null);
  const badJson = write('bad.jsonl', '{"code":200,"timestamp":"2026-01-02T03:04:05Z","latency":5}\n{"code":200,"timestamp":"yesterday","latency":5}\n');
  assert.throws(() => readVegetaResults(badJson, 'json'), (e: unknown) => e instanceof AnalyzeError && e.code === 'BAD_JSON' && /bad\.jsonl:2: "timestamp" must be an RFC 3339 time/.test(e.message));
  const badCsv = write('bad.csv', '1767323045000000000,200,10,0,0,,,a,0,GET,http://x/a,\n1767323045000000000,200,ten,0,0,,,a,1,GET,http://x/a,\n');
  assert.throws(() => readVegetaResults(badCsv, 'csv'), (e: unknown) => e instanceof AnalyzeError && e.code === 'BAD_CSV' && /bad\.csv:2: the latency \(ns\) must be a whole number/.test(e.message));
  const narrow = write('narrow.csv', '1767323045000000000,200,10,0,0\n');
  assert.throws(() => readVegetaResults(narrow, 'csv'), /narrow\.csv:1: 5 columns, expected Vegeta's 12/);
});
