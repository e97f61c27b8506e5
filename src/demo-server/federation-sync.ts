/**
 * Conflict detection for POST /federation/sync. The client reports the versions it holds
 * ({conceptId: version} or {conceptId: {version, hash}}). Rule, per concept the server still has:
 * - client version > server version → conflict: the client holds a write this server never issued;
 * - same version, client hash given and different from the server's → conflict: divergent content;
 * - client version < server version → no conflict, the client is simply behind (it gets the changes);
 * - concept unknown here (deleted, evicted, never seen) → no conflict, the delete is in the change log.
 */
import { asObject } from './body-fields.js';
import { parseConceptId } from './concept.js';
import { HttpError } from './http-io.js';
import type { MemorySpace } from './memory-space.js';

export interface ClientVersion {
  id: string;
  version: number;
  hash: string | undefined;
}

export interface Conflict {
  id: string;
  client_version: number;
  server_version: number;
  reason: 'client_ahead' | 'content_diverged';
}

export const MAX_REPORTED_VERSIONS = 1000;

export function parseClientVersions(value: unknown): ClientVersion[] {
  if (value === undefined) return [];
  const versions = asObject(value, '"versions"');
  const entries = Object.entries(versions);
  if (entries.length > MAX_REPORTED_VERSIONS) {
    throw new HttpError(400, `"versions" may hold at most ${MAX_REPORTED_VERSIONS} concepts (got ${entries.length})`);
  }
  return entries.map(([id, entry]) => parseEntry(id, entry));
}

function parseEntry(id: string, entry: unknown): ClientVersion {
  if (typeof entry === 'number') return { id, version: checkVersion(id, entry), hash: undefined };
  const object = asObject(entry, `"versions.${id}"`);
  const hash = object.hash;
  if (hash !== undefined && typeof hash !== 'string') throw new HttpError(400, `"versions.${id}.hash" must be a string`);
  return { id, version: checkVersion(id, object.version), hash };
}

function checkVersion(id: string, version: unknown): number {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new HttpError(400, `"versions.${id}" must be a version number (a non-negative integer) or {version, hash}`);
  }
  return version;
}

export function detectConflicts(space: MemorySpace, versions: readonly ClientVersion[]): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const client of versions) {
    const numeric = parseConceptId(client.id);
    const concept = numeric === undefined ? undefined : space.get(numeric);
    if (concept === undefined) continue;
    if (client.version > concept.version) {
      conflicts.push({ id: client.id, client_version: client.version, server_version: concept.version, reason: 'client_ahead' });
    } else if (client.version === concept.version && client.hash !== undefined && client.hash !== concept.hash) {
      conflicts.push({ id: client.id, client_version: client.version, server_version: concept.version, reason: 'content_diverged' });
    }
  }
  return conflicts;
}
