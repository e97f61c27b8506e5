import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvFile, startCli, startDemoTarget, type DemoTarget } from '../helpers/reliability.js';

const targets: DemoTarget[] = [];
after(async () => Promise.all(targets.map((t) => t.kill())));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const CONNECTION_REASONS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'connection closed by server (UND_ERR_SOCKET)']);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

test('target killed mid-run and restarted on the same port: failures by reason, users keep going, throughput recovers', async () => {
  const first = await startDemoTarget();
  targets.push(first);
  const dir = mkdtempSync(join(tmpdir(), 'brood-restart-'));
  const prefix = join(dir, 'run');
  const run = startCli(['-f', 'test/fixtures/reliability/steady-user.mjs', '-H', first.url, '-u', '10', '-r', '100', '-t', '9s', '--csv', prefix]);
  await run.waitFor('against');
  await sleep(2500);
  const killedAtSec = Date.now() / 1000;
  await first.kill();
  await sleep(2000);
  const second = await startDemoTarget(first.port);
  targets.push(second);
  const backAtSec = Date.now() / 1000;
  const end = await run.exited;
  assert.equal(end.code, 1, `failures → exit 1: ${run.stderr()}`);
  assert.match(run.stdout(), /run time limit reached/);

  const failures = readCsvFile(`${prefix}_failures.csv`).rows;
  assert.ok(failures.length > 0, 'the outage is in _failures.csv');
  for (const f of failures) assert.ok(CONNECTION_REASONS.has(f[2] ?? ''), `failure grouped by a connection reason: ${f[2]}`);
  const failed = failures.reduce((n, f) => n + Number(f[3]), 0);
  assert.ok((failures.find((f) => f[2] === 'ECONNREFUSED')?.[3] ?? '0') !== '0', 'refusals while it was down');
  // 10 users, 50 ms think time, 2 s down: paced by think time and the backoff, not a spin.
  assert.ok(failed < 2000, `failures during the outage: ${failed}`);

  const history = readCsvFile(`${prefix}_stats_history.csv`).rows.slice(0, -1); // the last row is the partial stop interval
  const ts = (r: string[]): number => Number(r[0]);
  const okPerSec = (r: string[]): number => Number(r[4]) - Number(r[5]);
  const before = history.filter((r) => ts(r) < killedAtSec - 1 && Number(r[1]) === 10);
  const afterBack = history.filter((r) => ts(r) >= backAtSec + 1);
  assert.ok(before.length >= 1 && afterBack.length >= 2, `intervals before ${before.length} / after ${afterBack.length}`);
  assert.ok(history.every((r) => Number(r[1]) === 10 || ts(r) < killedAtSec), 'no user died in the outage');
  const baseline = median(before.map(okPerSec));
  const recovered = Math.max(...afterBack.map(okPerSec));
  assert.ok(baseline > 0);
  assert.ok(recovered >= baseline * 0.5, `successes/s after the restart ${recovered.toFixed(1)} vs before ${baseline.toFixed(1)}`);
  const lastFailPerSec = Number(afterBack.at(-1)?.[5]);
  assert.equal(lastFailPerSec, 0, 'no failures once it is back');
});
