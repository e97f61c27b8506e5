/**
 * process.exit() called by a test's code during a run (issue 17): the run ends as with
 * environment.runner.quit(), every result file is written, code after the call never runs, and a
 * non-zero code asked for is the exit code.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

const cases = [
  { processes: 1, code: 0, fromTimer: false },
  { processes: 1, code: 3, fromTimer: false },
  { processes: 1, code: 0, fromTimer: true },
  { processes: 2, code: 4, fromTimer: false },
];

for (const c of cases) {
  test(`process.exit(${c.code}) ${c.fromTimer ? 'in a timer a task set up' : 'in a task'} (--processes ${c.processes}): the run ends with every file written and exit ${c.code}`, async (t) => {
    const srv = await startRecordingServer();
    servers.push(srv);
    const dir = mkdtempSync(join(tmpdir(), 'brood-exit-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const prefix = join(dir, 'run');
    const started = Date.now();
    const env: Record<string, string> = { EXIT_AFTER: '20', EXIT_CODE: String(c.code) };
    if (c.fromTimer) env.EXIT_FROM_TIMER = '1';
    const r = await runCli(['-f', 'test/fixtures/lifecycle/exit-in-task.mjs', '-H', srv.url, '-u', '2', '-r', '100', '-t', '30s', '--processes', String(c.processes), '--csv', prefix, '--html', `${prefix}.html`, '--json', `${prefix}.json`], { env });
    assert.equal(r.code, c.code, r.stderr + r.stdout);
    assert.ok(Date.now() - started < 20_000, 'the run ended long before -t 30s');
    assert.match(r.stdout, new RegExp(`^Run ended after [\\d.]+ s: process\\.exit\\(${c.code}\\) called by the test \\(use environment\\.runner\\.quit\\(\\) to end a run\\)`, 'm'));
    assert.match(r.stdout, /^Results: /m);
    for (const suffix of ['_stats.csv', '_stats_history.csv', '_failures.csv', '_exceptions.csv', '.json', '.html', '.log']) {
      assert.ok(existsSync(prefix + suffix), `${suffix} written`);
    }
    assert.doesNotThrow(() => JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as unknown, 'the JSON summary is whole');
    const stats = readFileSync(`${prefix}_stats.csv`, 'utf8');
    assert.match(stats, /GET,\/exit-test,(\d+)/);
    const counted = Number(/GET,\/exit-test,(\d+)/.exec(stats)?.[1]);
    assert.equal(counted, srv.requests.filter((q) => q.url === '/exit-test').length, 'every request the server saw is counted');
    assert.ok(counted >= 20, `${counted} requests`);
    assert.equal(srv.requests.filter((q) => q.url === '/AFTER_EXIT').length, 0, 'code after process.exit() never ran');
    assert.doesNotMatch(readFileSync(`${prefix}_exceptions.csv`, 'utf8'), /StopUser|process\.exit/, 'not an exception');
  });
}
