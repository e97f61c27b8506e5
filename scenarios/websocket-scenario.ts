/**
 * websocket: the conversation stream over WebSocket (seed: "WebSocket — Connections: support 1000
 * concurrent connections; Messages: 100 msg/sec per connection"). User: users/conversation-user.ts,
 * one connection per user to GET /ws/conversation, turns 90 % and pings 10 %, paced per connection.
 *
 * Scaled by default: 50 connections × 10 msg/s (500 msg/s), which a small machine sends and serves
 * together with room to spare. The seed's connection count is `-u 1000 --processes auto`: 10 000
 * msg/s, for a machine with cores to spare (on 2 cores, generator and demo server together top out
 * near 3 500 msg/s; 1 000 connections at 2 msg/s each run clean there). The full load, 1 000
 * connections × 100 msg/s = 100 000 messages a second, is for a real target (-H), from a test file
 * that raises the per-connection rate, over every core or several machines (--master / --worker):
 *
 *   // ws-full.mjs, beside node_modules/ (in a brood checkout, after the build: './dist/users/…')
 *   import { constantThroughput } from 'brood';
 *   import { ConversationUser } from './node_modules/brood/dist/users/conversation-user.js';
 *   import { scenarioTargets } from './node_modules/brood/dist/scenarios/scenario-targets.js';
 *   export const targets = scenarioTargets('websocket');
 *   export class FullRateConversationUser extends ConversationUser { waitTime = constantThroughput(100); }
 *
 *   run-load-tests -f ws-full.mjs -H http://target:8000 -u 1000 -r 100 -t 5m --processes auto
 *
 * (Compiled files, not users/*.ts: a test file and the CLI must share one copy of brood.)
 *
 * Targets:
 * - Turn round trip P99 < 200 ms (the `WS turn` row: send → ack).
 * - Error rate < 1 % over the Aggregated row, i.e. every WS row: handshakes, turns, pings, closes
 *   (the WSR rows of pushed recalls are messages, not requests, and stay out of it).
 * - No connection refused or dropped: error rate 0 over `WS connect /ws/conversation` and
 *   `WS close /ws/conversation` (a close by the server or the network is a failure in the latter;
 *   a clean run has no close row, and the connect row still measures 0).
 * - Messages sent ≥ 95 % of the requested rate, over the turn and ping rows: computed for each
 *   run from its own load (targetsFor), since the requested rate is users × 10 msg/s. Users start
 *   evenly over the ramp (users ÷ spawn rate seconds), so a connection that holds its pace sends
 *   10 × (run time − its start) messages: the requested count is users × 10 × (T − ramp / 2), and
 *   the threshold is 95 % of it over the run's T seconds (req/s as every rate target counts them).
 *   A fixed threshold would be wrong for every user count but one.
 */
import { defineScenario, type ScenarioLoad, type Target } from '../src/index.js';
import { CONVERSATION_RATE, ConversationUser } from '../users/conversation-user.js';
import { scenarioTargets } from './scenario-targets.js';

export const websocketScenario = defineScenario({
  name: 'websocket',
  description: "WebSocket turns/pings, scaled: 50 conns × 10 msg/s of the seed's 1000 × 100 (-u 1000 --processes auto; 100/s: README)",
  userClasses: [ConversationUser],
  users: 50,
  spawnRate: 50,
  runTimeSec: 60,
  targets: scenarioTargets('websocket'),
  targetsFor: sentRateTarget,
});

/** "Messages sent ≥ 95 % of the requested rate" for this run's users, ramp and run time (see above). */
export function sentRateTarget(load: ScenarioLoad): Target[] {
  const rampSec = Math.min(load.users / load.spawnRate, load.runTimeSec);
  const requestedPerSec = (load.users * CONVERSATION_RATE * (load.runTimeSec - rampSec / 2)) / load.runTimeSec;
  return [{
    label: `Messages sent >= 95% of ${load.users} conns × ${CONVERSATION_RATE}/s`,
    metric: 'rps', comparator: '>=', threshold: Math.floor(0.95 * requestedPerSec * 100) / 100, endpoints: ['WS turn', 'WS ping'],
  }];
}
