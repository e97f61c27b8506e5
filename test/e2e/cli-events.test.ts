import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

function tally(lines: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) out[l] = (out[l] ?? 0) + 1;
  return out;
}

for (const processes of [1, 2]) {
  test(`events from 'brood' fire once each where they belong (--processes ${processes}); users waiting for spawningComplete run; a throwing listener is counted`, async (t) => {
    const srv = await startRecordingServer();
    servers.push(srv);
    const dir = mkdtempSync(join(tmpdir(), 'brood-events-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const log = join(dir, 'events.log');
    writeFileSync(log, '');
    const r = await runCli(['-f', 'test/fixtures/lifecycle/events.mjs', '-H', srv.url, '-u', '4', '-r', '100', '-t', '2s', '--processes', String(processes), '--csv', join(dir, 'run'), '--only-summary'], { env: { EVENTS_LOG: log } });
    assert.equal(r.code, 1, `exceptions, no targets → 1; ${r.stderr}`);
    assert.ok(srv.requests.length > 10, `users ran after spawningComplete: ${srv.requests.length} requests`);
    const where = processes === 1 ? ['main'] : ['main', '0', '1'];
    const expected: Record<string, number> = {};
    for (const w of where) for (const e of ['init', 'testStart', 'spawningComplete:4', 'testStopping', 'testStop', 'quitting']) expected[`${e} ${w}`] = 1;
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const userErrors = lines.filter((l) => l.startsWith('userError:'));
    assert.deepEqual(tally(lines.filter((l) => !l.startsWith('userError:'))), expected);
    // userError fires where the users run: one per process that hosts users (each copy of the file counts its own).
    assert.deepEqual(userErrors.map((l) => l.split(' ').at(-1)).sort(), processes === 1 ? ['main'] : ['0', '1']);
    const exceptions = readFileSync(join(dir, 'run_exceptions.csv'), 'utf8');
    assert.match(exceptions, /listener broke/);
    assert.match(exceptions, /task failed once/);
  });

  test(`environment.runner.quit() from a task ends the run as an ended run, not an interrupted one (--processes ${processes})`, async (t) => {
    const srv = await startRecordingServer();
    servers.push(srv);
    const dir = mkdtempSync(join(tmpdir(), 'brood-quit-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const log = join(dir, 'events.log');
    writeFileSync(log, '');
    const started = Date.now();
    const r = await runCli(['-f', 'test/fixtures/lifecycle/events.mjs', '-H', srv.url, '-u', '2', '-r', '100', '-t', '30s', '--processes', String(processes), '--exit-code-on-error', '0', '--csv', join(dir, 'run')], { env: { EVENTS_LOG: log, QUIT_AFTER: '5' } });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^Run ended after [\d.]+ s: enough requests$/m);
    assert.ok(Date.now() - started < 15_000, 'long before -t 30s');
  });
}
