/**
 * federation: peer-to-peer sync (seed: "3. Federation Operations", 200 users, 5 min).
 * Task mix and the handling of 404 (federation off) and 409 (conflict): users/federation-user.ts.
 *
 * Targets: P95 < 500 ms, P99 < 2 000 ms, errors < 5 % (the seed's tolerance for distributed
 * systems). NOT targets: "100 syncs/second" — at the default load (~100 req/s in all, 29 % syncs)
 * that is unreachable, and the seed's own expected results (8 000–12 000 syncs in 5 min) are
 * ~30/s; "10 concurrent peer connections" — every virtual user is a peer, and the `peer_count`
 * custom metric reports how many the server sees.
 */
import { defineScenario } from '../src/index.js';
import { FederationUser } from '../users/federation-user.js';
import { scenarioTargets } from './scenario-targets.js';

export const federationScenario = defineScenario({
  name: 'federation',
  description: 'federation: contribute 38%, sync 29%, discover peers 19%, conflicts 10%, heartbeat 5%',
  userClasses: [FederationUser],
  users: 200,
  spawnRate: 20,
  runTimeSec: 300,
  targets: scenarioTargets('federation'),
});
