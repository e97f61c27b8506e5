import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

/** A target that also remembers when each request arrived and what body it carried. */
async function timedTarget(): Promise<{ server: TargetServer; times: number[]; bodies: string[] }> {
  const server = await startTargetServer();
  servers.push(server);
  const times: number[] = [];
  const bodies: string[] = [];
  server.server.prependListener('request', (req) => {
    times.push(performance.now());
    let b = '';
    req.on('data', (d: Buffer) => (b += d.toString()));
    req.on('end', () => b && bodies.push(b));
  });
  return { server, times, bodies };
}

test('--record-trace then replay ×2: per-endpoint counts exactly, timing scaled within 2%', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-trace-'));
  const trace = join(dir, 'trace.jsonl');
  const original = await timedTarget();
  const rec = await runCli(['-f', 'test/fixtures/plain-tasks.mjs', '-H', original.server.url, '-u', '4', '-r', '100', '-t', '4s', '--record-trace', trace, '--csv', join(dir, 'orig'), '--only-summary']);
  assert.equal(rec.code, 0, rec.stderr);
  const lines = readFileSync(trace, 'utf8').trim().split('\n');
  assert.match(lines[0] ?? '', /^\{"trace":"brood","version":1/);
  const first = JSON.parse(lines[1] ?? '{}') as Record<string, unknown>;
  for (const key of ['t', 'user', 'method', 'path', 'name']) assert.ok(key in first, `record has ${key}`);
  assert.equal(lines.length - 1, original.server.total(), 'one record per request the server received');

  const replayed = await timedTarget();
  const rep = await runCli(['replay', '--trace', trace, '--rate-multiplier', '2.0', '-H', replayed.server.url, '--csv', join(dir, 'replay'), '--only-summary']);
  assert.equal(rep.code, 0, rep.stderr);
  assert.deepEqual(Object.fromEntries([...replayed.server.counts].sort()), Object.fromEntries([...original.server.counts].sort()));
  assert.deepEqual([...replayed.bodies].sort(), [...original.bodies].sort(), 'request bodies replayed as recorded');
  const span = (t: number[]): number => (t.at(-1) ?? 0) - (t[0] ?? 0);
  const ratio = span(replayed.times) / (span(original.times) / 2);
  assert.ok(Math.abs(ratio - 1) < 0.02, `replay span ${span(replayed.times).toFixed(0)} ms vs original/2 ${(span(original.times) / 2).toFixed(0)} ms`);
  assert.match(rep.stdout, /Run ended after [\d.]+ s: trace replayed/);
  const json = JSON.parse(readFileSync(join(dir, 'replay.json'), 'utf8')) as { open_model: { dispatched: number } };
  assert.equal(json.open_model.dispatched, lines.length - 1);
});

test('replay: bad trace lines and flags are one-line errors with exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-trace-bad-'));
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"t":0,"method":"GET","path":"/a"}\n{"t":"soon","method":"GET","path":"/b"}\n');
  const r1 = await runCli(['replay', '--trace', bad]);
  assert.equal(r1.code, 2);
  assert.match(r1.stderr.trim(), /^error: .*bad\.jsonl:2: "t" must be seconds >= 0$/);
  const r2 = await runCli(['replay', '--trace', join(dir, 'missing.jsonl')]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /trace file not found/);
  const r3 = await runCli(['replay', '--trace', bad, '--rate-multiplier', '0']);
  assert.equal(r3.code, 2);
  assert.match(r3.stderr, /--rate-multiplier "0" must be a positive number/);
  const r4 = await runCli(['replay']);
  assert.equal(r4.code, 2);
  assert.match(r4.stderr, /required option '--trace <file>'/);
});
