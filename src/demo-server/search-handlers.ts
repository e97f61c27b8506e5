/** POST /search/embedding: {vector} or {query}, k nearest concepts by cosine similarity. */
import { performance } from 'node:perf_hooks';
import { optionalString } from './body-fields.js';
import { EMBEDDING_DIMENSIONS, embedTokens, normalise } from './concept-vector.js';
import { MAX_K, nearestConcepts } from './embedding-search.js';
import { HttpError, type JsonObject } from './http-io.js';
import { ok, type Reply, type RequestContext } from './route.js';
import { queryTokens } from './tokenizer.js';

const DEFAULT_K = 10;
const MAX_QUERY_LENGTH = 10_000;

function readK(body: JsonObject): number {
  const k = body.k;
  if (k === undefined) return DEFAULT_K;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > MAX_K) {
    throw new HttpError(400, `"k" must be an integer from 1 to ${MAX_K} (got ${JSON.stringify(k) ?? 'undefined'})`);
  }
  return k;
}

/** Longest vector accepted (the seed's scenarios send embedding_dim = 768; 4096 leaves room). */
const MAX_VECTOR_DIMENSIONS = 4096;

/**
 * Reads a query vector of any length from EMBEDDING_DIMENSIONS up: longer vectors (a client's
 * 768-dimensional embeddings) are folded into the index's dimensions by summing components
 * d mod EMBEDDING_DIMENSIONS, a fixed projection, so the search work still scales with k.
 */
function readVector(value: unknown): Float32Array {
  if (!Array.isArray(value) || value.length < EMBEDDING_DIMENSIONS || value.length > MAX_VECTOR_DIMENSIONS) {
    throw new HttpError(400, `"vector" must be an array of ${EMBEDDING_DIMENSIONS} to ${MAX_VECTOR_DIMENSIONS} numbers`);
  }
  const vector = new Float32Array(EMBEDDING_DIMENSIONS);
  for (let d = 0; d < value.length; d++) {
    const x: unknown = value[d];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new HttpError(400, `"vector[${d}]" must be a finite number`);
    vector[d % EMBEDDING_DIMENSIONS] = (vector[d % EMBEDDING_DIMENSIONS] as number) + x;
  }
  const unit = normalise(vector);
  if (unit === undefined) throw new HttpError(400, '"vector" must not be all zeros');
  return unit;
}

function queryVector(body: JsonObject): Float32Array {
  if (body.vector !== undefined) return readVector(body.vector);
  const query = optionalString(body, 'query', MAX_QUERY_LENGTH);
  if (query === undefined) throw new HttpError(400, `send "vector" (an array of ${EMBEDDING_DIMENSIONS}+ numbers) or "query" (a string)`);
  const vector = embedTokens(queryTokens(query));
  if (vector === undefined) throw new HttpError(400, '"query" has no searchable words');
  return vector;
}

export function handleEmbeddingSearch(ctx: RequestContext): Reply {
  const k = readK(ctx.body);
  const vector = queryVector(ctx.body);
  const started = performance.now();
  const results = nearestConcepts(ctx.space(), vector, k);
  const queryTimeMs = Math.round((performance.now() - started) * 1000) / 1000;
  return ok({ k, results, concepts_found: results.length, query_time_ms: queryTimeMs, dimensions: EMBEDDING_DIMENSIONS });
}
