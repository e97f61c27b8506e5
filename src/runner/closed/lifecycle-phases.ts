/**
 * How many users are inside their onStart or onStop right now, per class. A user whose onStart
 * awaits something that never settles runs no task and, without this, leaves no trace: the run
 * just ends with fewer users working than asked. Counted at the two calls only (never per task).
 */

/** Per class index: users in onStart, users in onStop. A plain-JSON shape, so a worker can send it. */
export interface LifecycleCounts {
  onStart: number[];
  onStop: number[];
}

export type LifecyclePhase = keyof LifecycleCounts;

export class LifecyclePhases {
  readonly #counts: LifecycleCounts = { onStart: [], onStop: [] };

  enter(phase: LifecyclePhase, classIndex: number): void {
    const list = this.#counts[phase];
    list[classIndex] = (list[classIndex] ?? 0) + 1;
  }

  leave(phase: LifecyclePhase, classIndex: number): void {
    const list = this.#counts[phase];
    list[classIndex] = (list[classIndex] ?? 1) - 1;
  }

  /** A copy of the counts (what a worker sends with its final stats). */
  snapshot(): LifecycleCounts {
    return { onStart: Array.from(this.#counts.onStart, (n) => n ?? 0), onStop: Array.from(this.#counts.onStop, (n) => n ?? 0) };
  }

  /** Adds another thread's counts (a worker's users are still in their hooks too). */
  add(other: LifecycleCounts): void {
    for (const phase of ['onStart', 'onStop'] as const) {
      other[phase].forEach((n, i) => {
        if (n > 0) this.#counts[phase][i] = (this.#counts[phase][i] ?? 0) + n;
      });
    }
  }
}

/**
 * The one line for users still inside onStart/onStop after the run stopped them (they ignored
 * the stop and the stop timeout), e.g. "2 users were still in onStart when the run ended (Q: 2):
 * they never ran a task; does onStart await something that never settles?". Null when none were.
 */
export function stuckInLifecycleLine(counts: LifecycleCounts, classNames: readonly string[]): string | null {
  const parts: Array<{ phase: LifecyclePhase; total: number; byClass: string }> = [];
  for (const phase of ['onStart', 'onStop'] as const) {
    const byClass = counts[phase].flatMap((n, i) => (n > 0 ? [`${classNames[i] ?? `class ${i}`}: ${n}`] : []));
    const total = counts[phase].reduce((a, n) => a + Math.max(0, n), 0);
    if (total > 0) parts.push({ phase, total, byClass: byClass.join(', ') });
  }
  const [first, second] = parts;
  if (first === undefined) return null;
  const users = (n: number): string => `${n} user${n === 1 ? ' was' : 's were'}`;
  if (second === undefined) {
    const hint = first.phase === 'onStart' ? `${first.total === 1 ? 'it' : 'they'} never ran a task; does onStart` : 'does onStop';
    return `${users(first.total)} still in ${first.phase} when the run ended (${first.byClass}): ${hint} await something that never settles?`;
  }
  return `${users(first.total + second.total)} still in onStart or onStop when the run ended (onStart: ${first.byClass}; onStop: ${second.byClass}): those in onStart never ran a task; do the hooks await something that never settles?`;
}
