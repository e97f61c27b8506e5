import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

/**
 * A test file whose top-level await never resolves used to end the CLI with exit code 13 and no
 * word (nothing else to run), or hang it forever (a timer kept it alive). A user stuck in
 * onStart/onStop used to leave no trace at all.
 */
const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'brood-load-hang-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The bound, shortened for the tests (LOAD_TIMEOUT_MS is 30 s). */
const SHORT = { BROOD_LOAD_TIMEOUT_MS: '1500' };

describe('a test file that never finishes loading', { concurrency: 4 }, () => {
  const cases = [
    { file: 'test/fixtures/timers/load-never-settles.mjs', processes: '1', message: 'loading never finished: a top-level await waits on a promise that nothing left running can resolve', maxMs: 10_000 },
    // Through tsx either way out may come first: its compiler keeps the loop alive for a moment.
    { file: 'test/fixtures/timers/load-hangs.ts', processes: '1', message: '(loading never finished: a top-level await waits on a promise that nothing left running can resolve|loading did not finish within 1500 ms \\(a top-level await that never resolves\\?\\))', maxMs: 15_000 },
    { file: 'test/fixtures/timers/load-hangs.mjs', processes: '1', message: 'loading did not finish within 1500 ms \\(a top-level await that never resolves\\?\\)', maxMs: 10_000 },
    // The main thread loads the file before any worker starts: the same line, no worker involved.
    { file: 'test/fixtures/timers/load-hangs.mjs', processes: '2', message: 'loading did not finish within 1500 ms \\(a top-level await that never resolves\\?\\)', maxMs: 10_000 },
  ];
  for (const c of cases) {
    test(`${c.file} (--processes ${c.processes}): one line naming the file, exit 2, no files`, async (t) => {
      const dir = tempDir(t);
      const started = Date.now();
      const r = await runCli(['-f', c.file, '-H', 'http://127.0.0.1:9', '-t', '5s', '--processes', c.processes, '--csv', join(dir, 'run')], { env: SHORT, timeoutMs: 30_000 });
      assert.equal(r.code, 2, `${r.signal ?? ''} ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^error: ${c.file.replace(/\./g, '\\.')}: ${c.message}\\n$`));
      assert.equal(r.stdout, '');
      assert.ok(Date.now() - started < c.maxMs, `took ${Date.now() - started} ms`);
      assert.deepEqual(readdirSync(dir), []);
    });
  }

  test('with --processes 2, a file that hangs only in the worker threads: one line, exit 2 (not code 13)', async (t) => {
    const srv = await startRecordingServer();
    servers.push(srv);
    const dir = tempDir(t);
    const r = await runCli(['-f', 'test/fixtures/timers/hang-in-worker.mjs', '-H', srv.url, '-t', '5s', '--processes', '2', '--csv', join(dir, 'run'), '--only-summary'], { env: SHORT, timeoutMs: 30_000 });
    assert.equal(r.code, 2, `${r.signal ?? ''} ${r.stderr}`);
    assert.match(r.stderr, /^error: worker \d could not load the test: test\/fixtures\/timers\/hang-in-worker\.mjs: loading never finished: [^\n]*\n$/);
    assert.equal(srv.requests.length, 0);
  });
});

describe('users stuck in onStart or onStop', { concurrency: 2 }, () => {
  for (const processes of ['1', '2']) {
    test(`are reported at the end in one console line and in the log (--processes ${processes})`, async (t) => {
      const srv = await startRecordingServer();
      servers.push(srv);
      const dir = tempDir(t);
      const r = await runCli(['-f', 'test/fixtures/timers/stuck-on-start.mjs', 'Q', 'R', 'Fine', '-H', srv.url, '-u', '6', '-r', '100', '-t', '1s', '--stop-timeout', '1s', '--processes', processes, '--csv', join(dir, 'run'), '--only-summary'], { timeoutMs: 30_000 });
      assert.equal(r.code, 0, r.stderr);
      const line = '4 users were still in onStart or onStop when the run ended (onStart: Q: 2; onStop: R: 2): those in onStart never ran a task; do the hooks await something that never settles?';
      assert.equal(r.stdout.split('\n').filter((l) => l.includes('still in')).join('\n'), `warning: ${line}`);
      assert.ok(readFileSync(join(dir, 'run.log'), 'utf8').includes(`WARNING ${line}`));
      assert.equal(srv.requests.filter((q) => q.url === '/never-reached').length, 0);
      assert.ok(srv.requests.some((q) => q.url === '/fine'));
    });
  }

  test('a run whose users all leave their hooks says nothing of the kind', async (t) => {
    const srv = await startRecordingServer();
    servers.push(srv);
    const dir = tempDir(t);
    const r = await runCli(['-f', 'test/fixtures/timers/stuck-on-start.mjs', 'Fine', '-H', srv.url, '-u', '2', '-r', '100', '-t', '1s', '--csv', join(dir, 'run'), '--only-summary'], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + readFileSync(join(dir, 'run.log'), 'utf8'), /still in on(Start|Stop)/);
  });
});
