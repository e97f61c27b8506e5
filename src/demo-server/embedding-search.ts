/**
 * k-nearest concepts by cosine similarity. A brute-force scan on purpose: this is the server's
 * expensive endpoint (O(concepts × 32)), the one an open-model load test should be able to saturate.
 * Vectors are computed lazily and cached on the concept.
 */
import { type Concept, formatConceptId } from './concept.js';
import { dot, embedTokens } from './concept-vector.js';
import type { MemorySpace } from './memory-space.js';

export interface Neighbour {
  id: string;
  name: string;
  score: number;
}

export const MAX_K = 100;

export function nearestConcepts(space: MemorySpace, query: Float32Array, k: number): Neighbour[] {
  // Sorted best-first; k ≤ 100 so insertion into a small array beats a heap in practice.
  const best: Array<{ concept: Concept; score: number }> = [];
  for (const concept of space.concepts.values()) {
    const vector = concept.vector ?? (concept.vector = embedTokens(concept.tokens));
    if (vector === undefined) continue;
    const score = dot(query, vector);
    if (best.length === k && score <= (best[k - 1] as { score: number }).score) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1] as { score: number }).score < score) at--;
    best.splice(at, 0, { concept, score });
    if (best.length > k) best.pop();
  }
  return best.map(({ concept, score }) => ({
    id: formatConceptId(concept.id), name: concept.name, score: Math.round(score * 10_000) / 10_000,
  }));
}
