/**
 * quick: the 2-minute smoke test (seed: "Quick Smoke Test (2 min, 50 users)": ~5 000–10 000
 * requests, P95 < 200 ms, errors < 1 %). One user class per workload, equal weights, so every
 * endpoint of the API — memory CRUD, search, federation — is touched; the burst users bring the
 * rate to ~50 req/s at 50 users (~6 000 requests in 2 minutes).
 */
import { defineScenario } from '../src/index.js';
import { BurstTrafficUser } from '../users/burst-traffic-user.js';
import { FederationUser } from '../users/federation-user.js';
import { MemoryOperationsUser } from '../users/memory-operations-user.js';
import { RealisticAPIUser } from '../users/realistic-api-user.js';
import { SearchUser } from '../users/search-user.js';
import { scenarioTargets } from './scenario-targets.js';

export const quickScenario = defineScenario({
  name: 'quick',
  description: 'smoke test: every CONTINUUM endpoint at light load (API, burst, memory, search, federation users)',
  userClasses: [RealisticAPIUser, BurstTrafficUser, MemoryOperationsUser, SearchUser, FederationUser],
  users: 50,
  spawnRate: 10,
  runTimeSec: 120,
  targets: scenarioTargets('quick'),
});
