import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { readCsvRecords } from '../helpers/run-records.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

/** request-signal.mjs for 1.5 s with 2 users against a server that fails /authenticate; what it got, the run and its exceptions. */
async function run(t: { after(fn: () => void): void }, mode: string): Promise<{ r: CliResult; paths: string[]; exceptions: number }> {
  const srv = await startRecordingServer((req, res) => {
    res.writeHead(req.url === '/authenticate' ? 500 : 200, { 'content-type': 'text/plain' });
    res.end('x');
  });
  servers.push(srv);
  const dir = mkdtempSync(join(tmpdir(), 'brood-request-signal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const prefix = join(dir, 'run');
  const r = await runCli(['-f', 'test/fixtures/lifecycle/request-signal.mjs', '-H', srv.url, '-u', '2', '-r', '100', '-t', '1.5s', '--only-summary', '--csv', prefix], { env: { SIGNAL_MODE: mode } });
  return { r, paths: srv.requests.map((q) => q.url), exceptions: readCsvRecords(`${prefix}_exceptions.csv`).length };
}

test("a request listener's RescheduleTask ends the task where the request was made, as in Locust (response_validations.py): the next request of the task is never sent, and it is no exception", async (t) => {
  const { r, paths, exceptions } = await run(t, 'reschedule');
  assert.equal(r.code, 1, `the failed requests fail the run\n${r.stderr}`);
  const tried = paths.filter((p) => p === '/authenticate').length;
  assert.ok(tried > 10, `the users went on with their next tasks: ${tried}`);
  assert.deepEqual(paths.filter((p) => p !== '/authenticate'), [], 'no /checkout/confirm after a failed /authenticate');
  assert.equal(exceptions, 0, 'a user signal is not an exception');
});

test("a request listener's StopUser for a catchResponse request (recorded when its task ends) stops the user after that task", async (t) => {
  const { r, paths, exceptions } = await run(t, 'stop');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(paths.sort(), ['/after', '/after', '/stop-me', '/stop-me'], 'each of the 2 users ran its task once, then stopped');
  assert.equal(exceptions, 0);
});
