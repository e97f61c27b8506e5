import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readCsvFile } from '../helpers/reliability.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const servers: HangingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

interface HangingServer {
  url: string;
  close(): Promise<void>;
}

/** A server that accepts every request and never answers (and holds no timer, so the test process can exit). */
async function hangingServer(): Promise<HangingServer> {
  const server = createServer((req) => void req.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hanging = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(hanging);
  return hanging;
}

function outputs(dir: string): { prefix: string; args: string[] } {
  const prefix = join(dir, 'run');
  return { prefix, args: ['--csv', prefix, '--json', join(dir, 'r.json'), '--html', join(dir, 'r.html')] };
}

function assertFilesWritten(dir: string, prefix: string): void {
  for (const f of ['_stats.csv', '_stats_history.csv', '_failures.csv', '_exceptions.csv']) readCsvFile(prefix + f);
  assert.ok(existsSync(join(dir, 'r.json')) && existsSync(join(dir, 'r.html')), 'JSON and HTML written');
}

describe('a target that hangs', { concurrency: 3 }, () => {
  test('requests time out at --request-timeout and count as failures', async () => {
    const target = await hangingServer();
    const dir = mkdtempSync(join(tmpdir(), 'brood-hang-'));
    const { prefix, args } = outputs(dir);
    const r = await runCli(['-f', 'test/fixtures/reliability/zero-wait-user.mjs', '-H', target.url, '-u', '3', '-r', '100', '-t', '4s', '--request-timeout', '1', '--stop-timeout', '1s', ...args]);
    assert.equal(r.code, 1, r.stderr);
    const failures = readCsvFile(`${prefix}_failures.csv`).rows;
    const timeouts = failures.find((f) => f[2] === 'timeout after 1000 ms');
    assert.ok(timeouts, `a timeout group: ${JSON.stringify(failures)}`);
    // 3 users × ~3 timeouts each in 4 s (not a spin: a timeout is not a connection failure, no backoff needed).
    assert.ok(Number(timeouts[3]) >= 6 && Number(timeouts[3]) <= 20, `timeouts counted: ${timeouts[3]}`);
    assertFilesWritten(dir, prefix);
  });

  test('shutdown is not held up by hung requests: -t 3s, --request-timeout 60, --stop-timeout 1s', async () => {
    const target = await hangingServer();
    const dir = mkdtempSync(join(tmpdir(), 'brood-hang-'));
    const { prefix, args } = outputs(dir);
    const started = Date.now();
    const r = await runCli(['-f', 'test/fixtures/reliability/zero-wait-user.mjs', '-H', target.url, '-u', '3', '-r', '100', '-t', '3s', '--request-timeout', '60', '--stop-timeout', '1s', ...args]);
    const secs = (Date.now() - started) / 1000;
    assert.ok(secs < 10, `exited after ${secs.toFixed(1)} s (3 s run + 1 s stop timeout + start-up)`);
    assert.equal(r.code, 0, `nothing completed, nothing failed (cut requests are not recorded): ${r.stderr}`);
    assert.match(r.stdout, /run time limit reached/);
    assertFilesWritten(dir, prefix);
  });

  test('…and with the default --stop-timeout (10 s) it ends after that, not after the 60 s request timeout', async () => {
    const target = await hangingServer();
    const dir = mkdtempSync(join(tmpdir(), 'brood-hang-'));
    const { prefix, args } = outputs(dir);
    const started = Date.now();
    const r = await runCli(['-f', 'test/fixtures/reliability/zero-wait-user.mjs', '-H', target.url, '-u', '3', '-r', '100', '-t', '3s', '--request-timeout', '60', ...args]);
    const secs = (Date.now() - started) / 1000;
    assert.ok(secs >= 12 && secs < 20, `exited after ${secs.toFixed(1)} s (3 s run + 10 s stop timeout + start-up)`);
    assert.equal(r.code, 0, r.stderr);
    assertFilesWritten(dir, prefix);
  });
});
