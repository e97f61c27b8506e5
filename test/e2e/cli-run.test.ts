import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

const reference = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'locust-reference', 'locust-csv-headers.txt'), 'utf8').split('\n');
const headerAfter = (marker: string): string => reference[reference.findIndex((l) => l.includes(marker)) + 1] ?? '';

function csvTotals(prefix: string): { requests: number; failures: number } {
  const agg = readFileSync(`${prefix}_stats.csv`, 'utf8').split('\r\n').find((l) => l.startsWith(',Aggregated,')) ?? '';
  const cells = agg.split(',');
  return { requests: Number(cells[2]), failures: Number(cells[3]) };
}

test('a .ts test file runs (decorators, catchResponse, exceptions); files match Locust headers byte for byte', async () => {
  const target = await startTargetServer({ status: (req) => (req.url === '/nope' ? 404 : 200) });
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-e2e-'));
  const prefix = join(dir, 'run');
  const r = await runCli(['-f', 'test/fixtures/reader.ts', '-H', target.url, '-u', '6', '-r', '50', '-t', '3s', '--csv', prefix, '--html', join(dir, 'r.html'), '--json', join(dir, 'r.json'), '--headless']);
  assert.equal(r.code, 1, `failures and exceptions → exit 1; stderr: ${r.stderr}`);
  assert.match(r.stdout, /Response time percentiles/);
  // The closing line names every file written, and each exists.
  const results = (/^Results: (.*)$/m.exec(r.stdout)?.[1] ?? '').split(', ');
  assert.deepEqual(results, [`${prefix}_stats.csv`, `${prefix}_stats_history.csv`, `${prefix}_failures.csv`, `${prefix}_exceptions.csv`, `${prefix}_custom_metrics.csv`, join(dir, 'r.json'), join(dir, 'r.html'), `${prefix}.log`]);
  for (const f of results) assert.ok(existsSync(f), f);
  const statsHeader = readFileSync(`${prefix}_stats.csv`, 'utf8').split('\r\n')[0];
  assert.equal(statsHeader, headerAfter('PREFIX_stats.csv'));
  assert.equal(readFileSync(`${prefix}_stats_history.csv`, 'utf8').split('\r\n')[0], headerAfter('PREFIX_stats_history.csv'));
  assert.equal(readFileSync(`${prefix}_failures.csv`, 'utf8').split('\r\n')[0], headerAfter('PREFIX_failures.csv'));
  assert.equal(readFileSync(`${prefix}_exceptions.csv`, 'utf8').split('\r\n')[0], headerAfter('PREFIX_exceptions.csv'));
  // Complete at exit: the CSV total is exactly what the server received.
  assert.equal(csvTotals(prefix).requests, target.total());
  assert.match(readFileSync(`${prefix}_failures.csv`, 'utf8'), /GET,\/nope,HTTP 404,\d+/);
  assert.match(readFileSync(`${prefix}_exceptions.csv`, 'utf8'), /synthetic task exception/);
  const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { summary: { total_operations: number; error_rate: number } };
  assert.equal(json.summary.total_operations, target.total());
  assert.ok(existsSync(join(dir, 'r.html')));
  assert.ok(existsSync(join(dir, 'run.log')) || existsSync(`${prefix}.log`), 'a log file');
});

test('.mjs with static tasks, TaskSets and fixedCount; .js loads too; --only-summary prints no live lines', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-e2e-'));
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-H', target.url, '-u', '4', '-r', '100', '-t', '2s', '--results-dir', dir, '--only-summary']);
  assert.equal(r.code, 0, r.stderr);
  for (const path of ['GET /list', 'GET /cart', 'POST /pay', 'GET /', 'GET /admin']) {
    assert.ok((target.counts.get(path) ?? 0) > 0, `${path} was requested`);
  }
  // SequentialTaskSet: cart then pay, in order, so the counts differ by at most one per user.
  assert.ok(Math.abs((target.counts.get('GET /cart') ?? 0) - (target.counts.get('POST /pay') ?? 0)) <= 4);
  assert.doesNotMatch(r.stdout, /\[[#.]+\]/, 'no progress bar lines');
  const js = await runCli(['-f', 'test/fixtures/plain-tasks.js', '-H', target.url, '-u', '2', '-t', '1s', '--results-dir', dir]);
  assert.equal(js.code, 0, js.stderr);
  assert.ok((target.counts.get('GET /ping') ?? 0) > 0);
});

test('a second run with the same --csv prefix replaces the first run\'s files (stats_history is not appended to), as Locust', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const prefix = join(mkdtempSync(join(tmpdir(), 'brood-e2e-')), 'run');
  const historyRows = (): string[] => readFileSync(`${prefix}_stats_history.csv`, 'utf8').trim().split('\r\n');
  const first = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-H', target.url, '-u', '2', '-r', '100', '-t', '3s', '--csv', prefix, '--only-summary']);
  assert.equal(first.code, 0, first.stderr);
  const firstRows = historyRows();
  const second = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-H', target.url, '-u', '2', '-r', '100', '-t', '1s', '--csv', prefix, '--only-summary']);
  assert.equal(second.code, 0, second.stderr);
  const rows = historyRows();
  assert.equal(rows.filter((r) => r.startsWith('Timestamp,')).length, 1, 'one header');
  assert.ok(rows.length < firstRows.length, `the 1 s run's history (${rows.length} lines) is its own, not added to the 3 s run's (${firstRows.length})`);
  const total = Number(rows.at(-1)?.split(',')[17]);
  assert.equal(total, csvTotals(prefix).requests, 'the last history row totals this run only');
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal}: users stop gracefully, every file is written, exit 1`, async () => {
    const target = await startTargetServer({ delayMs: 20 });
    servers.push(target);
    const dir = mkdtempSync(join(tmpdir(), 'brood-sig-'));
    const prefix = join(dir, 'run');
    let sent = false;
    const started = Date.now();
    const r = await runCli(['-f', 'test/fixtures/slow-user.mjs', '-H', target.url, '-u', '5', '-r', '50', '-t', '60s', '--stop-timeout', '1s', '--csv', prefix, '--json', join(dir, 'r.json'), '--html', join(dir, 'r.html')], {
      onStdout: (text, child) => {
        if (!sent && text.includes('against')) {
          sent = true;
          setTimeout(() => child.kill(signal), 1500);
        }
      },
    });
    assert.ok(Date.now() - started < 15_000, 'stopped well before -t');
    assert.equal(r.code, 1, r.stderr);
    for (const f of ['_stats.csv', '_stats_history.csv', '_failures.csv', '_exceptions.csv']) assert.ok(existsSync(prefix + f), f);
    assert.equal(csvTotals(prefix).requests, target.total());
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { run: { stop_reason: string } };
    assert.match(json.run.stop_reason, new RegExp(`interrupted by ${signal}`));
    assert.ok(existsSync(join(dir, 'r.html')));
  });
}

test('a second Ctrl-C stops at once (even a task that never ends) and still writes the files', async () => {
  const target = await startTargetServer({ delayMs: 5 });
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-sig2-'));
  const prefix = join(dir, 'run');
  let sent = 0;
  const started = Date.now();
  const r = await runCli(['-f', 'test/fixtures/slow-user.mjs', '-H', target.url, '-u', '3', '-r', '50', '-t', '60s', '--stop-timeout', '30s', '--csv', prefix], {
    onStdout: (text, child) => {
      if (sent === 0 && text.includes('against')) {
        sent = 1;
        setTimeout(() => child.kill('SIGINT'), 1000);
        setTimeout(() => child.kill('SIGINT'), 1500);
      }
    },
  });
  assert.ok(Date.now() - started < 10_000, 'did not wait for the 30 s stop timeout');
  assert.equal(r.code, 1);
  assert.equal(csvTotals(prefix).requests, target.total());
});
