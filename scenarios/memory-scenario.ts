/**
 * memory: CRUD on the memory system (seed: "1. Memory Operations", 500 users, 10 min).
 * Task mix: users/memory-operations-user.ts. Targets are the seed's, with one exception:
 *
 * - 1 000 creates/min, 500 updates/min, 100 deletes/min: gating. At the default load (500 users,
 *   1–5 s think time ≈ 167 req/s) the mix gives ~1 900 creates, ~1 400 updates and ~200 deletes a
 *   minute, so they hold with margin — and fail, as they should, when --users is far lower.
 * - 10 000 reads/min: NOT a target. It would need ~265 req/s, more than the seed's own load
 *   produces (its expected results list ~30 000 reads in 10 min, i.e. ~3 000/min); the reads rate
 *   is in the report's stats for whoever wants to compare.
 */
import { defineScenario } from '../src/index.js';
import { MemoryOperationsUser } from '../users/memory-operations-user.js';
import { scenarioTargets } from './scenario-targets.js';

export const memoryScenario = defineScenario({
  name: 'memory',
  description: 'memory CRUD: recall 53%, learn 19%, update 14%, stats, entities, turn, verify, delete',
  userClasses: [MemoryOperationsUser],
  users: 500,
  spawnRate: 50,
  runTimeSec: 600,
  targets: scenarioTargets('memory'),
});
