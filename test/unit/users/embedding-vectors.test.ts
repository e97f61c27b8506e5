import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/core/rng.js';
import { EmbeddingVectors } from '../../../users/support/embedding-vectors.js';
import { DATA_LIMITS } from '../../../src/core/toml-scenario.js';

/** An Rng that counts its draws: the work per vector, measured without a clock. */
class CountingRng extends Rng {
  draws = 0;
  override nextUint32(): number {
    this.draws++;
    return super.nextUint32();
  }
}

const clustered = (numClusters: number, stdDev: number) => ({ type: 'clustered' as const, numClusters, stdDev });

test('a vector is JSON of embedding_dim finite numbers, for dimensions on and off the block size', () => {
  for (const dim of [32, 100, 768, DATA_LIMITS.embeddingDim.max]) {
    for (const distribution of [clustered(20, 0.15), { type: 'uniform' as const, numClusters: 10, stdDev: 0.1 }, { type: 'normal' as const, numClusters: 10, stdDev: 0.1 }]) {
      const v = JSON.parse(new EmbeddingVectors(dim, distribution).json(new Rng(1))) as unknown;
      assert.ok(Array.isArray(v) && v.length === dim, `${dim} ${distribution.type}`);
      assert.ok(v.every((x) => typeof x === 'number' && Number.isFinite(x)));
    }
  }
});

test('the work per request is one draw per 64 components (was two per component), whatever the dimension', () => {
  for (const dim of [768, DATA_LIMITS.embeddingDim.max]) {
    const vectors = new EmbeddingVectors(dim, clustered(50, 0.1));
    const rng = new CountingRng(3);
    for (let i = 0; i < 10; i++) vectors.json(rng);
    assert.ok(rng.draws <= 10 * (Math.ceil(dim / 64) + 1), `${rng.draws} draws for 10 vectors of ${dim}`);
  }
});

test('seeded: the same stream gives the same vectors; successive vectors differ', () => {
  const vectors = new EmbeddingVectors(768, clustered(20, 0.15));
  const a = new Rng(9);
  const b = new Rng(9);
  const first = vectors.json(a);
  assert.equal(first, new EmbeddingVectors(768, clustered(20, 0.15)).json(b), 'another user class of the same scenario (another worker thread) encodes the same');
  const seen = new Set([first]);
  for (let i = 0; i < 200; i++) seen.add(vectors.json(a));
  assert.equal(seen.size, 201);
});

test('distributions: uniform in [-1, 1), normal around 0 with variance 1, clustered on its centres (std_dev 0: one vector per cluster)', () => {
  const sample = (v: EmbeddingVectors, n: number): number[] => {
    const rng = new Rng(5);
    return Array.from({ length: n }, () => JSON.parse(v.json(rng)) as number[]).flat();
  };
  const uniform = sample(new EmbeddingVectors(256, { type: 'uniform', numClusters: 1, stdDev: 0 }), 50);
  assert.ok(uniform.every((x) => x >= -1 && x < 1));
  assert.ok(Math.abs(uniform.reduce((s, x) => s + x, 0) / uniform.length) < 0.05);
  const normal = sample(new EmbeddingVectors(256, { type: 'normal', numClusters: 1, stdDev: 0 }), 50);
  const mean = normal.reduce((s, x) => s + x, 0) / normal.length;
  const variance = normal.reduce((s, x) => s + (x - mean) ** 2, 0) / normal.length;
  assert.ok(Math.abs(mean) < 0.1 && Math.abs(variance - 1) < 0.15, `mean ${mean}, variance ${variance}`);
  const one = new EmbeddingVectors(128, clustered(1, 0));
  const rng = new Rng(2);
  assert.equal(one.json(rng), one.json(rng), 'one cluster, no noise: its centre every time');
  const noisy = new EmbeddingVectors(128, clustered(1, 0.1));
  const x = JSON.parse(noisy.json(rng)) as number[];
  const centre = JSON.parse(one.json(rng)) as number[];
  const spread = Math.sqrt(x.reduce((s, v, i) => s + (v - (centre[i] ?? 0)) ** 2, 0) / x.length);
  assert.ok(spread > 0.05 && spread < 0.2, `std_dev 0.1 around the centre, measured ${spread}`);
});
