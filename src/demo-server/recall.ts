/**
 * Context retrieval: rank the concepts sharing tokens with the query. Only the postings of the
 * query's tokens are visited, so a recall costs O(query tokens × matching concepts), whatever the
 * size of the space. Score = shared tokens / sqrt(concept tokens × query tokens) (binary cosine),
 * ties broken by mentions, then by recency.
 */
import { performance } from 'node:perf_hooks';
import { type Concept, formatConceptId } from './concept.js';
import type { MemorySpace } from './memory-space.js';
import { queryTokens } from './tokenizer.js';

export interface RecallHit {
  id: string;
  name: string;
  type: string;
  score: number;
}

export interface RecallResult {
  context: string;
  conceptsFound: number;
  relationshipsFound: number;
  queryTimeMs: number;
  results: RecallHit[];
}

export const DEFAULT_RECALL_LIMIT = 10;
export const MAX_RECALL_LIMIT = 100;
/** Postings are capped per query token so one very common token cannot make a recall O(space). */
const MAX_CANDIDATES_PER_TOKEN = 5_000;
const CONTEXT_NAMES = 5;

export function recall(space: MemorySpace, query: string, limit: number): RecallResult {
  const started = performance.now();
  const tokens = queryTokens(query);
  const shared = new Map<number, number>();
  for (const token of tokens) {
    const posting = space.index.lookup(token);
    if (posting === undefined) continue;
    let taken = 0;
    for (const id of posting) {
      if (taken++ >= MAX_CANDIDATES_PER_TOKEN) break;
      shared.set(id, (shared.get(id) ?? 0) + 1);
    }
  }
  const ranked = rank(space, shared, tokens.length).slice(0, limit);
  const results = ranked.map(({ concept, score }) => ({
    id: formatConceptId(concept.id), name: concept.name, type: concept.type, score: Math.round(score * 10_000) / 10_000,
  }));
  const relationshipsFound = countRelationships(space, ranked.map((r) => r.concept.id));
  return {
    context: buildContext(ranked.map((r) => r.concept)),
    conceptsFound: results.length,
    relationshipsFound,
    queryTimeMs: Math.round((performance.now() - started) * 1000) / 1000,
    results,
  };
}

function rank(space: MemorySpace, shared: Map<number, number>, queryTokenCount: number): Array<{ concept: Concept; score: number }> {
  const ranked: Array<{ concept: Concept; score: number }> = [];
  for (const [id, count] of shared) {
    const concept = space.get(id);
    if (concept === undefined) continue;
    ranked.push({ concept, score: count / Math.sqrt(concept.tokens.length * queryTokenCount) });
  }
  ranked.sort((a, b) => b.score - a.score || b.concept.mentions - a.concept.mentions || b.concept.id - a.concept.id);
  return ranked;
}

/** Relationships touching the found concepts, each counted once: degrees minus the pairs inside the set. */
function countRelationships(space: MemorySpace, ids: number[]): number {
  let total = 0;
  for (let i = 0; i < ids.length; i++) {
    const a = ids[i] as number;
    total += space.graph.degree(a);
    for (let j = i + 1; j < ids.length; j++) if (space.graph.has(a, ids[j] as number)) total--;
  }
  return total;
}

function buildContext(concepts: Concept[]): string {
  if (concepts.length === 0) return '';
  const parts = concepts.slice(0, CONTEXT_NAMES).map((c) => (c.description === '' ? c.name : `${c.name} (${c.description})`));
  return `Relevant memories: ${parts.join('; ')}.`;
}
