/**
 * The search scenario's user (seed: "2. Search Operations"): retrieval under load.
 *
 * Seed distribution (items sum to 110 %) → normalised by 100/110 (support/task-mix.ts):
 *   semantic_search 50         POST /recall (limit 10)                → 45.45 %
 *   complex_semantic_search 30 POST /search/embedding, 3–5 concepts  → 27.27 %
 *   entity_search 15           GET /entities?type=[type]              → 13.64 %
 *   pagination_search 5        GET /entities?page=[page], 100/page    →  4.55 %
 *   targeted_recall 10         GET /recall, limit 1–50                →  9.09 %
 * Think time 1–3 s: 300 users send ~150 req/s, the seed's 30 000–50 000 requests in 5 min.
 */
import { between, task } from '../src/index.js';
import { CONCEPT_TYPES } from './support/continuum-data.js';
import { ContinuumUser } from './support/continuum-user.js';
import * as req from './support/memory-requests.js';
import { normaliseMix, weightOf } from './support/task-mix.js';

export const SEARCH_MIX = normaliseMix([
  {
    label: 'search',
    share: 100,
    items: [
      { task: 'semanticSearch', request: 'POST /recall', weight: 50 },
      { task: 'complexSemanticSearch', request: 'POST /search/embedding', weight: 30 },
      { task: 'entitySearch', request: `GET ${req.STATS_NAMES.entitiesByType}`, weight: 15 },
      { task: 'paginationSearch', request: `GET ${req.STATS_NAMES.entitiesPage}`, weight: 5 },
      { task: 'targetedRecall', request: 'GET /recall', weight: 10 },
    ],
  },
]);

const w = (name: string): number => weightOf(SEARCH_MIX, name);

export class SearchUser extends ContinuumUser {
  static override weight = 1;
  override waitTime = between(1, 3);

  /** Each searcher contributes one conversation, so the corpus grows with the load. */
  override async onStart(): Promise<void> {
    await req.learn(this);
  }

  @task(w('semanticSearch'))
  async semanticSearch(): Promise<void> {
    await req.recallPost(this, this.data.query(1, 3), 10);
  }

  @task(w('complexSemanticSearch'))
  async complexSemanticSearch(): Promise<void> {
    await req.embeddingSearch(this, this.data.query(3, 5), 10);
  }

  @task(w('entitySearch'))
  async entitySearch(): Promise<void> {
    const query = { type: this.rng.pick(CONCEPT_TYPES), page: 1, per_page: 20 };
    await req.listEntities(this, query, req.STATS_NAMES.entitiesByType);
  }

  @task(w('paginationSearch'))
  async paginationSearch(): Promise<void> {
    await req.listEntities(this, { page: this.rng.int(1, 20), per_page: 100 }, req.STATS_NAMES.entitiesPage);
  }

  @task(w('targetedRecall'))
  async targetedRecall(): Promise<void> {
    await req.recallGet(this, this.data.query(1, 2), this.rng.int(1, 50));
  }
}
