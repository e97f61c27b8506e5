import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

// Positional class names pick the user classes to run, as `locust -f FILE UserA UserB` does.
const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

for (const processes of ['1', '2']) {
  test(`a class named after the file runs alone (--processes ${processes}); the others send nothing`, async () => {
    const target = await startTargetServer();
    servers.push(target);
    const dir = mkdtempSync(join(tmpdir(), 'brood-classes-'));
    const r = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', 'Admin', '-H', target.url, '-u', '3', '-r', '100', '-t', '2s', '--processes', processes, '--json', join(dir, 'r.json'), '--results-dir', dir, '--only-summary']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((target.counts.get('GET /admin') ?? 0) > 0, 'Admin ran');
    for (const path of ['GET /list', 'GET /cart', 'POST /pay', 'GET /']) assert.equal(target.counts.get(path) ?? 0, 0, `${path}: Shopper must not run`);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { run: { user_classes: string[] } };
    assert.deepEqual(json.run.user_classes, ['Admin']);
  });
}

test('two named classes share the run by their own weights; -l lists only the named ones', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-classes-'));
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', 'Shopper', 'Admin', '-H', target.url, '-u', '3', '-r', '100', '-t', '2s', '--results-dir', dir, '--only-summary']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((target.counts.get('GET /admin') ?? 0) > 0);
  assert.ok((target.counts.get('GET /list') ?? 0) > 0);
  const listed = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-l', 'Shopper']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout, 'Shopper\n');
});

test('unknown class names: one line each naming the classes there are, exit 2, nothing sent', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', 'admin', 'Shopper', 'Ghost', '-H', target.url, '-u', '1', '-t', '1s']);
  assert.equal(r.code, 2);
  assert.deepEqual(r.stderr.trim().split('\n'), [
    'error: unknown user class "admin": test/fixtures/plain-tasks.mjs has Admin, Shopper (names are case-sensitive; -l lists them)',
    'error: unknown user class "Ghost": test/fixtures/plain-tasks.mjs has Admin, Shopper (names are case-sensitive; -l lists them)',
  ]);
  assert.equal(target.total(), 0);
  const scenario = await runCli(['--scenario', 'api', 'Reader']);
  assert.equal(scenario.code, 2);
  assert.equal(scenario.stderr, 'error: unknown user class "Reader": scenario api has HeavyReaderUser, BalancedUser, ContentCreatorUser (names are case-sensitive; -l lists them)\n');
});
