/**
 * The CONTINUUM memory requests every workload is made of, one function per request, each with its
 * response check and the seed's custom metrics (concepts_extracted, concepts_found,
 * relationships_found, query_time_ms). Stats names are stable and id-free: "/learn", "/recall",
 * "/concepts/[id]", "/entities"…, so a run's rows group by operation, not by URL.
 */
import type { BroodResponse, HttpSession, Rng } from '../../src/index.js';
import type { ConceptIdPool } from './concept-id-pool.js';
import type { ContinuumData } from './continuum-data.js';
import { expectOk, idsOf, jsonObject, numberField, statusReason, type JsonBody } from './response-checks.js';

/** What a CONTINUUM task needs from its user (HttpUser + generated data + known ids). */
export interface ContinuumSession {
  readonly client: HttpSession;
  readonly rng: Rng;
  readonly data: ContinuumData;
  readonly conceptIds: ConceptIdPool;
  metric(name: string, value: number): void;
}

export const STATS_NAMES = {
  learn: '/learn',
  recall: '/recall',
  turn: '/turn',
  concept: '/concepts/[id]',
  entities: '/entities',
  entitiesByType: '/entities?type=[type]',
  entitiesPage: '/entities?page=[page]',
  stats: '/stats',
  health: '/health',
  embedding: '/search/embedding',
} as const;

function recordMetrics(s: ContinuumSession, body: JsonBody, fields: readonly string[]): void {
  for (const field of fields) {
    const value = numberField(body, field);
    if (value !== undefined) s.metric(field, value);
  }
}

const RECALL_METRICS = ['concepts_found', 'relationships_found', 'query_time_ms'] as const;

/** POST /learn with a generated conversation. */
export async function learn(s: ContinuumSession): Promise<void> {
  const r = await s.client.post('/learn', { json: s.data.conversation(), name: STATS_NAMES.learn, catchResponse: true });
  const body = expectOk(r);
  if (body === null) return;
  recordMetrics(s, body, ['concepts_extracted']);
  s.conceptIds.add(Array.isArray(body.concept_ids) ? body.concept_ids : []);
}

/** POST /recall {query, limit}: context retrieval. */
export async function recallPost(s: ContinuumSession, query: string, limit: number): Promise<void> {
  const r = await s.client.post('/recall', { json: { query, limit }, name: STATS_NAMES.recall, catchResponse: true });
  const body = expectOk(r);
  if (body === null) return;
  recordMetrics(s, body, RECALL_METRICS);
  s.conceptIds.add(idsOf(body, 'results'));
}

/** GET /recall?q=&limit=: the same retrieval as a GET (targeted recall, semantic search). */
export async function recallGet(s: ContinuumSession, query: string, limit: number): Promise<void> {
  const r = await s.client.get('/recall', { query: { q: query, limit }, name: STATS_NAMES.recall, catchResponse: true });
  const body = expectOk(r);
  if (body === null) return;
  recordMetrics(s, body, RECALL_METRICS);
  s.conceptIds.add(idsOf(body, 'results'));
}

/** POST /turn: recall + learn in one exchange. */
export async function turn(s: ContinuumSession): Promise<void> {
  const r = await s.client.post('/turn', { json: s.data.conversation(), name: STATS_NAMES.turn, catchResponse: true });
  const body = expectOk(r);
  if (body === null) return;
  recordMetrics(s, body, [...RECALL_METRICS, 'concepts_extracted']);
  s.conceptIds.add(Array.isArray(body.concept_ids) ? body.concept_ids : []);
}

/** POST /search/embedding {query, k}: nearest concepts to a multi-concept query. */
export async function embeddingSearch(s: ContinuumSession, query: string, k: number): Promise<void> {
  const r = await s.client.post('/search/embedding', { json: { query, k }, name: STATS_NAMES.embedding, catchResponse: true });
  const body = expectOk(r);
  if (body === null) return;
  recordMetrics(s, body, ['concepts_found', 'query_time_ms']);
  s.conceptIds.add(idsOf(body, 'results'));
}

/** GET /entities with a query and its own stats name (browse, filter by type, deep pages). */
export async function listEntities(s: ContinuumSession, query: Record<string, string | number>, name: string): Promise<void> {
  const r = await s.client.get('/entities', { query, name, catchResponse: true });
  const body = expectOk(r);
  if (body !== null) s.conceptIds.add(idsOf(body, 'items'));
}

export async function stats(s: ContinuumSession): Promise<void> {
  expectOk(await s.client.get('/stats', { name: STATS_NAMES.stats, catchResponse: true }));
}

export async function health(s: ContinuumSession): Promise<void> {
  const r = await s.client.get('/health', { name: STATS_NAMES.health, catchResponse: true });
  const body = jsonObject(r);
  if (r.status === 200 && body?.status === 'ok') r.success();
  else r.failure(r.status === 200 ? 'health status is not "ok"' : statusReason(r, body));
}

/**
 * The shared-memory race: every user of a space sees the same concepts, so one user's DELETE (or
 * the server evicting its oldest concepts past --max-concepts) makes another user's id vanish.
 * A 404 on /concepts/[id] is therefore expected under load: it counts as a success, the id is
 * forgotten, and the custom metric `concept_gone` makes the rate visible in the report.
 */
function conceptGone(s: ContinuumSession, r: BroodResponse, id: string): boolean {
  if (r.status !== 404) return false;
  s.conceptIds.forget(id);
  s.metric('concept_gone', 1);
  r.success();
  return true;
}

/** GET /concepts/:id: verify a concept this user learned or recalled. */
export async function getConcept(s: ContinuumSession): Promise<void> {
  const id = s.conceptIds.pick(s.rng);
  const r = await s.client.get(`/concepts/${encodeURIComponent(id)}`, { name: STATS_NAMES.concept, catchResponse: true });
  if (conceptGone(s, r, id)) return;
  const body = expectOk(r);
  if (body !== null) s.conceptIds.add(idsOf(body, 'related'));
}

/** PUT /concepts/:id with a new description and metadata (never the name: that could collide). */
export async function updateConcept(s: ContinuumSession): Promise<void> {
  const id = s.conceptIds.pick(s.rng);
  const json = { description: s.data.description(), metadata: { source: 'brood', reviewed: true } };
  const r = await s.client.put(`/concepts/${encodeURIComponent(id)}`, { json, name: STATS_NAMES.concept, catchResponse: true });
  if (conceptGone(s, r, id)) return;
  expectOk(r);
}

/** DELETE /concepts/:id of a known concept. */
export async function deleteConcept(s: ContinuumSession): Promise<void> {
  const id = s.conceptIds.take(s.rng);
  const r = await s.client.delete(`/concepts/${encodeURIComponent(id)}`, { name: STATS_NAMES.concept, catchResponse: true });
  if (conceptGone(s, r, id)) return;
  expectOk(r);
}
