import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

// Locust flags that CI pipelines lean on: --logfile, --exit-code-on-error, config files and variables.
const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

test('--logfile puts the run log there and nowhere else; the Results line names it', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-logfile-'));
  const logfile = join(dir, 'logs', 'brood.log');
  const r = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-H', target.url, '-u', '2', '-r', '100', '-t', '1s', '--csv', join(dir, 'run'), '--logfile', logfile, '--only-summary']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(logfile, 'utf8'), /Run ended \(.*\); exit code 0/);
  assert.equal(existsSync(join(dir, 'run.log')), false, 'no second log beside the CSVs');
  assert.match(r.stdout, new RegExp(`^Results: .*, ${logfile.replace(/[.]/g, '\\.')}$`, 'm'));
});

test('--exit-code-on-error sets the code of a run with failures (0 passes it)', async () => {
  const target = await startTargetServer({ status: (req) => (req.url === '/admin' ? 500 : 200) });
  servers.push(target);
  const dir = mkdtempSync(join(tmpdir(), 'brood-exit-'));
  const base = ['-f', 'test/fixtures/plain-tasks.mjs', '-H', target.url, '-u', '2', '-r', '100', '-t', '1s', '--results-dir', dir, '--only-summary'];
  const plain = await runCli(base);
  assert.equal(plain.code, 1, `failures, no targets → 1; ${plain.stderr}`);
  const seven = await runCli([...base, '--exit-code-on-error', '7']);
  assert.equal(seven.code, 7, seven.stderr);
  const zero = await runCli([...base, '--exit-code-on-error', '0']);
  assert.equal(zero.code, 0, zero.stderr);
  const log = /^Results: .*, (\S+\.log)$/m.exec(zero.stdout)?.[1] ?? '';
  assert.match(readFileSync(log, 'utf8'), /exit code 0/);
});

test('./brood.conf and BROOD_* variables set options (flags beat both) and the run says which', async () => {
  const target = await startTargetServer();
  servers.push(target);
  const cwd = mkdtempSync(join(tmpdir(), 'brood-conf-'));
  writeFileSync(join(cwd, 'brood.conf'), [
    '# as a locust.conf would say it',
    `locustfile = ${join(REPO_ROOT, 'test', 'fixtures', 'plain-tasks.mjs')}`,
    `host = ${target.url}`,
    'users = 7',
    'spawn-rate = 100',
    'run-time = 10m',
    'csv = out/run',
    'only-summary = true',
  ].join('\n'));
  const r = await runCli(['-t', '1s'], { cwd, env: { BROOD_USERS: '3' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Options from brood\.conf: locustfile = .*plain-tasks\.mjs, host = http:\/\/127\.0\.0\.1:\d+, users = 7, spawn-rate = 100, csv = out\/run, only-summary = true$/m);
  assert.match(r.stdout, /^Options from the environment: users = 3$/m);
  const json = JSON.parse(readFileSync(join(cwd, 'out', 'run.json'), 'utf8')) as { run: { users: number; run_time_limit_secs: number } };
  assert.equal(json.run.users, 3, 'BROOD_USERS beats the file');
  assert.equal(json.run.run_time_limit_secs, 1, '-t beats run-time in the file');
  assert.ok(target.total() > 0);
  assert.match(readFileSync(join(cwd, 'out', 'run.log'), 'utf8'), /Options from the environment: users = 3/);
});
