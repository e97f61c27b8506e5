/**
 * Small deterministic embeddings for /search/embedding: each token gets a pseudo-random unit
 * vector seeded by its hash, a name's vector is the normalised sum of its tokens' vectors. So
 * names sharing words are near each other, like a (very) poor man's sentence embedding.
 */
import { createPrng, hashString } from './prng.js';

export const EMBEDDING_DIMENSIONS = 32;

function tokenVector(token: string, into: Float32Array): void {
  const next = createPrng(hashString(token));
  for (let d = 0; d < EMBEDDING_DIMENSIONS; d++) into[d] = (into[d] as number) + (next() * 2 - 1);
}

/** Unit vector for a list of tokens, or undefined when there is nothing to embed. */
export function embedTokens(tokens: readonly string[]): Float32Array | undefined {
  if (tokens.length === 0) return undefined;
  const vector = new Float32Array(EMBEDDING_DIMENSIONS);
  for (const token of tokens) tokenVector(token, vector);
  return normalise(vector);
}

/** Scales to unit length in place; undefined for a zero vector (it has no direction). */
export function normalise(vector: Float32Array): Float32Array | undefined {
  let sum = 0;
  for (let d = 0; d < vector.length; d++) sum += (vector[d] as number) ** 2;
  if (sum === 0 || !Number.isFinite(sum)) return undefined;
  const norm = Math.sqrt(sum);
  for (let d = 0; d < vector.length; d++) vector[d] = (vector[d] as number) / norm;
  return vector;
}

/** Dot product; equals cosine similarity for unit vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += (a[d] as number) * (b[d] as number);
  return sum;
}
