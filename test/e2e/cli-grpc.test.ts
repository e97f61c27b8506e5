/**
 * GrpcUser end to end: `run-load-tests -f <users> -H grpc://…` against a real gRPC server writes
 * GRPC rows (and the GRPCR message rows of its streams) into _stats.csv, exactly as many as the
 * server answered; protos that do not parse and a method that does not exist stop the run with
 * exit 2 and one line that says where.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { startGrpcServer, type GrpcTestServer } from '../helpers/grpc-server.js';

const servers: GrpcTestServer[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function server(): Promise<GrpcTestServer> {
  const s = await startGrpcServer();
  servers.push(s);
  return s;
}

function tempPrefix(): string {
  const dir = mkdtempSync(join(tmpdir(), 'brood-grpc-e2e-'));
  dirs.push(dir);
  return join(dir, 'run');
}

/** _stats.csv rows by "Type,Name": [requests, failures]. */
function statsRows(prefix: string): Map<string, [number, number]> {
  const lines = readFileSync(`${prefix}_stats.csv`, 'utf8').trim().split('\r\n').slice(1);
  return new Map(lines.map((l) => {
    const cells = l.split(',');
    return [`${cells[0] ?? ''},${cells[1] ?? ''}`, [Number(cells[2]), Number(cells[3])]];
  }));
}

/** stderr without Node's own deprecation notices (grpc-js sets an IP as the TLS server name). */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !/DeprecationWarning|--trace-deprecation/.test(l));
}

test('kernel-users.mjs against grpc://: GRPC rows for the calls, GRPCR rows for the stream messages, all of them', async () => {
  const srv = await server();
  const prefix = tempPrefix();
  const r = await runCli(['-f', 'test/fixtures/grpc/kernel-users.mjs', '-H', srv.url, '-u', '2', '-r', '10', '-t', '2s', '--csv', prefix, '--only-summary'], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  const rows = statsRows(prefix);
  const run = rows.get('GRPC,kernel.Kernel/Run');
  const watch = rows.get('GRPC,kernel.Kernel/Watch');
  const messages = rows.get('GRPCR,kernel.Kernel/Watch');
  assert.ok(run && watch && messages, [...rows.keys()].join(' | '));
  assert.equal(run[1] + watch[1], 0, 'no failures');
  assert.ok(run[0] > 20, `Run calls: ${run[0]}`);
  assert.equal(run[0], srv.calls.get('Run'), 'every call the server answered is in the file');
  assert.equal(watch[0], srv.calls.get('Watch'));
  assert.equal(messages[0], watch[0] * 3, 'three events per stream');
  assert.equal(rows.get(',Aggregated')?.[0], run[0] + watch[0], 'message rows stay out of the Aggregated row');
});

test('open model with --pre-allocated-users: each GrpcUser\'s own channel is connected before the clock; a refused host is one warning', async () => {
  const srv = await server();
  const prefix = tempPrefix();
  const r = await runCli(['-f', 'test/fixtures/grpc/kernel-users.mjs', '-H', srv.url, '--target-rate', '20', '--pre-allocated-users', '5', '-t', '1s', '--csv', prefix], { timeoutMs: 30_000 });
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.match(r.stdout, /^Pre-allocated 5 users \(Kernel: 5\) with 5 connections open in \d+ ms$/m);
  assert.doesNotMatch(r.stdout, /could not be opened/);
  // Nothing listens on port 1 (the probe's refusal waived): every channel's connect fails, said once, and the run still goes on.
  const refused = await runCli(['-f', 'test/fixtures/grpc/kernel-users.mjs', '-H', 'grpc://127.0.0.1:1', '--target-rate', '5', '--pre-allocated-users', '3', '-t', '1s', '--request-timeout', '1', '--continue-on-unreachable', '--csv', tempPrefix()], { timeoutMs: 30_000 });
  assert.match(refused.stdout, /^Pre-allocated 3 users \(Kernel: 3\) with 0 connections open in \d+ ms$/m);
  assert.match(refused.stdout, /^warning: 3 of 3 pre-allocated connections could not be opened \(grpc:\/\/127\.0\.0\.1:1: could not connect\); those users connect on their first arrival$/m);
});

test('the TypeScript example of the API (decorators, through tsx) runs as written', async () => {
  const srv = await server();
  const prefix = tempPrefix();
  const r = await runCli(['-f', 'test/fixtures/grpc/contract.ts', '-H', srv.url, '-u', '1', '-r', '10', '-t', '1s', '--csv', prefix, '--only-summary'], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  const rows = statsRows(prefix);
  assert.ok((rows.get('GRPC,kernel.Kernel/Run')?.[0] ?? 0) > 0 && (rows.get('GRPC,kernel.Kernel/Watch')?.[0] ?? 0) > 0, [...rows.keys()].join(' | '));
  assert.ok((rows.get('GRPCR,kernel.Kernel/Watch')?.[0] ?? 0) > 0);
});

test('a proto file that does not parse: exit 2 before any call, one line naming file:line', async () => {
  const srv = await server();
  const r = await runCli(['-f', 'test/fixtures/grpc/broken-proto.mjs', '-H', srv.url, '-u', '1', '-r', '10', '-t', '2s', '--only-summary'], { timeoutMs: 30_000 });
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(errorLines(r.stderr), ["error: Broken.proto: protos/broken.proto:10: illegal token '}', ';' expected"]);
  assert.equal(srv.calls.size, 0, 'nothing was sent');
});

test('a method the protos do not have: exit 2, one line listing the service\'s methods', async () => {
  const srv = await server();
  const r = await runCli(['-f', 'test/fixtures/grpc/unknown-method.mjs', '-H', srv.url, '-u', '1', '-r', '10', '-t', '10s', '--only-summary'], { timeoutMs: 30_000 });
  assert.equal(r.code, 2, r.stderr);
  const lines = errorLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? '', /^error: .*Kernel: no method kernel\.Kernel\/Rn in the protos: kernel\.Kernel has Run, Watch, Upload, Chat\b/);
  assert.equal(srv.calls.size, 0);
});

test('README\'s GrpcUser example runs as written, its target judged on the GRPC row', async () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /### gRPC users \(`GrpcUser`\)[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.equal(readFileSync(join(REPO_ROOT, 'test/fixtures/grpc/readme-kernel.ts'), 'utf8').split('\n').slice(1).join('\n'), block, 'the fixture is README\'s example');
  const srv = await server();
  const prefix = tempPrefix();
  const r = await runCli(['-f', 'test/fixtures/grpc/readme-kernel.ts', '-H', srv.url, '-u', '2', '-r', '10', '-t', '2s', '--csv', prefix, '--json', `${prefix}.json`, '--only-summary'], { timeoutMs: 30_000 });
  // Its target (Run P99 < 100 ms) is judged on a few hundred calls: on a loaded machine one stall can
  // be its P99, so the exit code may be 1, and must then be the target's verdict.
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const rows = statsRows(prefix);
  assert.ok((rows.get('GRPC,kernel.Kernel/Run')?.[0] ?? 0) > 10);
  assert.ok((rows.get('GRPC,kernel.Kernel/Watch')?.[0] ?? 0) > 0);
  assert.equal(rows.get(',Aggregated')?.[1], 0, 'no failure');
  const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as { validation: { targets: Array<{ endpoints: string[]; measured: number | null; met: boolean }> } };
  assert.deepEqual(json.validation.targets.map((t) => t.endpoints), [['kernel.Kernel/Run']]);
  assert.ok((json.validation.targets[0]?.measured ?? 0) > 0, 'judged on the GRPC row');
  assert.equal(r.code === 0, json.validation.targets[0]?.met);
});
