/**
 * search: retrieval under load (seed: "2. Search Operations", 300 users, 5 min).
 * Task mix: users/search-user.ts. Targets are the seed's:
 *
 * - 1 000 semantic searches/min → POST /recall; 500 graph traversals/min → the complex
 *   multi-concept queries (POST /search/embedding). Gating: at the default load (300 users, 1–3 s
 *   think time ≈ 150 req/s) they run at ~4 100 and ~2 450 a minute.
 * - 2 000 full-text searches/min: NOT a target. CONTINUUM has no full-text endpoint to name, and
 *   the seed's own expected results (~4 500 entity searches in 5 min) are below that rate.
 */
import { defineScenario } from '../src/index.js';
import { SearchUser } from '../users/search-user.js';
import { scenarioTargets } from './scenario-targets.js';

export const searchScenario = defineScenario({
  name: 'search',
  description: 'search: semantic recall 45%, multi-concept embedding 27%, entity filter 14%, targeted recall 9%, paging 5%',
  userClasses: [SearchUser],
  users: 300,
  spawnRate: 30,
  runTimeSec: 300,
  targets: scenarioTargets('search'),
});
