/**
 * The memory scenario's user (seed: "1. Memory Operations"): CRUD on the memory system.
 *
 * Seed distribution → normalised (rule in support/task-mix.ts: groups keep their share, items
 * split it in their stated proportions):
 *   READ 60 %   recall_memory 60, get_stats 5, list_entities 3 (sum 68)  → 52.94 / 4.41 / 2.65
 *   WRITE 35 %  learn_new_memory 20, update_memory 15, process_turn 2 (37) → 18.92 / 14.19 / 1.89
 *   Mixed 5 %   "various verification operations": the seed names none, and its targets ask for
 *               100 deletes/min beside 500 updates/min, so: verify (GET /concepts/[id]) 3 and
 *               delete_memory (DELETE /concepts/[id]) 2                        → 3.00 / 2.00
 * Think time 1–5 s: 500 users then send ~167 req/s, the seed's 50 000–100 000 requests in 10 min.
 */
import { task } from '../src/index.js';
import { ContinuumUser } from './support/continuum-user.js';
import * as req from './support/memory-requests.js';
import { normaliseMix, weightOf } from './support/task-mix.js';

export const MEMORY_MIX = normaliseMix([
  {
    label: 'read',
    share: 60,
    items: [
      { task: 'recallMemory', request: 'POST /recall', weight: 60 },
      { task: 'getStats', request: 'GET /stats', weight: 5 },
      { task: 'listEntities', request: 'GET /entities', weight: 3 },
    ],
  },
  {
    label: 'write',
    share: 35,
    items: [
      { task: 'learnNewMemory', request: 'POST /learn', weight: 20 },
      { task: 'updateMemory', request: 'PUT /concepts/[id]', weight: 15 },
      { task: 'processTurn', request: 'POST /turn', weight: 2 },
    ],
  },
  {
    label: 'mixed',
    share: 5,
    items: [
      { task: 'verifyMemory', request: 'GET /concepts/[id]', weight: 3 },
      { task: 'deleteMemory', request: 'DELETE /concepts/[id]', weight: 2 },
    ],
  },
]);

const w = (name: string): number => weightOf(MEMORY_MIX, name);

export class MemoryOperationsUser extends ContinuumUser {
  static override weight = 1;

  /** One conversation first, so updates and deletes have concepts to address. */
  override async onStart(): Promise<void> {
    await req.learn(this);
  }

  @task(w('recallMemory'))
  async recallMemory(): Promise<void> {
    await req.recallPost(this, this.data.query(), 10);
  }

  @task(w('getStats'))
  async getStats(): Promise<void> {
    await req.stats(this);
  }

  @task(w('listEntities'))
  async listEntities(): Promise<void> {
    await req.listEntities(this, { page: this.rng.int(1, 3), per_page: 20 }, req.STATS_NAMES.entities);
  }

  @task(w('learnNewMemory'))
  async learnNewMemory(): Promise<void> {
    await req.learn(this);
  }

  @task(w('updateMemory'))
  async updateMemory(): Promise<void> {
    await req.updateConcept(this);
  }

  @task(w('processTurn'))
  async processTurn(): Promise<void> {
    await req.turn(this);
  }

  @task(w('verifyMemory'))
  async verifyMemory(): Promise<void> {
    await req.getConcept(this);
  }

  @task(w('deleteMemory'))
  async deleteMemory(): Promise<void> {
    await req.deleteConcept(this);
  }
}
