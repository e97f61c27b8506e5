import type { Preallocation } from './open-pool.js';

/** --pre-allocated-users over the whole run: every part (this thread's, or each worker's) added up. */
export interface PreallocationTotals {
  users: number;
  opened: number;
  failed: number;
  /** The first error a part reported, in part (worker) order. */
  firstError: string | null;
  elapsedMs: number;
}

/** Adds up the parts; a null part (a worker that made none) counts for nothing. */
export function sumPreallocations(parts: ReadonlyArray<Preallocation | null>): PreallocationTotals {
  const totals: PreallocationTotals = { users: 0, opened: 0, failed: 0, firstError: null, elapsedMs: 0 };
  for (const p of parts) {
    if (!p) continue;
    totals.users += p.users;
    totals.opened += p.opened;
    totals.failed += p.failed;
    totals.firstError ??= p.firstError;
    // Workers make theirs side by side: the slowest one is how long it took.
    totals.elapsedMs = Math.max(totals.elapsedMs, p.elapsedMs);
  }
  return totals;
}

/** What the run says about its pre-allocation: one line, and a warning when some connections could not be opened. */
export interface PreallocationReport {
  done: string;
  warning: string | null;
}

/** `countsByName`: the pool's users per class name after it (the mix in the line, in that order). */
export function preallocationReport(parts: ReadonlyArray<Preallocation | null>, countsByName: Readonly<Record<string, number>>): PreallocationReport {
  const { users, opened, failed, firstError, elapsedMs } = sumPreallocations(parts);
  const mix = Object.entries(countsByName).map(([name, n]) => `${name}: ${n}`).join(', ');
  return {
    // Users that connect in their own code (a WebSocketUser's onStart) open nothing ahead: said, not counted as connections.
    done: `Pre-allocated ${users} users (${mix}) with ${opened} connections open in ${Math.round(elapsedMs)} ms${opened + failed < users ? ` (${users - opened - failed} connect in their own first task)` : ''}`,
    warning: failed > 0
      ? `warning: ${failed} of ${opened + failed} pre-allocated connections could not be opened (${firstError ?? 'unknown error'}); those users connect on their first arrival`
      : null,
  };
}
