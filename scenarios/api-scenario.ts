/**
 * api: realistic production usage (seed: "4. Full API Workload", 1 000 users, 10 min): Heavy
 * Readers, Balanced users and Content Creators, a third each, reads/writes 60/40 overall (the mix
 * and how the seed's inconsistent percentages were reconciled: users/support/api-mix.ts).
 *
 * Targets: P50 < 50 ms, P95 < 200 ms, P99 < 500 ms, errors < 1 %. NOT a target: "50 000
 * requests/minute" — 1 000 users at the seed's 1–5 s think time send ~20 000/min, and the seed's
 * own expected results say 12 000–18 000/min.
 */
import { defineScenario } from '../src/index.js';
import { BalancedUser } from '../users/balanced-user.js';
import { ContentCreatorUser } from '../users/content-creator-user.js';
import { HeavyReaderUser } from '../users/heavy-reader-user.js';
import { scenarioTargets } from './scenario-targets.js';

export const apiScenario = defineScenario({
  name: 'api',
  description: 'full API: heavy readers, balanced users and content creators (1/3 each), reads/writes 60/40',
  userClasses: [HeavyReaderUser, BalancedUser, ContentCreatorUser],
  users: 1000,
  spawnRate: 100,
  runTimeSec: 600,
  targets: scenarioTargets('api'),
});
