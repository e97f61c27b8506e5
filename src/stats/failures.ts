import { compareStrings as cmp } from './compare-strings.js';
import type { FailureSnapshot } from './types.js';

/** Error text of the group that collects new errors once the distinct-group limit is reached. */
export const OTHER_FAILURES_ERROR = 'other (distinct error limit reached)';
export const DEFAULT_MAX_FAILURE_GROUPS = 1000;
/** Longer error texts are cut (and grouped by their first characters), so memory stays bounded. */
export const MAX_ERROR_LENGTH = 1024;

interface FailureGroup {
  method: string;
  name: string;
  error: string;
  occurrences: number;
  firstSeenWallMs: number;
  lastSeenWallMs: number;
}

/**
 * Failures grouped by (method, name, error), in nested Maps (no key strings built per failure).
 * Bounded: past `maxGroups` distinct groups, new errors are counted in one "other" group per
 * (method, name), so an error storm with unique messages keeps memory flat.
 */
export class Failures {
  private readonly maxGroups: number;
  private readonly byMethod = new Map<string, Map<string, Map<string, FailureGroup>>>();
  private distinct = 0;
  private overflow = 0;

  constructor(maxGroups: number = DEFAULT_MAX_FAILURE_GROUPS) {
    this.maxGroups = maxGroups;
  }

  /** Number of groups held, "other" groups included. */
  get size(): number {
    return this.distinct + this.overflow;
  }

  record(method: string, name: string, error: string, wallMs: number): void {
    this.add(method, name, error, 1, wallMs, wallMs);
  }

  /** Adds groups from another process's snapshot. */
  merge(failures: readonly FailureSnapshot[]): void {
    for (const f of failures) this.add(f.method, f.name, f.error, f.occurrences, f.firstSeenWallMs, f.lastSeenWallMs);
  }

  /** Every group, most frequent first (ties by name, method, error). */
  toJSON(): FailureSnapshot[] {
    const out: FailureSnapshot[] = [];
    for (const byName of this.byMethod.values()) {
      for (const byError of byName.values()) {
        for (const g of byError.values()) out.push({ ...g });
      }
    }
    return out.sort(
      (a, b) => b.occurrences - a.occurrences || cmp(a.name, b.name) || cmp(a.method, b.method) || cmp(a.error, b.error),
    );
  }

  reset(): void {
    this.byMethod.clear();
    this.distinct = 0;
    this.overflow = 0;
  }

  private add(method: string, name: string, rawError: string, count: number, first: number, last: number): void {
    const error = rawError.length > MAX_ERROR_LENGTH ? rawError.slice(0, MAX_ERROR_LENGTH) : rawError;
    let byName = this.byMethod.get(method);
    if (byName === undefined) {
      byName = new Map();
      this.byMethod.set(method, byName);
    }
    let byError = byName.get(name);
    if (byError === undefined) {
      byError = new Map();
      byName.set(name, byError);
    }
    let group = byError.get(error);
    if (group === undefined) {
      const full = this.distinct >= this.maxGroups && error !== OTHER_FAILURES_ERROR;
      const key = full ? OTHER_FAILURES_ERROR : error;
      group = byError.get(key);
      if (group === undefined) {
        group = { method, name, error: key, occurrences: 0, firstSeenWallMs: first, lastSeenWallMs: last };
        byError.set(key, group);
        if (key === OTHER_FAILURES_ERROR) this.overflow++;
        else this.distinct++;
      }
    }
    group.occurrences += count;
    if (first < group.firstSeenWallMs) group.firstSeenWallMs = first;
    if (last > group.lastSeenWallMs) group.lastSeenWallMs = last;
  }
}
