import { compareStrings } from './compare-strings.js';
import type { ExceptionSnapshot } from './types.js';

export const DEFAULT_MAX_EXCEPTION_GROUPS = 500;
/** Message of the group that collects new exceptions once the distinct-group limit is reached. */
export const OTHER_EXCEPTIONS_MESSAGE = 'other (distinct exception limit reached)';
/** Tracebacks are kept as-is up to this length (8 KB), then cut with a marker. */
export const MAX_TRACEBACK_LENGTH = 8192;
export const MAX_MESSAGE_LENGTH = 1024;
/** Distinct node names kept per group (workers of one run). */
const MAX_NODES = 256;
const TRUNCATED = '\n… (truncated)';

interface ExceptionGroup {
  message: string;
  traceback: string;
  count: number;
  nodes: Set<string>;
}

/** What an exception is grouped by: message and traceback (the Error's stack, kept as-is, capped). */
/** The frame where brood's task runner calls into user code (compiled or, under tsx, source-mapped). */
const RUNNER_FRAME = /[\\/]src[\\/]runner[\\/]closed[\\/]user-loop\.[jt]s:/;

/**
 * Keeps the stack down to the first frame of brood's task runner. Below it are brood's own loop
 * and Node's scheduling frames, which differ between a user's first task (run synchronously from
 * the spawn) and later ones (resumed from a timer): without the cut, one error in one task would
 * show up as several exception groups.
 */
export function userFacingStack(stack: string): string {
  const lines = stack.split('\n');
  const i = lines.findIndex((l) => RUNNER_FRAME.test(l));
  return i < 0 ? stack : lines.slice(0, i + 1).join('\n');
}

export function describeThrown(thrown: unknown): { message: string; traceback: string } {
  if (thrown instanceof Error) {
    return { message: cap(thrown.message, MAX_MESSAGE_LENGTH, ''), traceback: cap(userFacingStack(thrown.stack ?? ''), MAX_TRACEBACK_LENGTH, TRUNCATED) };
  }
  return { message: cap(safeString(thrown), MAX_MESSAGE_LENGTH, ''), traceback: '' };
}

/**
 * Exceptions thrown by tasks, grouped by message + traceback with a count and the nodes they came from.
 * Bounded: past `maxGroups` distinct groups, new ones are counted in a single "other" group.
 */
export class Exceptions {
  private readonly maxGroups: number;
  private readonly byMessage = new Map<string, Map<string, ExceptionGroup>>();
  private distinct = 0;
  private other: ExceptionGroup | undefined;

  constructor(maxGroups: number = DEFAULT_MAX_EXCEPTION_GROUPS) {
    this.maxGroups = maxGroups;
  }

  /** Number of groups held, "other" included. */
  get size(): number {
    return this.distinct + (this.other === undefined ? 0 : 1);
  }

  record(thrown: unknown, node = 'local'): void {
    const { message, traceback } = describeThrown(thrown);
    this.add(message, traceback, 1, [node]);
  }

  merge(exceptions: readonly ExceptionSnapshot[]): void {
    for (const e of exceptions) {
      if (e.message === OTHER_EXCEPTIONS_MESSAGE && e.traceback === '') this.addOther(e.count, e.nodes);
      else this.add(cap(e.message, MAX_MESSAGE_LENGTH, ''), cap(e.traceback, MAX_TRACEBACK_LENGTH, TRUNCATED), e.count, e.nodes);
    }
  }

  /** Every group, most frequent first (ties by message). Nodes sorted. */
  toJSON(): ExceptionSnapshot[] {
    const groups: ExceptionGroup[] = [];
    for (const byTraceback of this.byMessage.values()) groups.push(...byTraceback.values());
    if (this.other !== undefined) groups.push(this.other);
    return groups
      .map((g) => ({ message: g.message, traceback: g.traceback, count: g.count, nodes: [...g.nodes].sort(compareStrings) }))
      .sort((a, b) => b.count - a.count || compareStrings(a.message, b.message) || compareStrings(a.traceback, b.traceback));
  }

  reset(): void {
    this.byMessage.clear();
    this.distinct = 0;
    this.other = undefined;
  }

  private add(message: string, traceback: string, count: number, nodes: readonly string[]): void {
    let byTraceback = this.byMessage.get(message);
    let group = byTraceback?.get(traceback);
    if (group === undefined) {
      if (this.distinct >= this.maxGroups) {
        this.addOther(count, nodes);
        return;
      }
      if (byTraceback === undefined) {
        byTraceback = new Map();
        this.byMessage.set(message, byTraceback);
      }
      group = { message, traceback, count: 0, nodes: new Set() };
      byTraceback.set(traceback, group);
      this.distinct++;
    }
    group.count += count;
    addNodes(group.nodes, nodes);
  }

  private addOther(count: number, nodes: readonly string[]): void {
    this.other ??= { message: OTHER_EXCEPTIONS_MESSAGE, traceback: '', count: 0, nodes: new Set() };
    this.other.count += count;
    addNodes(this.other.nodes, nodes);
  }
}

function addNodes(into: Set<string>, nodes: readonly string[]): void {
  for (const n of nodes) if (into.size < MAX_NODES || into.has(n)) into.add(n);
}

function cap(text: string, max: number, marker: string): string {
  return text.length > max ? text.slice(0, max) + marker : text;
}

/** String(value), which can itself throw (a Symbol.toPrimitive that throws, a revoked Proxy…). */
function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return `[unprintable thrown ${typeof value}]`;
  }
}
