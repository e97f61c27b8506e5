/**
 * The federation scenario's user (seed: "3. Federation Operations"): one federation peer per
 * virtual user, contributing, syncing and discovering. 404s from a target without federation and
 * 409 conflicts are outcomes, not failures: see support/federation-requests.ts.
 *
 * Seed distribution (items sum to 105 %) → normalised by 100/105 (support/task-mix.ts):
 *   contribute_memory 40   POST /federation/contribute           → 38.10 %
 *   request_sync 30        POST /federation/sync                 → 28.57 %
 *   discover_peers 20      GET /federation/peers                 → 19.05 %
 *   simulate_conflict 10   POST /federation/sync [conflict]      →  9.52 %
 *   send_heartbeat 5       POST /federation/heartbeat            →  4.76 %
 * Think time 1–3 s: 200 users send ~100 req/s, the seed's 20 000–30 000 requests in 5 min.
 */
import { between, task } from '../src/index.js';
import { ContinuumUser } from './support/continuum-user.js';
import * as fed from './support/federation-requests.js';
import { normaliseMix, weightOf } from './support/task-mix.js';

export const FEDERATION_MIX = normaliseMix([
  {
    label: 'federation',
    share: 100,
    items: [
      { task: 'contributeMemory', request: `POST ${fed.FEDERATION_NAMES.contribute}`, weight: 40 },
      { task: 'requestSync', request: `POST ${fed.FEDERATION_NAMES.sync}`, weight: 30 },
      { task: 'discoverPeers', request: `GET ${fed.FEDERATION_NAMES.peers}`, weight: 20 },
      { task: 'simulateConflict', request: `POST ${fed.FEDERATION_NAMES.conflict}`, weight: 10 },
      { task: 'sendHeartbeat', request: `POST ${fed.FEDERATION_NAMES.heartbeat}`, weight: 5 },
    ],
  },
]);

const w = (name: string): number => weightOf(FEDERATION_MIX, name);

export class FederationUser extends ContinuumUser implements fed.FederationSession {
  static override weight = 1;
  override waitTime = between(1, 3);
  readonly peerId = `brood-peer-${this.userId}`;
  readonly knownVersions = new Map<string, number>();
  cursor = 0;

  @task(w('contributeMemory'))
  async contributeMemory(): Promise<void> {
    await fed.contribute(this);
  }

  @task(w('requestSync'))
  async requestSync(): Promise<void> {
    await fed.requestSync(this);
  }

  @task(w('discoverPeers'))
  async discoverPeers(): Promise<void> {
    await fed.discoverPeers(this);
  }

  @task(w('simulateConflict'))
  async simulateConflict(): Promise<void> {
    await fed.simulateConflict(this);
  }

  @task(w('sendHeartbeat'))
  async sendHeartbeat(): Promise<void> {
    await fed.heartbeat(this);
  }
}
