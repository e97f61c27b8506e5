import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

test('Locust spellings mean what they mean in Locust: wait_time, on_start, on_stop, fixed_count; waitTime as a method; on a TaskSet too', async () => {
  const srv = await startRecordingServer();
  servers.push(srv);
  const r = await runCli(['-f', 'test/fixtures/lifecycle/locust-spellings.mjs', '-H', srv.url, '-u', '4', '-r', '100', '-t', '2s', '--stop-timeout', '5s', '--only-summary']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const count = (path: string): number => srv.requests.filter((q) => q.url === path).length;
  // fixed_count = 1: exactly one Ported user, who logged in first and out at the end.
  assert.equal(count('/login'), 1);
  assert.equal(count('/logout'), 1);
  assert.equal(srv.requests.find((q) => q.url === '/login' || q.url === '/ported')?.url, '/login', 'on_start ran before the first task');
  // Think time 0.2 s for 2 s: about 10 tasks per user, never the thousands of no think time.
  for (const path of ['/ported', '/method', '/static', '/inner']) {
    const n = count(path);
    assert.ok(n >= 5 && n <= 12, `${path}: ${n} requests in 2 s at 0.2 s think time`);
  }
  assert.equal(count('/inner-start'), 1, 'the TaskSet\'s on_start ran once');
});

test('both spellings of one thing, or a Locust setting brood has no per-class form of: refused before the run, one line each', async () => {
  const r = await runCli(['-f', 'test/fixtures/lifecycle/locust-spellings-bad.mjs', '-t', '1s']);
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  const problems = (lines[0] ?? '').replace(/^error: /, '').split('; ');
  assert.deepEqual(problems.sort(), [
    'Both has both on_start (Locust\'s spelling) and onStart: keep onStart',
    'Fast.network_timeout is Locust\'s setting, which brood has no per-class form of: brood\'s timeouts are --request-timeout, or timeout: seconds per request',
    'Counted has both fixed_count (Locust\'s spelling) and fixedCount: keep static fixedCount',
  ].sort());
});
