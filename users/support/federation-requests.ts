/**
 * CONTINUUM federation requests with their checks and the seed's metrics (sync_operations,
 * conflicts_detected, peer_count).
 *
 * Two statuses are outcomes, not failures:
 * - 404 on any /federation/* route: the seed warns that federation endpoints "may return 404 if
 *   not yet implemented" and that these tests "validate load patterns rather than functionality";
 *   the demo server started with --federation off answers exactly that. Such a 404 is recorded as
 *   a success (latency still counts) and the custom metric `federation_unavailable` says how many
 *   there were, so a run against a build without federation passes but cannot pass unnoticed.
 * - 409 from /federation/sync: a detected conflict is the "graceful conflict handling" the seed
 *   asks for; it is a success and feeds `conflicts_detected`.
 */
import type { BroodResponse, HttpSession, Rng } from '../../src/index.js';
import type { ContinuumData } from './continuum-data.js';
import { arrayField, expectOk, jsonObject, numberField, statusReason, type JsonBody } from './response-checks.js';

export interface FederationSession {
  readonly client: HttpSession;
  readonly rng: Rng;
  readonly data: ContinuumData;
  readonly peerId: string;
  /** Concept id → the version this peer last saw. */
  readonly knownVersions: Map<string, number>;
  /** Change-log cursor of the last successful sync. */
  cursor: number;
  metric(name: string, value: number): void;
}

export const FEDERATION_NAMES = {
  contribute: '/federation/contribute',
  sync: '/federation/sync',
  conflict: '/federation/sync [conflict]',
  peers: '/federation/peers',
  heartbeat: '/federation/heartbeat',
} as const;

const MAX_KNOWN = 64;

/** True (and the request settled) when federation is switched off on the target. */
function federationOff(s: FederationSession, r: BroodResponse): boolean {
  if (r.status !== 404) return false;
  s.metric('federation_unavailable', 1);
  r.success();
  return true;
}

function remember(s: FederationSession, id: string, version: number): void {
  s.knownVersions.delete(id);
  s.knownVersions.set(id, version);
  if (s.knownVersions.size > MAX_KNOWN) {
    const oldest = s.knownVersions.keys().next();
    if (oldest.done !== true) s.knownVersions.delete(oldest.value);
  }
}

/** contribute_memory: share one to five concepts. */
export async function contribute(s: FederationSession): Promise<void> {
  const concepts = s.data.federatedConcepts(s.rng.int(1, 5));
  const r = await s.client.post('/federation/contribute', {
    json: { peer_id: s.peerId, concepts }, name: FEDERATION_NAMES.contribute, catchResponse: true,
  });
  if (federationOff(s, r)) return;
  const body = expectOk(r);
  if (body === null) return;
  const versions = body.versions;
  if (typeof versions === 'object' && versions !== null) {
    for (const [id, v] of Object.entries(versions)) if (typeof v === 'number') remember(s, id, v);
  }
}

/** Applies the changes of a successful sync to what this peer knows. */
function applyChanges(s: FederationSession, body: JsonBody): void {
  for (const change of arrayField(body, 'changes')) {
    const c = change as { op?: unknown; id?: unknown; version?: unknown } | null;
    if (typeof c?.id !== 'string') continue;
    if (c.op === 'delete') s.knownVersions.delete(c.id);
    else if (typeof c.version === 'number') remember(s, c.id, c.version);
  }
  const cursor = numberField(body, 'cursor');
  if (cursor !== undefined) s.cursor = cursor;
}

/** Shared by request_sync and simulate_conflict: 200 → changes, 409 → conflicts, 404 → federation off. */
async function sync(s: FederationSession, versions: Record<string, number>, name: string): Promise<void> {
  const r = await s.client.post('/federation/sync', {
    json: { peer_id: s.peerId, cursor: s.cursor, limit: 100, versions }, name, catchResponse: true,
  });
  if (federationOff(s, r)) return;
  const body = jsonObject(r);
  if (r.status === 409 && body !== null) {
    s.metric('conflicts_detected', numberField(body, 'conflicts_detected') ?? 0);
    r.success();
    return;
  }
  if (r.status !== 200 || body === null) {
    r.failure(statusReason(r, body));
    return;
  }
  r.success();
  s.metric('sync_operations', numberField(body, 'sync_operations') ?? 0);
  s.metric('conflicts_detected', numberField(body, 'conflicts_detected') ?? 0);
  applyChanges(s, body);
}

/** Up to `count` known concepts, newest first. */
function someKnown(s: FederationSession, count: number): Array<[string, number]> {
  return [...s.knownVersions.entries()].slice(-count);
}

/** request_sync: changes since the cursor, reporting a few versions this peer holds (never ahead). */
export async function requestSync(s: FederationSession): Promise<void> {
  await sync(s, Object.fromEntries(someKnown(s, 5)), FEDERATION_NAMES.sync);
}

/** simulate_conflict: claim versions the server never issued, so it must detect a conflict (409). */
export async function simulateConflict(s: FederationSession): Promise<void> {
  const versions: Record<string, number> = {};
  for (const [id, v] of someKnown(s, s.rng.int(1, 3))) versions[id] = v + s.rng.int(1, 3);
  await sync(s, versions, FEDERATION_NAMES.conflict);
}

/** discover_peers */
export async function discoverPeers(s: FederationSession): Promise<void> {
  const r = await s.client.get('/federation/peers', { name: FEDERATION_NAMES.peers, catchResponse: true });
  if (federationOff(s, r)) return;
  const body = expectOk(r);
  const peers = body === null ? undefined : numberField(body, 'peer_count');
  if (peers !== undefined) s.metric('peer_count', peers);
}

/** send_heartbeat */
export async function heartbeat(s: FederationSession): Promise<void> {
  const r = await s.client.post('/federation/heartbeat', {
    json: { peer_id: s.peerId }, name: FEDERATION_NAMES.heartbeat, catchResponse: true,
  });
  if (federationOff(s, r)) return;
  expectOk(r);
}
