import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const servers: RecordingServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

test('a MarkovTaskSet walks its chain: each user starts at index and only ever takes a declared transition', async (t) => {
  const srv = await startRecordingServer();
  servers.push(srv);
  const dir = mkdtempSync(join(tmpdir(), 'brood-markov-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['-f', 'test/fixtures/lifecycle/markov.mjs', '-H', srv.url, '-u', '3', '-r', '100', '-t', '1s', '--results-dir', dir]);
  assert.equal(r.code, 0, r.stderr);
  const allowed: Record<string, string[]> = { index: ['browse'], browse: ['index', 'product'], product: ['index'] };
  const walks = new Map<string, string[]>();
  for (const q of srv.requests) {
    const [path, query] = q.url.split('?');
    const user = new URLSearchParams(query).get('u') ?? '?';
    walks.set(user, [...(walks.get(user) ?? []), (path ?? '').slice(1)]);
  }
  assert.equal(walks.size, 3);
  for (const [user, walk] of walks) {
    assert.equal(walk[0], 'index', `user ${user} starts at the first task`);
    for (let i = 0; i + 1 < walk.length; i++) assert.ok(allowed[walk[i] as string]?.includes(walk[i + 1] as string), `user ${user}: ${walk[i]} → ${walk[i + 1]}`);
    assert.ok(walk.length > 20);
  }
});
