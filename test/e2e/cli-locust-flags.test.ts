import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

// Locust flags that CI pipelines lean on: --logfile and --exit-code-on-error.
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

test('--exit-code-on-error sets the code of a run with failures (0 passes it); targets still decide when there are any', async () => {
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
