import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

/**
 * Durations past Node's 32-bit timer limit (2^31 ms, ~24.8 days): they used to fire after 1 ms with
 * a TimeoutOverflowWarning (`-t 597h` ended at once, a waitTime of 1e10 s printed thousands of
 * warnings); the longest accepted is 365d, more is one line and exit 2.
 */
const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

async function target(): Promise<RecordingServer> {
  const srv = await startRecordingServer();
  servers.push(srv);
  return srv;
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'brood-durations-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('long durations', { concurrency: 4 }, () => {
  test('-t 597h (past the timer limit) runs, and SIGINT after ~1 s stops it normally with results written', async (t) => {
    const srv = await target();
    const dir = tempDir(t);
    let signalled = false;
    const started = Date.now();
    const r = await runCli(['-f', 'test/fixtures/reliability/steady-user.mjs', '-H', srv.url, '-u', '1', '-t', '597h', '--csv', join(dir, 'run'), '--only-summary'], {
      timeoutMs: 30_000,
      onStdout: (text, child) => {
        if (signalled || !text.includes('for 2149200s')) return;
        signalled = true;
        setTimeout(() => child.kill('SIGINT'), 1000);
      },
    });
    assert.ok(signalled, r.stdout + r.stderr);
    assert.equal(r.code, 1, r.stderr); // an interrupted run without targets exits 1
    assert.doesNotMatch(r.stderr, /TimeoutOverflowWarning/);
    assert.match(r.stdout, /Run ended after \d+\.\d s: interrupted by SIGINT/);
    assert.doesNotMatch(r.stdout, /run time limit reached/);
    assert.ok(Date.now() - started < 20_000);
    assert.ok(existsSync(join(dir, 'run_stats.csv')) && existsSync(join(dir, 'run.json')));
    assert.ok(srv.requests.length >= 5, `requests sent for ~1 s: ${srv.requests.length}`);
  });

  for (const [flag, value] of [['-t', '99999999999999999999'], ['-t', '366d'], ['--stop-timeout', '99999999999'], ['-t', `1${'0'.repeat(400)}`]] as const) {
    test(`${flag} ${value.slice(0, 24)}: one line, exit 2, no files`, async (t) => {
      const dir = tempDir(t);
      const r = await runCli(['-f', 'test/fixtures/reliability/steady-user.mjs', '-H', 'http://127.0.0.1:9', flag, value, '--csv', join(dir, 'run')], { timeoutMs: 20_000 });
      assert.equal(r.code, 2, r.stderr);
      const shownFlag = flag === '-t' ? '--time' : flag;
      assert.match(r.stderr, new RegExp(`^error: ${shownFlag} "${value}" is longer than the longest duration brood accepts \\(365d\\)\\n$`));
      assert.deepEqual(readdirSync(dir), []);
    });
  }

  test('a user whose waitTime() returns 1e10 s waits without a warning and the run ends on time', async (t) => {
    const srv = await target();
    const dir = tempDir(t);
    const started = Date.now();
    const r = await runCli(['-f', 'test/fixtures/timers/long-wait.mjs', '-H', srv.url, '-u', '3', '-r', '100', '-t', '2s', '--csv', join(dir, 'run'), '--only-summary'], { timeoutMs: 30_000 });
    const elapsed = Date.now() - started;
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Warning/);
    assert.match(r.stdout, /Run ended after 2\.\d s: run time limit reached/);
    assert.ok(elapsed < 12_000, `took ${elapsed} ms`);
    assert.equal(srv.requests.filter((q) => q.url === '/long-wait').length, 3, 'one task per user, then the long wait');
  });

  test('a waitTime returning NaN, a negative number or Infinity is one exception row naming the class, and no spin', async (t) => {
    const srv = await target();
    const dir = tempDir(t);
    const r = await runCli(['-f', 'test/fixtures/timers/bad-wait.mjs', '-H', srv.url, '-u', '3', '-r', '100', '-t', '2s', '--csv', join(dir, 'run'), '--only-summary'], { timeoutMs: 30_000 });
    assert.equal(r.code, 1, r.stderr);
    const exceptions = readFileSync(join(dir, 'run_exceptions.csv'), 'utf8');
    for (const [cls, shown] of [['NanWait', 'NaN'], ['NegativeWait', '-1'], ['InfiniteWait', 'Infinity']]) {
      assert.match(exceptions, new RegExp(`${cls}\\.waitTime returned ${shown}: it must return a finite number of seconds >= 0 \\(the user waits 1 s instead\\)`));
    }
    // Each user waits 1 s between tasks: about 2-3 tasks each in 2 s, not thousands.
    assert.ok(srv.requests.length <= 12, `requests: ${srv.requests.length}`);
  });
});

describe('replay spans', { concurrency: 3 }, () => {
  function trace(dir: string, lines: string[]): string {
    const file = join(dir, 'trace.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  test('--rate-multiplier 1e-300 stretching the trace past 365 days: one line naming the flag, exit 2, no files', async (t) => {
    const dir = tempDir(t);
    const file = trace(dir, ['{"t":0,"method":"GET","path":"/a"}', '{"t":2.5,"method":"GET","path":"/b"}']);
    const out = mkdtempSync(join(tmpdir(), 'brood-replay-out-'));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    const r = await runCli(['replay', '--trace', file, '--rate-multiplier', '1e-300', '-H', 'http://127.0.0.1:9', '--csv', join(out, 'run')], { timeoutMs: 20_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: --rate-multiplier "1e-300" would send the trace's last request \(t = 2\.5 s\) after 2\.50e\+300 s, past the longest run brood accepts \(365d\)[^\n]*\n$/);
    assert.deepEqual(readdirSync(out), []);
  });

  test('a trace record at t = 1e10 s: one line naming TRACE:LINE, exit 2, no files', async (t) => {
    const dir = tempDir(t);
    const file = trace(dir, ['{"t":0,"method":"GET","path":"/a"}', '{"t":1e10,"method":"GET","path":"/b"}']);
    const out = mkdtempSync(join(tmpdir(), 'brood-replay-out-'));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    const r = await runCli(['replay', '--trace', file, '-H', 'http://127.0.0.1:9', '--csv', join(out, 'run')], { timeoutMs: 20_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: \S*trace\.jsonl:2: "t" 10000000000 is later than the longest run brood accepts \(365d[^\n]*\n$/);
    assert.deepEqual(readdirSync(out), []);
  });

  test('a tiny --rate-multiplier with -t is valid: the run stops at -t', async (t) => {
    const srv = await target();
    const dir = tempDir(t);
    const file = trace(dir, ['{"t":0,"method":"GET","path":"/first"}', '{"t":1,"method":"GET","path":"/never"}']);
    const r = await runCli(['replay', '--trace', file, '--rate-multiplier', '1e-300', '-t', '1s', '-H', srv.url, '--csv', join(dir, 'run'), '--only-summary'], { timeoutMs: 20_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Warning/);
    assert.match(r.stdout, /Run ended after 1\.\d s: run time limit reached/);
    assert.deepEqual(srv.requests.map((q) => q.url), ['/first']);
  });
});
