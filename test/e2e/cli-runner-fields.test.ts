import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

/** The RUNNER lines of test/fixtures/lifecycle/runner-fields.mjs, run for 1.5 s with 4 users, by where they ran. */
async function runnerLines(t: { after(fn: () => void): void }, extra: readonly string[]): Promise<Map<string, string[]>> {
  const srv = await startRecordingServer();
  servers.push(srv);
  const dir = mkdtempSync(join(tmpdir(), 'brood-runner-fields-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['-f', 'test/fixtures/lifecycle/runner-fields.mjs', '-H', srv.url, '-u', '4', '-r', '100', '-t', '1.5s', '--only-summary', '--csv', join(dir, 'run'), ...extra]);
  assert.equal(r.code, 0, r.stderr);
  const byPlace = new Map<string, string[]>();
  for (const m of r.stdout.matchAll(/^RUNNER (\S+) (.*)$/gm)) byPlace.set(m[1] as string, [...(byPlace.get(m[1] as string) ?? []), m[2] as string]);
  return byPlace;
}

test("environment.runner's state and user_count follow the run as Locust's do (ready, spawning, running, stopping, stopped); worker_index is 0 on a run alone", async (t) => {
  const lines = await runnerLines(t, []);
  assert.deepEqual([...lines.keys()], ['main']);
  assert.deepEqual(lines.get('main'), [
    'init state=ready users=0 index=0',
    'testStart state=spawning users=0 index=0',
    'spawningComplete state=running users=4 index=0',
    'testStopping state=stopping users=4 index=0',
    'testStop state=stopped users=0 index=0',
  ]);
});

test('with --processes 2: the main reads the whole run and has no worker_index (as a master); each worker reads its own users and its index', async (t) => {
  const lines = await runnerLines(t, ['--processes', '2']);
  assert.deepEqual([...lines.keys()].sort(), ['main', 'worker-0', 'worker-1']);
  assert.deepEqual(lines.get('main'), [
    'init state=ready users=0 index=-',
    'testStart state=spawning users=0 index=-',
    'spawningComplete state=running users=4 index=-',
    'testStopping state=stopping users=4 index=-',
    'testStop state=stopped users=0 index=-',
  ]);
  for (const w of [0, 1]) {
    assert.deepEqual(lines.get(`worker-${w}`), [
      `init state=ready users=0 index=${w}`,
      `testStart state=spawning users=0 index=${w}`,
      `spawningComplete state=running users=2 index=${w}`,
      `testStopping state=stopping users=2 index=${w}`,
      `testStop state=stopped users=0 index=${w}`,
    ]);
  }
});

test('an async quitting listener in each --processes worker is waited for (here 3.5 s, longer than the 3 s a worker once had), as in the main process', async (t) => {
  const srv = await startRecordingServer();
  servers.push(srv);
  const dir = mkdtempSync(join(tmpdir(), 'brood-worker-quitting-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['-f', 'test/fixtures/lifecycle/worker-quitting.mjs', '-H', srv.url, '-u', '2', '-r', '100', '-t', '1s', '--only-summary', '--processes', '2', '--csv', join(dir, 'run')], {
    env: { QUIT_DIR: dir, QUIT_DELAY_MS: '3500' },
    timeoutMs: 40_000,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('quit-')).sort(), ['quit-0.txt', 'quit-1.txt', 'quit-main.txt']);
  assert.doesNotMatch(r.stdout + r.stderr, /still running/);
});
