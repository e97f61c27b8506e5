/**
 * The demo server's memory API over real HTTP on port 0: every endpoint, bad input → 400,
 * unknown routes and ids → 404, eviction, tenancy and the worker-thread variant.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer, type RunningDemoServer } from '../../src/demo-server/server.js';
import { startDemoServerProcess } from '../../src/demo-server/process-host.js';

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(base + path, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function ids(reply: Reply): string[] {
  return reply.body.concept_ids as string[];
}

function names(reply: Reply): string[] {
  return (reply.body.results as Array<{ name: string }>).map((r) => r.name);
}

describe('demo server memory API', () => {
  let server: RunningDemoServer;
  before(async () => {
    server = await startDemoServer({ seed: 1 });
  });
  after(() => server.close());

  test('GET /health answers status ok on 127.0.0.1', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const reply = await call(server.url, 'GET', '/health');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.status, 'ok');
  });

  test('POST /learn extracts concepts and relationships, POST and GET /recall find them', async () => {
    const learned = await call(server.url, 'POST', '/learn', {
      text: 'Dr Grace Hopper built the first compiler. Compilers translate programming languages.',
    });
    assert.equal(learned.status, 200);
    assert.equal(learned.body.ok, true);
    assert.ok((learned.body.concepts_extracted as number) >= 4);
    assert.ok((learned.body.relationships_extracted as number) >= 3);
    assert.equal(ids(learned).length, learned.body.concepts_extracted);

    const recalled = await call(server.url, 'POST', '/recall', { query: 'who wrote a compiler?', limit: 5 });
    assert.equal(recalled.status, 200);
    assert.deepEqual(names(recalled).slice(0, 1), ['compiler']);
    assert.ok((recalled.body.concepts_found as number) >= 1);
    assert.ok((recalled.body.relationships_found as number) >= 1);
    assert.equal(typeof recalled.body.query_time_ms, 'number');
    assert.match(recalled.body.context as string, /compiler/);

    const viaGet = await call(server.url, 'GET', '/recall?q=Grace%20Hopper&limit=1');
    assert.equal(viaGet.status, 200);
    assert.deepEqual(names(viaGet), ['Grace Hopper']);
  });

  test('POST /learn accepts CONTINUUM user_message / ai_response', async () => {
    const reply = await call(server.url, 'POST', '/learn', { user_message: 'Tell me about photosynthesis', ai_response: 'Chlorophyll absorbs sunlight' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.concepts_extracted, 4); // photosynthesis, chlorophyll, absorbs, sunlight
  });

  test('POST /turn recalls before it learns', async () => {
    await call(server.url, 'POST', '/learn', { text: 'Volcanoes erupt magma.' });
    const turn = await call(server.url, 'POST', '/turn', { user_message: 'why do volcanoes erupt', ai_response: 'pressure from tectonic plates' });
    assert.equal(turn.status, 200);
    assert.ok(names(turn).includes('volcanoes'));
    assert.ok((turn.body.concepts_extracted as number) >= 3);
    const after = await call(server.url, 'GET', '/recall?q=tectonic');
    assert.deepEqual(names(after), ['tectonic']);
  });

  test('GET, PUT, DELETE /concepts/:id: versions grow, deleted ids are gone', async () => {
    const [id] = ids(await call(server.url, 'POST', '/learn', { text: 'glaciers' }));
    const read = await call(server.url, 'GET', `/concepts/${id}`);
    assert.equal(read.status, 200);
    assert.equal((read.body.concept as { version: number }).version, 1);

    const put = await call(server.url, 'PUT', `/concepts/${id}`, { description: 'slow rivers of ice', type: 'place' });
    assert.equal(put.status, 200);
    const updated = put.body.concept as { version: number; description: string; type: string };
    assert.deepEqual([updated.version, updated.description, updated.type], [2, 'slow rivers of ice', 'place']);

    const renamed = await call(server.url, 'PUT', `/concepts/${id}`, { name: 'ice sheets' });
    assert.equal((renamed.body.concept as { version: number }).version, 3);
    assert.deepEqual(names(await call(server.url, 'GET', '/recall?q=sheets')), ['ice sheets']);
    assert.deepEqual(names(await call(server.url, 'GET', '/recall?q=glaciers')), []);

    assert.equal((await call(server.url, 'DELETE', `/concepts/${id}`)).status, 200);
    const gone = await call(server.url, 'GET', `/concepts/${id}`);
    assert.equal(gone.status, 404);
    assert.match(gone.body.error as string, /no concept/);
    assert.equal((await call(server.url, 'DELETE', `/concepts/${id}`)).status, 404);
    assert.equal((await call(server.url, 'PUT', '/concepts/c999999', { description: 'x' })).status, 404);
    assert.equal((await call(server.url, 'GET', '/concepts/not-an-id')).status, 404);
  });

  test('PUT /concepts/:id rejects an empty patch and a taken name', async () => {
    const [a, b] = ids(await call(server.url, 'POST', '/learn', { text: 'meteorites asteroids' }));
    const empty = await call(server.url, 'PUT', `/concepts/${a}`, {});
    assert.equal(empty.status, 400);
    assert.match(empty.body.error as string, /at least one/);
    const taken = await call(server.url, 'PUT', `/concepts/${b}`, { name: 'Meteorites' });
    assert.equal(taken.status, 409);
  });

  test('GET /entities filters by type and paginates', async () => {
    const space = { 'x-memory-space': 'entities' }; // a fresh space: the other tests' persons do not count
    await call(server.url, 'POST', '/learn', { text: 'We met Dr Alan Turing and Dr Ada Lovelace and Prof Edsger Dijkstra in Amsterdam.' }, space);
    const persons = await call(server.url, 'GET', '/entities?type=person&per_page=2', undefined, space);
    assert.equal(persons.status, 200);
    assert.deepEqual([persons.body.total, persons.body.page, persons.body.per_page, persons.body.pages], [3, 1, 2, 2]);
    assert.deepEqual((persons.body.items as Array<{ name: string }>).map((i) => i.name), ['Alan Turing', 'Ada Lovelace']);
    const second = await call(server.url, 'GET', '/entities?type=person&per_page=2&page=2', undefined, space);
    assert.deepEqual((second.body.items as Array<{ name: string }>).map((i) => i.name), ['Edsger Dijkstra']);
    const places = await call(server.url, 'GET', '/entities?type=place', undefined, space);
    assert.ok((places.body.items as Array<{ name: string }>).some((i) => i.name === 'Amsterdam'));
    const beyond = await call(server.url, 'GET', '/entities?type=person&page=9', undefined, space);
    assert.deepEqual(beyond.body.items, []);
    const all = await call(server.url, 'GET', '/entities', undefined, space);
    assert.equal(all.body.total, 4); // 3 persons + Amsterdam: titles, stopwords and short words are no concepts
  });

  test('GET /stats counts concepts, relationships and requests', async () => {
    const before = await call(server.url, 'GET', '/stats');
    await call(server.url, 'POST', '/learn', { text: 'hurricanes typhoons cyclones' });
    const stats = await call(server.url, 'GET', '/stats');
    assert.equal(stats.status, 200);
    assert.equal(stats.body.concepts, (before.body.concepts as number) + 3);
    assert.equal(stats.body.relationships, (before.body.relationships as number) + 3);
    assert.equal(stats.body.requests_served, (before.body.requests_served as number) + 2);
    assert.equal(typeof stats.body.uptime_s, 'number');
  });

  test('POST /search/embedding returns the k nearest concepts', async () => {
    await call(server.url, 'POST', '/learn', { text: 'Quantum Entanglement and Quantum Tunnelling puzzle physicists' });
    const byQuery = await call(server.url, 'POST', '/search/embedding', { query: 'quantum', k: 2 });
    assert.equal(byQuery.status, 200);
    assert.deepEqual(names(byQuery).sort(), ['Quantum Entanglement', 'Quantum Tunnelling']);
    const byVector = await call(server.url, 'POST', '/search/embedding', { vector: Array.from({ length: 32 }, (_, i) => i - 16), k: 3 });
    assert.equal(byVector.status, 200);
    assert.equal((byVector.body.results as unknown[]).length, 3);
    assert.equal((await call(server.url, 'POST', '/search/embedding', { vector: [1, 2, 3] })).status, 400);
    // Longer embeddings (the seed's 768 dimensions) are folded into the index's 32.
    assert.equal((await call(server.url, 'POST', '/search/embedding', { vector: Array.from({ length: 768 }, (_, i) => Math.sin(i)), k: 5 })).status, 200);
    assert.equal((await call(server.url, 'POST', '/search/embedding', { vector: Array.from({ length: 5000 }, () => 1) })).status, 400);
    assert.equal((await call(server.url, 'POST', '/search/embedding', { query: 'quantum', k: 101 })).status, 400);
    assert.equal((await call(server.url, 'POST', '/search/embedding', { k: 3 })).status, 400);
  });

  const badRequests: Array<[string, string, string, unknown, RegExp]> = [
    ['invalid JSON', 'POST', '/learn', '{"text": ', /invalid JSON/],
    ['a JSON array', 'POST', '/learn', '[1,2]', /JSON object/],
    ['an empty body', 'POST', '/learn', '', /empty/],
    ['missing text', 'POST', '/learn', { metadata: {} }, /"text" is required/],
    ['text of the wrong type', 'POST', '/learn', { text: 42 }, /"text" is required and must be a string/],
    ['metadata of the wrong type', 'POST', '/learn', { text: 'x', metadata: 'y' }, /"metadata" must be a JSON object/],
    ['missing query', 'POST', '/recall', {}, /"query" is required/],
    ['limit out of range', 'POST', '/recall', { query: 'x', limit: 0 }, /"limit" must be an integer/],
    ['GET /recall without q', 'GET', '/recall', undefined, /"q" is required/],
    ['a non-numeric limit', 'GET', '/recall?q=x&limit=ten', undefined, /"limit"/],
    ['turn without ai_response', 'POST', '/turn', { user_message: 'hi' }, /"ai_response"/],
    ['an unknown entity type', 'GET', '/entities?type=planet', undefined, /"type" must be one of/],
    ['per_page too large', 'GET', '/entities?per_page=1000', undefined, /"per_page"/],
  ];
  for (const [what, method, path, body, message] of badRequests) {
    test(`400 for ${what}`, async () => {
      const reply = await call(server.url, method, path, body);
      assert.equal(reply.status, 400);
      assert.match(reply.body.error as string, message);
    });
  }

  test('404 for unknown routes, 405 for a wrong method on a known path', async () => {
    const unknown = await call(server.url, 'GET', '/nope');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error as string, /no route for GET \/nope/);
    assert.equal((await call(server.url, 'GET', '/concepts/c1/extra')).status, 404);
    const wrong = await call(server.url, 'DELETE', '/learn');
    assert.equal(wrong.status, 405);
  });
});

describe('demo server limits and tenancy', () => {
  test('the oldest concepts are evicted past maxConcepts, from every index', async () => {
    const server = await startDemoServer({ maxConcepts: 3 });
    try {
      const first = ids(await call(server.url, 'POST', '/learn', { text: 'aardvark' }));
      await call(server.url, 'POST', '/learn', { text: 'badger' });
      await call(server.url, 'POST', '/learn', { text: 'cheetah dolphin' });
      assert.equal((await call(server.url, 'GET', `/concepts/${first[0] ?? ''}`)).status, 404);
      assert.deepEqual(names(await call(server.url, 'GET', '/recall?q=aardvark')), []);
      assert.deepEqual(names(await call(server.url, 'GET', '/recall?q=dolphin')), ['dolphin']);
      const stats = await call(server.url, 'GET', '/stats');
      assert.deepEqual([stats.body.concepts, stats.body.evicted_concepts, stats.body.relationships], [3, 1, 1]);
    } finally {
      await server.close();
    }
  });

  test('X-Memory-Space isolates data; spaces are bounded; bad names are refused', async () => {
    const server = await startDemoServer({ maxSpaces: 2 });
    try {
      const a = { 'x-memory-space': 'tenant-a' };
      await call(server.url, 'POST', '/learn', { text: 'penguins' }, a);
      assert.deepEqual(names(await call(server.url, 'GET', '/recall?q=penguins', undefined, a)), ['penguins']);
      assert.deepEqual(names(await call(server.url, 'GET', '/recall?q=penguins')), []);
      assert.equal((await call(server.url, 'GET', '/stats', undefined, a)).body.concepts, 1);
      const third = await call(server.url, 'GET', '/stats', undefined, { 'x-memory-space': 'tenant-c' });
      assert.equal(third.status, 429);
      assert.equal((await call(server.url, 'GET', '/stats', undefined, { 'x-memory-space': 'bad name!' })).status, 400);
    } finally {
      await server.close();
    }
  });

  test('a body above maxBodyBytes answers 413', async () => {
    const server = await startDemoServer({ maxBodyBytes: 100 });
    try {
      const reply = await call(server.url, 'POST', '/learn', { text: 'x'.repeat(200) });
      assert.equal(reply.status, 413);
      assert.match(reply.body.error as string, /exceeds 100 bytes/);
      assert.equal((await call(server.url, 'POST', '/learn', { text: 'small' })).status, 200);
    } finally {
      await server.close();
    }
  });

  test('invalid options are all reported before listening', async () => {
    await assert.rejects(startDemoServer({ errorRate: 2, maxConcurrency: -1 }), /errorRate.*maxConcurrency|maxConcurrency.*errorRate/);
  });
});

describe('demo server in its own process', () => {
  test('serves the same API from its own event loop and closes', async () => {
    const server = await startDemoServerProcess({ seed: 3 });
    const learned = await call(server.url, 'POST', '/learn', { text: 'lighthouses guide sailors' });
    assert.equal(learned.body.concepts_extracted, 3);
    assert.deepEqual(names(await call(server.url, 'GET', '/recall?q=sailors')), ['sailors']);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    await server.close();
    await assert.rejects(fetch(`${server.url}/health`));
  });

  test('rejects with the validation message when options are invalid', async () => {
    await assert.rejects(startDemoServerProcess({ latencyMs: -5 }), /latencyMs must be an integer/);
  });
});
