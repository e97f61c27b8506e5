/** The pieces the CONTINUUM users are built from: reproducible data, the concept id pool. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { ConceptIdPool, NO_CONCEPT_ID } from '../../users/support/concept-id-pool.js';
import { ContinuumData } from '../../users/support/continuum-data.js';

function sample(seed: number): unknown[] {
  const data = new ContinuumData(new Rng(seed, 3));
  return [data.conversation(), data.query(), data.entityName(), data.description(), data.federatedConcepts(3), data.text()];
}

describe('ContinuumData', () => {
  test('the same seed gives the same bodies; another seed different ones', () => {
    assert.deepEqual(sample(42), sample(42));
    assert.notDeepEqual(sample(42), sample(43));
  });

  test('output depends only on the user\'s Rng, not on other users drawing in between', () => {
    const alone = new ContinuumData(new Rng(7, 1));
    const a = [alone.conversation(), alone.query()];
    const interleaved = new ContinuumData(new Rng(7, 1));
    const other = new ContinuumData(new Rng(7, 2));
    const first = interleaved.conversation();
    other.conversation();
    other.query(5, 9);
    assert.deepEqual([first, interleaved.query()], a);
  });

  test('conversations and queries carry concepts the server can extract', () => {
    const data = new ContinuumData(new Rng(1));
    for (let i = 0; i < 50; i++) {
      const c = data.conversation();
      assert.ok(c.user_message.length > 20 && c.ai_response.length > 20);
      assert.match(c.ai_response, /[A-Z][a-z]+ /, 'names a capitalised entity');
      const words = data.query(2, 4).split(/\s+/).filter((w) => /[a-z]{2}/i.test(w));
      assert.ok(words.length >= 2, 'a multi-concept query has several words');
    }
    for (const c of data.federatedConcepts(20)) {
      assert.ok(['person', 'organization', 'place', 'concept'].includes(c.type));
      assert.ok(c.name.trim().length > 0 && c.name.length <= 200);
    }
  });
});

describe('ConceptIdPool', () => {
  test('keeps the most recent ids up to its capacity, without duplicates', () => {
    const pool = new ConceptIdPool(3);
    pool.add(['c1', 'c2', 'c3', 'c2', 'c4', 7, '', null]);
    assert.equal(pool.size, 3);
    const rng = new Rng(1);
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) seen.add(pool.pick(rng));
    assert.deepEqual([...seen].sort(), ['c2', 'c3', 'c4']);
  });

  test('take() removes, forget() drops, an empty pool hands out the never-existing id', () => {
    const pool = new ConceptIdPool();
    const rng = new Rng(2);
    assert.equal(pool.pick(rng), NO_CONCEPT_ID);
    pool.add(['c5', 'c6']);
    const taken = pool.take(rng);
    assert.ok(['c5', 'c6'].includes(taken));
    assert.equal(pool.size, 1);
    pool.forget(taken === 'c5' ? 'c6' : 'c5');
    assert.equal(pool.size, 0);
    assert.equal(pool.take(rng), NO_CONCEPT_ID);
  });
});
