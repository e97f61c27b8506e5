/** Federation routes of the demo server: contribute, sync with cursors and conflicts, peers, heartbeat, off switch. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer, type RunningDemoServer } from '../../src/demo-server/server.js';

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function post(base: string, path: string, body: unknown): Promise<Reply> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function get(base: string, path: string): Promise<Reply> {
  const res = await fetch(base + path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Change {
  seq: number;
  op: string;
  id: string;
  name: string;
  version: number;
  hash: string;
}

describe('demo server federation', () => {
  let server: RunningDemoServer;
  before(async () => {
    server = await startDemoServer();
  });
  after(() => server.close());

  test('contribute creates, updates and refuses stale versions', async () => {
    const first = await post(server.url, '/federation/contribute', {
      peer_id: 'peer-1', concepts: [{ name: 'Mars Rover', version: 2 }, { name: 'orbital mechanics' }],
    });
    assert.equal(first.status, 200);
    assert.deepEqual([first.body.accepted, first.body.created], [2, 2]);
    const [roverId] = first.body.concept_ids as string[];
    assert.equal((first.body.versions as Record<string, number>)[roverId ?? ''], 2);

    const update = await post(server.url, '/federation/contribute', {
      peer_id: 'peer-2', concepts: [{ name: 'mars rover', version: 2, description: 'six wheels' }],
    });
    assert.deepEqual([update.body.updated, (update.body.versions as Record<string, number>)[roverId ?? '']], [1, 3]);
    const stale = await post(server.url, '/federation/contribute', {
      peer_id: 'peer-2', concepts: [{ name: 'Mars Rover', version: 1, description: 'four wheels' }],
    });
    assert.deepEqual([stale.body.stale, stale.body.accepted], [1, 0]);
  });

  test('sync returns changes since a cursor, page by page', async () => {
    await post(server.url, '/learn', { text: 'telescopes nebulae quasars' });
    const first = await post(server.url, '/federation/sync', { peer_id: 'peer-1', cursor: 0, limit: 2 });
    assert.equal(first.status, 200);
    const changes = first.body.changes as Change[];
    assert.deepEqual(changes.map((c) => c.seq), [1, 2]);
    assert.deepEqual([first.body.cursor, first.body.has_more, first.body.sync_operations], [2, true, 2]);
    const rest = await post(server.url, '/federation/sync', { peer_id: 'peer-1', cursor: 2, limit: 1000 });
    const restChanges = rest.body.changes as Change[];
    assert.equal(restChanges[0]?.seq, 3);
    assert.deepEqual(restChanges.slice(-3).map((c) => c.name), ['telescopes', 'nebulae', 'quasars']);
    const none = await post(server.url, '/federation/sync', { peer_id: 'peer-1', cursor: rest.body.cursor });
    assert.deepEqual([none.body.changes, none.body.sync_operations, none.body.has_more], [[], 0, false]);
  });

  test('sync answers 409 with conflicts_detected when the client is ahead or diverged', async () => {
    const created = await post(server.url, '/learn', { text: 'exoplanets pulsars' });
    const [a, b] = created.body.concept_ids as string[];
    const current = await get(server.url, `/concepts/${a ?? ''}`);
    const hash = (current.body.concept as { hash: string }).hash;

    const agree = await post(server.url, '/federation/sync', { peer_id: 'p', versions: { [a ?? '']: { version: 1, hash } } });
    assert.equal(agree.status, 200);
    assert.equal(agree.body.conflicts_detected, 0);
    const behind = await post(server.url, '/federation/sync', { peer_id: 'p', versions: { [a ?? '']: 0, c999999: 7 } });
    assert.equal(behind.status, 200);

    const conflict = await post(server.url, '/federation/sync', {
      peer_id: 'p', versions: { [a ?? '']: 2, [b ?? '']: { version: 1, hash: 'deadbeef' } },
    });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.error, 'conflict');
    assert.equal(conflict.body.conflicts_detected, 2);
    const reasons = (conflict.body.conflicts as Array<{ reason: string }>).map((c) => c.reason);
    assert.deepEqual(reasons, ['client_ahead', 'content_diverged']);
  });

  test('sync validates its body', async () => {
    assert.equal((await post(server.url, '/federation/sync', {})).status, 400);
    const badVersions = await post(server.url, '/federation/sync', { peer_id: 'p', versions: { c1: 'new' } });
    assert.equal(badVersions.status, 400);
    assert.match(badVersions.body.error as string, /versions\.c1/);
    assert.equal((await post(server.url, '/federation/contribute', { peer_id: 'p', concepts: [] })).status, 400);
    assert.equal((await post(server.url, '/federation/contribute', { peer_id: 'p', concepts: [{ version: 1 }] })).status, 400);
  });

  test('heartbeat registers a peer that GET /federation/peers lists', async () => {
    const beat = await post(server.url, '/federation/heartbeat', { peer_id: 'peer-heartbeat' });
    assert.equal(beat.status, 200);
    assert.ok((beat.body.peers_active as number) >= 1);
    const peers = await get(server.url, '/federation/peers');
    assert.equal(peers.status, 200);
    const list = peers.body.peers as Array<{ peer_id: string; heartbeats: number; active: boolean }>;
    assert.deepEqual(list[0], { ...list[0], peer_id: 'peer-heartbeat', heartbeats: 1, active: true });
    assert.ok(list.some((p) => p.peer_id === 'peer-1'));
    assert.equal(peers.body.peer_count, list.length);
    assert.equal((await post(server.url, '/federation/heartbeat', {})).status, 400);
  });
});

test('federation off: every federation route answers 404, the rest still works', async () => {
  const server = await startDemoServer({ federation: false });
  try {
    for (const path of ['/federation/contribute', '/federation/sync', '/federation/heartbeat']) {
      const reply = await post(server.url, path, { peer_id: 'p' });
      assert.equal(reply.status, 404, path);
      assert.match(reply.body.error as string, /federation is disabled/);
    }
    assert.equal((await get(server.url, '/federation/peers')).status, 404);
    assert.equal((await get(server.url, '/health')).status, 200);
  } finally {
    await server.close();
  }
});
