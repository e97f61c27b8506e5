import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readCsvFile, startCli } from '../helpers/reliability.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function historyRecords(path: string): number {
  try {
    return readFileSync(path, 'utf8').split('\r\n').length - 2; // header, trailing empty
  } catch {
    return 0;
  }
}

test('kill -9 mid-run leaves valid CSVs with every interval so far and a whole log', async () => {
  const target = await startTargetServer({ delayMs: 2 });
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-kill9-'));
  const prefix = join(dir, 'run');
  const run = startCli(['-f', 'test/fixtures/reliability/steady-user.mjs', '-H', target.url, '-u', '5', '-r', '50', '-t', '60s', '--csv', prefix]);
  await run.waitFor('against');
  const deadline = Date.now() + 20_000;
  while (historyRecords(`${prefix}_stats_history.csv`) < 3 && Date.now() < deadline) await sleep(100);
  await sleep(300); // land between intervals or in one: either must be safe
  run.child.kill('SIGKILL');
  const end = await run.exited;
  assert.equal(end.signal, 'SIGKILL');

  const history = readCsvFile(`${prefix}_stats_history.csv`);
  assert.equal(history.header[0], 'Timestamp');
  assert.ok(history.rows.length >= 3, `at least 3 intervals, got ${history.rows.length}`);
  const stamps = history.rows.map((r) => Number(r[0]));
  assert.ok(stamps.every((t, i) => Number.isInteger(t) && (i === 0 || t >= (stamps[i - 1] ?? 0))), `timestamps in order: ${stamps.join(',')}`);
  assert.ok(history.rows.every((r) => r[3] === 'Aggregated'));
  const lastTotal = Number(history.rows.at(-1)?.[17]);
  assert.ok(lastTotal > 0, 'the last interval counts the requests so far');

  const stats = readCsvFile(`${prefix}_stats.csv`);
  assert.equal(stats.header[0], 'Type');
  const agg = stats.rows.find((r) => r[1] === 'Aggregated');
  assert.ok(agg && Number(agg[2]) > 0, 'the stats CSV is a whole, recent rewrite');
  readCsvFile(`${prefix}_failures.csv`);
  readCsvFile(`${prefix}_exceptions.csv`);

  const log = readFileSync(`${prefix}.log`, 'utf8');
  assert.ok(log.endsWith('\n') && log.split('\n').filter(Boolean).every((l) => l.startsWith('[') || l.startsWith('    ')), 'log lines are whole');
  // Atomic rewrites go through hidden ".NAME.tmp-PID-…" files; the visible files are all complete.
  for (const f of readdirSync(dir)) {
    assert.ok(!f.includes('.tmp-') || f.startsWith('.'), `no visible temporary file: ${f}`);
  }
});

test('errors in user code never end the run: task throws, onStart rejects, stray rejections and timer throws, constructor throws', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-unruly-'));
  const prefix = join(dir, 'run');
  const r = await runCli(['-f', 'test/fixtures/reliability/unruly-users.mjs', '-H', target.url, '-u', '7', '-r', '50', '-t', '3s', '--csv', prefix, '--json', join(dir, 'r.json')]);
  assert.equal(r.code, 1, `exceptions → exit 1; stderr: ${r.stderr}`);
  assert.match(r.stdout, /run time limit reached/, 'the run went to its end');
  const exceptions = readCsvFile(`${prefix}_exceptions.csv`).rows;
  const count = (message: string): number => exceptions.filter((row) => row[1] === message).reduce((n, row) => n + Number(row[0]), 0);
  for (const m of ['task blew up', 'onStart rejected', 'stray rejection', 'stray throw in a timer', 'constructor threw']) {
    assert.ok(count(m) > 0, `"${m}" counted in _exceptions.csv: ${JSON.stringify(exceptions.map((e) => e[1]))}`);
  }
  // Each user went on after its error: far more requests than users (0.1 s think time over 3 s).
  assert.ok(count('task blew up') >= 6, `TaskThrows kept running: ${count('task blew up')}`);
  assert.ok((target.counts.get('GET /task-throws') ?? 0) >= 6);
  assert.ok((target.counts.get('GET /after-onstart') ?? 0) >= 6, 'users whose onStart failed still run their tasks');
  assert.ok((target.counts.get('GET /stray') ?? 0) >= 6);
  assert.ok(count('stray rejection') >= 6);
  assert.equal(target.counts.get('GET /never') ?? 0, 0);
  const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { summary: { total_operations: number } };
  assert.equal(json.summary.total_operations, target.total(), 'all files written at the end');
  assert.ok(existsSync(`${prefix}_stats_history.csv`));
});
