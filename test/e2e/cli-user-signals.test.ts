import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const FILE = 'test/fixtures/lifecycle/signals.mjs';
const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

async function run(cls: string, users: number, t: { after(fn: () => void): void }): Promise<{ srv: RecordingServer; dir: string; code: number | null; out: string }> {
  const srv = await startRecordingServer();
  servers.push(srv);
  const dir = mkdtempSync(join(tmpdir(), 'brood-signals-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['-f', FILE, cls, '-H', srv.url, '-u', String(users), '-r', '100', '-t', '1s', '--csv', join(dir, 'run'), '--only-summary']);
  return { srv, dir, code: r.code, out: r.stderr + r.stdout };
}

const count = (srv: RecordingServer, path: string): number => srv.requests.filter((q) => q.url === path).length;

test('interrupt() ends the task where it is called, and is not an exception', async (t) => {
  const { srv, dir, code, out } = await run('Interrupter', 2, t);
  assert.equal(code, 0, out);
  assert.ok(count(srv, '/before-interrupt') > 2);
  assert.equal(count(srv, '/after-interrupt'), 0);
  assert.equal(readFileSync(join(dir, 'run_exceptions.csv'), 'utf8').trim().split('\n').length, 1, 'no exception rows');
});

test('StopUser and this.stop() stop the user for good: onStop runs, it is not replaced, no exception', async (t) => {
  const { srv, dir, code, out } = await run('Quitter', 4, t);
  assert.equal(code, 0, out);
  assert.equal(count(srv, '/quitter-work'), 8, 'two tasks per user, then each stopped');
  assert.equal(count(srv, '/quitter-stop'), 4);
  assert.equal(readFileSync(join(dir, 'run_exceptions.csv'), 'utf8').trim().split('\n').length, 1, 'no exception rows');
});

test('a task that throws while a catchResponse request is undecided fails that request with the exception\'s message', async (t) => {
  const { dir, code, out } = await run('Thrower', 1, t);
  assert.equal(code, 1, out);
  const failures = readFileSync(join(dir, 'run_failures.csv'), 'utf8');
  assert.match(failures, /GET,checked,"?TypeError: Cannot read properties of undefined \(reading 'length'\)"?,\d+/);
  assert.match(readFileSync(join(dir, 'run_exceptions.csv'), 'utf8'), /Cannot read properties of undefined/);
});
