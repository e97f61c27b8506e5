import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { procCpuSeconds, readCsvFile, startCli } from '../helpers/reliability.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('target down from the start: one warning line, failures counted by reason, no 100% CPU retry spin', async () => {
  const port = await closedPort();
  const dir = mkdtempSync(join(tmpdir(), 'brood-down-'));
  const prefix = join(dir, 'run');
  const host = `http://127.0.0.1:${port}`;
  // 20 users with no think time at all: without a backoff each retries as fast as ECONNREFUSED comes back.
  const run = startCli(['-f', 'test/fixtures/reliability/zero-wait-user.mjs', '-H', host, '-u', '20', '-r', '100', '-t', '5s', '--continue-on-unreachable', '--csv', prefix]);
  await run.waitFor('against');
  assert.match(run.stdout().split('\n')[0] ?? '', new RegExp(`^warning: cannot reach ${host} \\(ECONNREFUSED\\); running anyway`));
  const pid = run.child.pid ?? 0;
  await sleep(1000); // past the ramp and the first backoff steps
  const cpu0 = procCpuSeconds(pid);
  const t0 = performance.now();
  await sleep(2500);
  const cpu1 = procCpuSeconds(pid);
  const wallSec = (performance.now() - t0) / 1000;
  assert.ok(cpu0 !== null && cpu1 !== null, 'the run was still going while measured');
  const share = (cpu1 - cpu0) / wallSec;
  const end = await run.exited;
  assert.equal(end.code, 1, run.stderr());
  assert.ok(share < 0.3, `CPU while the target is down: ${(share * 100).toFixed(0)}% of a core (limit 30%)`);
  const failures = readCsvFile(`${prefix}_failures.csv`).rows;
  const refused = failures.filter((r) => r[2] === 'ECONNREFUSED').reduce((n, r) => n + Number(r[3]), 0);
  // With the 50 ms → 1 s backoff: about 20 users × (6 + 5 s / 1 s) attempts; a spin makes tens of thousands.
  assert.ok(refused >= 20, `every user's failures are counted: ${refused}`);
  assert.ok(refused < 1000, `attempts are paced: ${refused}`);
  const agg = readCsvFile(`${prefix}_stats.csv`).rows.find((r) => r[1] === 'Aggregated');
  assert.equal(Number(agg?.[2]), refused, 'every attempt is a counted request');
  assert.equal(Number(agg?.[3]), refused, 'and a failure');
});
