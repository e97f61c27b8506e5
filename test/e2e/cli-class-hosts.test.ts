import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const FILE = 'test/fixtures/lifecycle/class-hosts.mjs';
const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

async function server(): Promise<RecordingServer> {
  const s = await startRecordingServer();
  servers.push(s);
  return s;
}

const paths = (s: RecordingServer): string[] => [...new Set(s.requests.map((r) => r.url))].sort();

for (const processes of [1, 2]) {
  test(`no -H: each class goes to its own static host, no demo server (--processes ${processes})`, async (t) => {
    const [reader, writer] = [await server(), await server()];
    const dir = mkdtempSync(join(tmpdir(), 'brood-hosts-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const r = await runCli(['-f', FILE, 'Reader', 'Writer', '-u', '4', '-r', '100', '-t', '1s', '--processes', String(processes), '--json', join(dir, 'r.json'), '--results-dir', dir], {
      env: { READER_HOST: reader.url, WRITER_HOST: `${writer.url}/` },
    });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.doesNotMatch(r.stdout, /demo server/);
    assert.match(r.stdout, new RegExp(`each user class targets its own host: ${reader.url} \\(Reader\\), ${writer.url} \\(Writer\\)`));
    assert.deepEqual(paths(reader), ['/read']);
    assert.deepEqual(paths(writer), ['/write']);
    // this.host is the class's own host, as Locust's self.host.
    assert.equal((JSON.parse(writer.requests[0]?.body.toString() ?? '{}') as { host?: string }).host, `${writer.url}/`);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { summary: { total_operations: number } };
    assert.equal(json.summary.total_operations, reader.requests.length + writer.requests.length, 'every request counted, where it went');
  });
}

test('an instance host field is the user\'s target too; -H beats every class\'s host and says so', async (t) => {
  const [drifter, reader, commandLine] = [await server(), await server(), await server()];
  const dir = mkdtempSync(join(tmpdir(), 'brood-hosts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const own = await runCli(['-f', FILE, 'Drifter', '-u', '1', '-t', '1s', '--results-dir', dir], { env: { DRIFTER_HOST: drifter.url } });
  assert.equal(own.code, 0, own.stderr + own.stdout);
  assert.deepEqual(paths(drifter), ['/drift']);
  const overridden = await runCli(['-f', FILE, 'Reader', 'Drifter', '-H', commandLine.url, '-u', '2', '-r', '100', '-t', '1s', '--results-dir', dir], {
    env: { READER_HOST: reader.url, DRIFTER_HOST: drifter.url },
  });
  assert.equal(overridden.code, 0, overridden.stderr + overridden.stdout);
  assert.match(overridden.stdout, /--host http:\/\/127\.0\.0\.1:\d+ is every class's target \(it beats the static host of Reader\)/);
  assert.deepEqual(paths(commandLine), ['/drift', '/read']);
  assert.equal(reader.requests.length, 0);
});

test('classes that disagree, or a host that is not a URL, are refused in one line before anything runs', async () => {
  const reader = await server();
  const mixed = await runCli(['-f', FILE, 'Reader', 'Homeless', '-t', '1s'], { env: { READER_HOST: reader.url } });
  assert.equal(mixed.code, 2, mixed.stderr);
  assert.match(mixed.stderr.trim(), /^error: Homeless has no host while Reader has one: give it a static host, or -H URL for every class$/);
  const bad = await runCli(['-f', FILE, 'Reader', '-t', '1s'], { env: { READER_HOST: 'ftp://user:pw@x' } });
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr.trim(), /^error: Reader\.host: "ftp:\/\/user:\*\*\*@x" must be an http:\/\/ or https:\/\/ URL \(ws:\/\/ and wss:\/\/ for WebSocketUser, grpc:\/\/ and grpcs:\/\/ for GrpcUser\)$/);
  assert.equal(reader.requests.length, 0);
});
