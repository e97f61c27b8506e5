import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

const servers: TargetServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

interface OpenJson {
  summary: { total_operations: number };
  open_model: { dispatched: number; dropped: number; pool_size: number };
}

/**
 * A target that also keeps the TCP connections it accepted in order, how many it had accepted
 * when the first request came, and which connections carried requests.
 */
async function connectionCountingTarget(): Promise<{ target: TargetServer; accepted: Socket[]; acceptedAtFirstRequest: () => number; openAtFirstRequest: () => number; served: Set<Socket> }> {
  const target = await startTargetServer();
  servers.push(target);
  const accepted: Socket[] = [];
  const served = new Set<Socket>();
  let atFirst = -1;
  let openAtFirst = -1;
  target.server.on('connection', (socket: Socket) => accepted.push(socket));
  target.server.on('request', (req: IncomingMessage) => {
    if (atFirst < 0) {
      atFirst = accepted.length;
      openAtFirst = accepted.filter((s) => !s.destroyed).length;
    }
    served.add(req.socket);
  });
  return { target, accepted, served, acceptedAtFirstRequest: () => atFirst, openAtFirstRequest: () => openAtFirst };
}

for (const processes of [1, 2]) {
  test(`--pre-allocated-users (--processes ${processes}): every user and its connection exist before the first arrival; no connection is opened after`, { timeout: 60_000 }, async () => {
    const { target, accepted, served, acceptedAtFirstRequest, openAtFirstRequest } = await connectionCountingTarget();
    const dir = mkdtempSync(join(tmpdir(), 'brood-prealloc-'));
    const r = await runCli(['-f', 'test/fixtures/open-two-classes.mjs', '-H', target.url, '--target-rate', '200', '-t', '2s', '--seed', '5',
      '--max-users', '40', '--pre-allocated-users', '40', '--processes', String(processes), '--csv', join(dir, 'run')]);
    assert.equal(r.code, 0, r.stderr || r.stdout);
    assert.equal(r.stderr, '');
    // Weights 3:1 over 40 users, split exactly as a ramp to 40 would.
    assert.match(r.stdout, /Pre-allocated 40 users \(Reader: 30, Writer: 10\) with 40 connections open in \d+ ms/);
    // (The connection before them is the reachability probe, closed at once.)
    assert.equal(openAtFirstRequest(), 40, 'all 40 connections were open when the first request arrived');
    assert.ok(served.size > 0 && served.size <= 40);
    for (const socket of served) assert.ok(accepted.indexOf(socket) < acceptedAtFirstRequest(), 'every request came on a connection opened before the run');
    const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as OpenJson;
    assert.equal(json.open_model.pool_size, 40);
    assert.equal(json.open_model.dropped, 0);
    assert.equal(json.summary.total_operations, target.total());
    assert.ok(target.total() >= 350, `200/s for 2 s: ${target.total()} requests`);
    // The first history row already counts the pool.
    const history = readFileSync(join(dir, 'run_stats_history.csv'), 'utf8').trim().split('\n');
    const userCount = (history[0] ?? '').split(',').indexOf('User Count');
    assert.equal((history[1] ?? '').split(',')[userCount], '40');
  });
}

test('a test file\'s `arrival` may bound its own pool (max_users, pre_allocated_users); flags beat it; a clash names both sources', { timeout: 60_000 }, async () => {
  const { target } = await connectionCountingTarget();
  const dir = mkdtempSync(join(tmpdir(), 'brood-prealloc-file-'));
  const fromFile = await runCli(['-f', 'test/fixtures/open-declared-pool.mjs', '-H', target.url, '-t', '1s', '--seed', '5', '--csv', join(dir, 'file')]);
  assert.equal(fromFile.code, 0, fromFile.stderr || fromFile.stdout);
  assert.match(fromFile.stdout, /Pre-allocated 20 users \(Reader: 15, Writer: 5\) with 20 connections open/);
  const fileJson = JSON.parse(readFileSync(join(dir, 'file.json'), 'utf8')) as OpenJson & { open_model: { max_users: number; pattern: unknown } };
  assert.equal(fileJson.open_model.max_users, 40);
  const flagged = await runCli(['-f', 'test/fixtures/open-declared-pool.mjs', '-H', target.url, '-t', '1s', '--seed', '5', '--pre-allocated-users', '8', '--csv', join(dir, 'flag')]);
  assert.equal(flagged.code, 0, flagged.stderr || flagged.stdout);
  assert.match(flagged.stdout, /Pre-allocated 8 users \(Reader: 6, Writer: 2\)/);
  const clash = await runCli(['-f', 'test/fixtures/open-declared-pool.mjs', '-H', target.url, '-t', '1s', '--pre-allocated-users', '41']);
  assert.equal(clash.code, 2);
  assert.equal(clash.stderr.trim().split('\n').length, 1);
  assert.match(clash.stderr, /--pre-allocated-users 41 is more than the pool may hold \(max_users in test\/fixtures\/open-declared-pool\.mjs 40\)/);
  const badFile = join(dir, 'bad-pool.mjs');
  writeFileSync(badFile, "export const arrival = { pattern: 'constant', rate: 10, max_users: 0 };\n");
  const bad = await runCli(['-f', badFile, '-H', target.url, '-t', '1s']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /"arrival" max_users must be a whole number from 1 to 1000000, got 0/);
});

test('--pre-allocated-users is checked: more than --max-users, or without an open-model run, is a one-line error with exit 2', async () => {
  const over = await runCli(['-f', 'test/fixtures/open-two-classes.mjs', '-H', 'http://127.0.0.1:9', '--target-rate', '10', '--max-users', '5', '--pre-allocated-users', '6', '-t', '1s']);
  assert.equal(over.code, 2);
  assert.equal(over.stderr.trim().split('\n').length, 1);
  assert.match(over.stderr, /--pre-allocated-users 6 is more than the pool may hold \(--max-users 5\)/);
  const closed = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-H', 'http://127.0.0.1:9', '-u', '1', '--pre-allocated-users', '6', '-t', '1s']);
  assert.equal(closed.code, 2);
  assert.equal(closed.stderr.trim().split('\n').length, 1);
  assert.match(closed.stderr, /open-model flags \(.*--pre-allocated-users.*\) need --target-rate/);
  const bad = await runCli(['-f', 'test/fixtures/open-two-classes.mjs', '-H', 'http://127.0.0.1:9', '--target-rate', '10', '--pre-allocated-users', 'many', '-t', '1s']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--pre-allocated-users "many" must be a positive whole number/);
});
