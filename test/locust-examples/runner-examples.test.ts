/**
 * Locust's examples whose listeners steer the run: through `environment.runner` (its state, its
 * stats, quit(), custom messages) or by raising a user signal from a request listener; ported in
 * this folder and run by the real CLI against a real server on 127.0.0.1 (see examples.test.ts for
 * the rest of the examples).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTrafficServer } from '../helpers/traffic-server.js';
import { readCsvRecords, statsRow } from '../helpers/run-records.js';

/** stop_on_threshold.mjs with 0.1 s sleeps (a task is 1.5 s: ten / then five /error), -t 30 s, against a server that 500s /error. */
async function stopOnThreshold(t: TestContext, extra: readonly string[]): Promise<void> {
  const srv = await startTrafficServer((v) => (v.path === '/error' ? { status: 500, body: 'no' } : { body: 'ok' }));
  t.after(() => srv.close());
  const dir = mkdtempSync(join(tmpdir(), 'brood-locust-example-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const prefix = join(dir, 'run');
  const started = performance.now();
  const r = await runCli(['-f', 'test/locust-examples/stop_on_threshold.mjs', '-u', '6', '-r', '100', '-t', '30s', '--only-summary', '--csv', prefix, ...extra], {
    env: { LOCUST_EXAMPLE_HOST: srv.url, LOCUST_EXAMPLE_SLEEP: '0.1' },
    timeoutMs: 45_000,
  });
  const elapsedSec = (performance.now() - started) / 1000;
  assert.equal(r.code, 1, `the run ended with failures: exit 1\n${r.stderr}`);
  const quits = [...r.stderr.matchAll(/^fail ratio was ([\d.]+), quitting$/gm)];
  assert.equal(quits.length, 1, `one checker, in the main process only (not in each worker): ${r.stderr}`);
  const ratio = Number(quits[0]?.[1]);
  assert.ok(ratio > 0.2 && ratio < 0.5, `quit at a fail ratio over 0.2: ${ratio}`);
  assert.match(r.stdout, /^Run ended after [\d.]+ s: quit by the test \(environment\.runner\.quit\(\)\)$/m);
  assert.ok(elapsedSec < 15, `the checker ended the run long before -t 30s: ${elapsedSec.toFixed(1)} s`);
  // What the checker read was the run's own figures: the files' ratio is over 20 % too.
  const total = statsRow(prefix, '', 'Aggregated');
  assert.ok(Number(total?.['Failure Count']) / Number(total?.['Request Count']) > 0.2, JSON.stringify(total));
  assert.deepEqual(readCsvRecords(`${prefix}_failures.csv`).map((f) => [f.Method, f.Name, f.Error]), [['GET', '/error', 'HTTP 500']]);
  assert.ok(srv.visits.some((v) => v.path === '/error'));
}

test('stop_on_threshold.py: the init listener\'s checker reads runner.stats.total.fail_ratio every second and quits the run once it is over 20 %, unless runner.state says it is stopping', async (t) => {
  await stopOnThreshold(t, []);
});

test('stop_on_threshold.py with --processes 2: the checker runs in the main process only (environment.worker is null there) and reads the merged stats', async (t) => {
  await stopOnThreshold(t, ['--processes', '2']);
});

/** custom_messages.mjs for 2.5 s (a 0.5 s "concurrent" listener) with `users` users; its printed lines. */
async function customMessages(t: TestContext, users: number, extra: readonly string[]): Promise<string[]> {
  const srv = await startTrafficServer();
  t.after(() => srv.close());
  const dir = mkdtempSync(join(tmpdir(), 'brood-locust-example-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['-f', 'test/locust-examples/custom_messages.mjs', '-u', String(users), '-r', '100', '-t', '2.5s', '--only-summary', '--csv', join(dir, 'run'), ...extra], {
    env: { LOCUST_EXAMPLE_HOST: srv.url, LOCUST_EXAMPLE_SLEEP: '0.5' },
    timeoutMs: 45_000,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /warning|Error/, 'every message found its listener, none threw');
  return r.stdout.split('\n');
}

const names = (lines: readonly string[]): string[] => [...new Set(lines.filter((l) => /^User\d+$/.test(l)))].sort();

test('custom_messages.py on a run alone: the test_start listener sends the usernames to the runner itself (index 0, as Locust\'s LocalRunner), its listener acknowledges, every user gets its own name', async (t) => {
  const lines = await customMessages(t, 4, []);
  assert.deepEqual(lines.filter((l) => l.startsWith('Thanks')), ['Thanks for the 4 users!']);
  assert.deepEqual(lines.filter((l) => l.includes('concurrent_message')), ["concurrent_message received with data: 'Message to concurrent handler'", 'finished processing concurrent_message']);
  assert.deepEqual(names(lines), ['User0', 'User1', 'User2', 'User3']);
});

test('custom_messages.py with --processes 2: the master splits the usernames between its 2 workers, each thanks it with its count, the users of both get all 6 names once', async (t) => {
  const lines = await customMessages(t, 6, ['--processes', '2']);
  assert.deepEqual(lines.filter((l) => l.startsWith('Thanks')), ['Thanks for the 3 users!', 'Thanks for the 3 users!']);
  assert.equal(lines.filter((l) => l === 'finished processing concurrent_message').length, 2, 'one slow listener per worker\'s message, both finished');
  assert.deepEqual(names(lines), ['User0', 'User1', 'User2', 'User3', 'User4', 'User5']);
});

test("response_validations.py: the request listener registered inside the init listener ends a task at its first failed request (RescheduleTask), so neither class checks out after a failed login; GoodUser's rest() checks fail what BadUser lets pass", async (t) => {
  let logins = 0;
  const srv = await startTrafficServer((v) => {
    if (v.path === '/checkout/confirm') return { headers: { 'content-type': 'application/json' }, body: '{"orderId":42}' };
    logins++;
    if (logins % 3 === 1) return { status: 500, body: 'down' };
    if (logins % 3 === 2) return { headers: { 'content-type': 'application/json' }, body: '{"error":"locked"}' };
    return { headers: { 'content-type': 'application/json' }, body: '{"message":"Welcome foo!"}' };
  });
  t.after(() => srv.close());
  const dir = mkdtempSync(join(tmpdir(), 'brood-locust-example-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const prefix = join(dir, 'run');
  const r = await runCli(['-f', 'test/locust-examples/response_validations.mjs', '-u', '2', '-r', '100', '-t', '1.5s', '--only-summary', '--csv', prefix], { env: { LOCUST_EXAMPLE_HOST: srv.url }, timeoutMs: 45_000 });
  assert.equal(r.code, 1, `failed requests: exit 1\n${r.stderr}`);
  const users = srv.users();
  assert.equal(users.length, 2, 'one BadUser and one GoodUser');
  const after = (answer: (v: { status: number; bodyBytes: number }) => boolean): Set<string>[] =>
    users.map((visits) => new Set(visits.slice(0, -1).filter((v) => v.path === '/authenticate' && answer(v)).map((v) => visits[visits.indexOf(v) + 1]?.path ?? '')));
  // A 500 fails the request for both classes: the listener's RescheduleTask ends the task there.
  for (const next of after((v) => v.status === 500)) assert.deepEqual([...next], ['/authenticate'], 'after a 500, the next request is a new login');
  // {"error": …} with a 200: GoodUser's check fails it (rescheduled), BadUser does not look (checks out).
  const afterLocked = after((v) => v.status === 200 && v.bodyBytes === '{"error":"locked"}'.length).map((s) => [...s].sort().join(' '));
  assert.deepEqual(afterLocked.sort(), ['/authenticate', '/checkout/confirm'], JSON.stringify(afterLocked));
  const failures = readCsvRecords(`${prefix}_failures.csv`).map((f) => `${f.Method} ${f.Name}: ${f.Error}`).sort();
  // GoodUser reads resp.js.error of the 500's body, which is not JSON (resp.js null): its check's
  // TypeError fails the request, as Locust's AttributeError on None would.
  assert.equal(failures.length, 3, failures.join('\n'));
  assert.deepEqual([failures[0], failures[2]], ['POST /authenticate: HTTP 500', 'POST /authenticate: locked']);
  assert.match(failures[1] ?? '', /^POST \/authenticate: TypeError: Cannot read properties of null \(reading 'error'\) at .*response_validations\.mjs:\d+.*\. Response was down$/);
  assert.equal(readCsvRecords(`${prefix}_exceptions.csv`).length, 0, 'a RescheduleTask is no exception');
});
