/** Pure parts of the demo server, table-driven: extraction, change log, concurrency gate, conflicts, CLI flags. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extractConcepts, MAX_CONCEPTS_PER_TEXT, relationshipPairs } from '../../src/demo-server/concept-extraction.js';
import { ChangeLog } from '../../src/demo-server/change-log.js';
import { ConcurrencyGate } from '../../src/demo-server/concurrency-gate.js';
import { detectConflicts } from '../../src/demo-server/federation-sync.js';
import { MemorySpace } from '../../src/demo-server/memory-space.js';
import { parseCliArgs } from '../../src/demo-server/cli-args.js';
import { createPrng } from '../../src/demo-server/prng.js';
import { recall } from '../../src/demo-server/recall.js';

describe('extractConcepts', () => {
  const cases: Array<[string, string, Array<[string, string]>]> = [
    ['plain words of 4+ letters, stopwords dropped', 'the cats chase mice with speed', [['cats', 'concept'], ['chase', 'concept'], ['mice', 'concept'], ['speed', 'concept']]],
    ['a capitalised run is one entity', 'we love Machine Learning Systems', [['love', 'concept'], ['Machine Learning Systems', 'entity']]],
    ['a title makes a person', 'ask Dr Marie Curie', [['Marie Curie', 'person']]],
    ['a preposition makes a place', 'flights from Lisbon', [['flights', 'concept'], ['Lisbon', 'place']]],
    ['a lone capitalised sentence opener is an ordinary word', 'Rivers flow. Oceans churn.', [['rivers', 'concept'], ['flow', 'concept'], ['oceans', 'concept'], ['churn', 'concept']]],
    ['names stop at a sentence boundary', 'trains to Berlin. Munich next', [['trains', 'concept'], ['Berlin', 'place'], ['munich', 'concept'], ['next', 'concept']]],
    ['duplicates collapse, case-insensitively', 'robots build ROBOTS', [['robots', 'concept'], ['build', 'concept']]],
    ['numbers and short words are ignored', 'abc 2024 1234abc', []],
  ];
  for (const [what, text, expected] of cases) {
    test(what, () => {
      assert.deepEqual(extractConcepts(text).map((c) => [c.name, c.type]), expected);
    });
  }

  test('metadata type overrides the type of named concepts only', () => {
    assert.deepEqual(extractConcepts('visit Acme Corp soon', 'organization').map((c) => [c.name, c.type]), [
      ['visit', 'concept'], ['Acme Corp', 'organization'], ['soon', 'concept'],
    ]);
  });

  test('a huge text yields at most MAX_CONCEPTS_PER_TEXT concepts', () => {
    const text = Array.from({ length: 500 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${i}`).join(' ');
    assert.equal(extractConcepts(text).length, MAX_CONCEPTS_PER_TEXT);
  });

  test('relationships link each concept to the next three only', () => {
    assert.deepEqual(relationshipPairs(5), [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4]]);
    assert.deepEqual(relationshipPairs(1), []);
  });
});

describe('ChangeLog', () => {
  const entry = (name: string): { op: 'upsert'; id: string; name: string; version: number; hash: string } =>
    ({ op: 'upsert', id: name, name, version: 1, hash: '0' });

  test('pages through changes by cursor', () => {
    const log = new ChangeLog(10);
    for (const name of ['a', 'b', 'c']) log.append(entry(name));
    const first = log.since(0, 2);
    assert.deepEqual([first.changes.map((c) => c.name), first.cursor, first.hasMore, first.truncated], [['a', 'b'], 2, true, false]);
    const next = log.since(first.cursor, 2);
    assert.deepEqual([next.changes.map((c) => c.name), next.cursor, next.hasMore], [['c'], 3, false]);
    assert.deepEqual(log.since(3, 2).changes, []);
  });

  test('a cursor older than the ring is truncated, one from another run resets', () => {
    const log = new ChangeLog(3);
    for (const name of ['a', 'b', 'c', 'd', 'e']) log.append(entry(name));
    const old = log.since(0, 10);
    assert.deepEqual([old.changes.map((c) => c.name), old.truncated], [['c', 'd', 'e'], true]);
    const future = log.since(99, 10);
    assert.deepEqual([future.changes.map((c) => c.name), future.truncated, future.cursor], [['c', 'd', 'e'], true, 5]);
  });
});

describe('ConcurrencyGate', () => {
  test('admits up to max, queues up to the limit, refuses beyond, hands slots over FIFO', async () => {
    const gate = new ConcurrencyGate(1, 2);
    const never = (): void => undefined;
    assert.equal(gate.acquire(never), true);
    const second = gate.acquire(never);
    const third = gate.acquire(never);
    assert.equal(gate.acquire(never), false);
    assert.deepEqual([gate.active, gate.queued], [1, 2]);
    const order: string[] = [];
    void (second as Promise<boolean>).then(() => order.push('second'));
    void (third as Promise<boolean>).then(() => order.push('third'));
    gate.release();
    await Promise.resolve();
    assert.deepEqual(order, ['second']);
    gate.release();
    await Promise.resolve();
    assert.deepEqual(order, ['second', 'third']);
    gate.release();
    assert.deepEqual([gate.active, gate.queued], [0, 0]);
  });

  test('a cancelled waiter frees its queue place and is skipped', async () => {
    const gate = new ConcurrencyGate(1, 1);
    let cancel = (): void => undefined;
    void gate.acquire(() => undefined);
    const waiting = gate.acquire((c) => { cancel = c; });
    cancel();
    assert.equal(await waiting, false);
    assert.equal(gate.queued, 0);
    gate.release();
    assert.equal(gate.active, 0);
  });
});

describe('memory space', () => {
  test('conflicts: client ahead or same version with another hash; behind or unknown is fine', () => {
    const space = new MemorySpace({ maxConcepts: 10, maxRelationships: 10 });
    const [a, b, c] = space.learn('alpha bravo charlie', undefined, undefined).conceptIds;
    const hashOfB = space.get(2)?.hash;
    const conflicts = detectConflicts(space, [
      { id: a ?? '', version: 2, hash: undefined },
      { id: b ?? '', version: 1, hash: hashOfB },
      { id: c ?? '', version: 1, hash: 'other' },
      { id: 'c77', version: 9, hash: undefined },
    ]);
    assert.deepEqual(conflicts.map((x) => [x.id, x.reason]), [[a, 'client_ahead'], [c, 'content_diverged']]);
  });

  test('recall ranks full matches first and honours the limit', () => {
    const space = new MemorySpace({ maxConcepts: 100, maxRelationships: 100 });
    space.learn('we studied Deep Sea Creatures and creatures of Deep Space', undefined, undefined);
    const result = recall(space, 'deep sea creatures', 2);
    assert.deepEqual(result.results.map((r) => [r.name, r.score]), [['Deep Sea Creatures', 1], ['creatures', 0.5774]]);
  });

  test('relationships are capped by maxRelationships', () => {
    const space = new MemorySpace({ maxConcepts: 100, maxRelationships: 2 });
    const learned = space.learn('one1 apples bananas cherries dates', undefined, undefined);
    assert.deepEqual([learned.relationshipsExtracted, space.graph.count], [2, 2]);
  });
});

describe('demo server CLI flags', () => {
  test('maps every flag onto an option', () => {
    const parsed = parseCliArgs([
      '--port', '9000', '--host', '0.0.0.0', '--latency-ms', '20', '--jitter-ms', '5', '--error-rate', '0.25',
      '--federation', 'off', '--max-concurrency', '8', '--queue-limit', '16', '--seed', '3', '--max-concepts', '100', '--max-spaces', '4',
    ]);
    assert.equal(parsed.kind, 'options');
    if (parsed.kind !== 'options') return;
    const o = parsed.options;
    assert.deepEqual(
      [o.port, o.host, o.latencyMs, o.jitterMs, o.errorRate, o.federation, o.maxConcurrency, o.queueLimit, o.seed, o.maxConcepts, o.maxSpaces],
      [9000, '0.0.0.0', 20, 5, 0.25, false, 8, 16, 3, 100, 4],
    );
  });

  test('defaults to port 8000 on 127.0.0.1', () => {
    const parsed = parseCliArgs([]);
    assert.deepEqual(parsed.kind === 'options' ? [parsed.options.port, parsed.options.host, parsed.options.federation] : [], [8000, '127.0.0.1', true]);
  });

  test('reports every bad flag at once in flag wording', () => {
    const parsed = parseCliArgs(['--port', 'x', '--jitter-ms=-1', '--max-concurrency', '1.5']);
    assert.equal(parsed.kind, 'error');
    const message = parsed.kind === 'error' ? parsed.message : '';
    assert.match(message, /--port expects a number/);
    assert.match(message, /--jitter-ms must be an integer/);
    assert.match(message, /--max-concurrency must be an integer/);
    assert.doesNotMatch(message, /\n/);
  });

  test('a parseArgs error that spans several lines is cut to its first line', () => {
    const parsed = parseCliArgs(['--latency-ms', '-5']);
    assert.deepEqual(parsed, { kind: 'error', message: "Option '--latency-ms' argument is ambiguous." });
  });
});

test('the seeded PRNG replays and stays in [0, 1)', () => {
  const a = createPrng(5);
  const b = createPrng(5);
  const draws = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(draws, Array.from({ length: 1000 }, () => b()));
  assert.ok(draws.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(draws.slice(0, 5), Array.from({ length: 5 }, createPrng(6)));
});
