import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

interface Row { method: string; name: string; requests: number; failures: number; avgSize: number }

function statsRows(prefix: string): Row[] {
  return readFileSync(`${prefix}_stats.csv`, 'utf8').trim().split('\r\n').slice(1).map((l) => {
    const c = l.split(',');
    return { method: c[0] ?? '', name: c[1] ?? '', requests: Number(c[2]), failures: Number(c[3]), avgSize: Number(c[8]) };
  });
}

for (const processes of [1, 2]) {
  test(`custom clients report as HTTP does (recordRequest, measure); renameRequest groups requests; FastHttpUser is HttpUser (--processes ${processes})`, async (t) => {
    const srv = await startRecordingServer();
    servers.push(srv);
    const dir = mkdtempSync(join(tmpdir(), 'brood-custom-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const prefix = join(dir, 'run');
    const r = await runCli(['-f', 'test/fixtures/lifecycle/custom-client.mjs', '-H', srv.url, '-u', '2', '-r', '100', '-t', '1s', '--processes', String(processes), '--csv', prefix, '--only-summary']);
    assert.equal(r.code, 1, `failed DB queries, no targets → 1; ${r.stderr}`);
    const rows = statsRows(prefix);
    const row = (method: string, name: string): Row | undefined => rows.find((x) => x.method === method && x.name === name);
    const select = row('DB', 'select user');
    // Each of the 2 users' databases fails its every third query: floor(n/3) per user.
    assert.ok(select && select.requests > 5 && select.failures <= select.requests / 3 && select.failures >= select.requests / 3 - 2, JSON.stringify(select));
    const publish = row('mqtt', 'publish');
    assert.ok(publish && publish.requests > 5 && publish.failures === 0 && publish.avgSize === 42, JSON.stringify(publish));
    assert.match(readFileSync(`${prefix}_failures.csv`, 'utf8'), /DB,select user,"?Error: deadlock on ""select 1"""?/);
    const blog = row('GET', '/blog/[id]');
    const named = row('GET', 'kept its own');
    const afterRow = row('GET', '/after');
    assert.ok(blog && named && afterRow, rows.map((x) => `${x.method} ${x.name}`).join(', '));
    assert.equal(blog.requests, 2 * named.requests, 'both requests inside renameRequest, under its name');
    assert.equal(rows.filter((x) => x.name.startsWith('/blog/') && x.name !== '/blog/[id]').length, 0, 'no per-id rows');
    assert.equal(srv.requests.length, blog.requests + named.requests + afterRow.requests);
  });
}
