/** POST /federation/contribute, /federation/sync, /federation/heartbeat and GET /federation/peers. */
import { asObject, optionalInteger, optionalString, requireArray, requireString } from './body-fields.js';
import { formatConceptId } from './concept.js';
import { CONCEPT_TYPES, isConceptType, type ConceptType } from './concept-extraction.js';
import { detectConflicts, parseClientVersions } from './federation-sync.js';
import { HttpError, type JsonObject } from './http-io.js';
import type { MemorySpace } from './memory-space.js';
import { ok, type Reply, type RequestContext } from './route.js';

const MAX_PEER_ID_LENGTH = 128;
const MAX_CONTRIBUTION = 100;
const MAX_NAME_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 8192;
const DEFAULT_SYNC_LIMIT = 100;
const MAX_SYNC_LIMIT = 1000;
const MAX_REPORTED_CONFLICTS = 100;
const PEER_LIST_LIMIT = 100;

type ContributionOutcome = 'created' | 'updated' | 'unchanged' | 'stale' | 'rejected';

interface Contribution {
  name: string;
  version: number | undefined;
  description: string | undefined;
  type: ConceptType | undefined;
}

function readContribution(value: unknown, index: number): Contribution {
  const item = asObject(value, `"concepts[${index}]"`);
  const type = item.type;
  if (type !== undefined && !isConceptType(type)) {
    throw new HttpError(400, `"concepts[${index}].type" must be one of ${CONCEPT_TYPES.join(', ')}`);
  }
  return {
    name: requireString(item, 'name', MAX_NAME_LENGTH),
    version: optionalInteger(item, 'version', 1, Number.MAX_SAFE_INTEGER),
    description: optionalString(item, 'description', MAX_DESCRIPTION_LENGTH),
    type,
  };
}

/** Applies one contributed concept; a version older than the server's is stale and not applied. */
function applyContribution(space: MemorySpace, c: Contribution, peerId: string): { outcome: ContributionOutcome; id: string | null; version: number } {
  const existing = space.findByName(c.name);
  if (existing === undefined) {
    const created = space.createNamed(c.name, c.type ?? 'concept', c.description ?? '', peerId, c.version ?? 1);
    return created === undefined ? { outcome: 'rejected', id: null, version: 0 } : { outcome: 'created', id: formatConceptId(created.id), version: created.version };
  }
  const id = formatConceptId(existing.id);
  if (c.version !== undefined && c.version < existing.version) return { outcome: 'stale', id, version: existing.version };
  const changed = (c.description !== undefined && c.description !== existing.description) || (c.type !== undefined && c.type !== existing.type);
  if (!changed) return { outcome: 'unchanged', id, version: existing.version };
  space.update(existing.id, { ...(c.description === undefined ? {} : { description: c.description }), ...(c.type === undefined ? {} : { type: c.type }) });
  return { outcome: 'updated', id, version: existing.version };
}

export function handleContribute(ctx: RequestContext): Reply {
  const peerId = requireString(ctx.body, 'peer_id', MAX_PEER_ID_LENGTH);
  const contributions = requireArray(ctx.body, 'concepts', 1, MAX_CONTRIBUTION).map(readContribution);
  const space = ctx.space();
  const counts: Record<ContributionOutcome, number> = { created: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0 };
  const conceptIds: Array<string | null> = [];
  const versions: Record<string, number> = {};
  for (const contribution of contributions) {
    const { outcome, id, version } = applyContribution(space, contribution, peerId);
    counts[outcome]++;
    conceptIds.push(id);
    if (id !== null) versions[id] = version;
  }
  const accepted = counts.created + counts.updated + counts.unchanged;
  space.peers.touch(peerId, Date.now()).contributions += accepted;
  return ok({ peer_id: peerId, accepted, ...counts, concept_ids: conceptIds, versions });
}

export function handleSync(ctx: RequestContext): Reply {
  const body: JsonObject = ctx.body;
  const peerId = requireString(body, 'peer_id', MAX_PEER_ID_LENGTH);
  const cursor = optionalInteger(body, 'cursor', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = optionalInteger(body, 'limit', 1, MAX_SYNC_LIMIT) ?? DEFAULT_SYNC_LIMIT;
  const versions = parseClientVersions(body.versions);
  const space = ctx.space();
  const peer = space.peers.touch(peerId, Date.now());
  const conflicts = detectConflicts(space, versions);
  if (conflicts.length > 0) {
    return {
      status: 409,
      body: { error: 'conflict', conflicts_detected: conflicts.length, conflicts: conflicts.slice(0, MAX_REPORTED_CONFLICTS) },
    };
  }
  peer.syncs++;
  const since = space.changes.since(cursor, limit);
  return ok({
    peer_id: peerId,
    changes: since.changes,
    cursor: since.cursor,
    has_more: since.hasMore,
    truncated: since.truncated,
    sync_operations: since.changes.length,
    conflicts_detected: 0,
  });
}

export function handleHeartbeat(ctx: RequestContext): Reply {
  const peerId = requireString(ctx.body, 'peer_id', MAX_PEER_ID_LENGTH);
  const space = ctx.space();
  const now = Date.now();
  space.peers.touch(peerId, now).heartbeats++;
  return ok({ peer_id: peerId, server_time: new Date(now).toISOString(), peers_active: space.peers.activeCount(now) });
}

export function handlePeers(ctx: RequestContext): Reply {
  const space = ctx.space();
  const now = Date.now();
  return ok({ peers: space.peers.list(now, PEER_LIST_LIMIT), peer_count: space.peers.size, active: space.peers.activeCount(now) });
}
