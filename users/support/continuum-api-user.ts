/**
 * The full-API user: one method per operation of the seed's api workload. Subclasses choose the
 * mix with `static tasks = taskWeights(apiMix(readShare))` and their think time; see api-mix.ts.
 */
import { ContinuumUser } from './continuum-user.js';
import * as req from './memory-requests.js';

export abstract class ContinuumApiUser extends ContinuumUser {
  static override abstract = true;

  /** Seeds the shared memory with one conversation so the first recalls find something. */
  override async onStart(): Promise<void> {
    await req.learn(this);
  }

  /** recall_context: context for a two-to-four-concept query. */
  async recall(): Promise<void> {
    await req.recallPost(this, this.data.query(), 10);
  }

  /** check_stats */
  async checkStats(): Promise<void> {
    await req.stats(this);
  }

  /** browse_entities: one of the first five pages of everything. */
  async browseEntities(): Promise<void> {
    await req.listEntities(this, { page: this.rng.int(1, 5), per_page: 20 }, req.STATS_NAMES.entities);
  }

  /** health_check */
  async healthCheck(): Promise<void> {
    await req.health(this);
  }

  /** semantic_search: a short query as GET /recall. */
  async semanticSearch(): Promise<void> {
    await req.recallGet(this, this.data.query(1, 2), 5);
  }

  /** complex_search: a multi-concept query over the embedding index. */
  async complexSearch(): Promise<void> {
    await req.embeddingSearch(this, this.data.query(3, 5), 10);
  }

  /** learn_from_conversation */
  async learn(): Promise<void> {
    await req.learn(this);
  }

  /** process_full_turn */
  async processTurn(): Promise<void> {
    await req.turn(this);
  }
}
