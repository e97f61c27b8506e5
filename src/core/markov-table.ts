/**
 * The task table of a MarkovTaskSet (Locust 2.x): tasks joined by weighted transitions, the first
 * declared one the start. Declared with `@transition('next', weight)` / `@transitions({...})` on
 * methods, or in plain JS with `static transitions = { index: { browse: 1 }, browse: { index: 3 } }`.
 * Checked as Locust checks it: at least one task, every transition to a task that has transitions
 * of its own, no tags on its tasks; a task no path reaches is refused too (Locust only warns).
 */
import { ConfigError } from './errors.js';
import { taskTagsOf, taskTransitionsOf } from './task-decorators.js';
import type { TaskDef, TaskSetLike } from './tasks.js';

/** Per task (by index): the tasks it may go to next and their weights. */
export interface MarkovChain {
  next: ReadonlyArray<readonly number[]>;
  weights: ReadonlyArray<readonly number[]>;
}

interface MarkovTask {
  name: string;
  fn: (...a: unknown[]) => unknown;
  transitions: Readonly<Record<string, number>>;
}

function declaredTasks(cls: TaskSetLike): MarkovTask[] {
  const found: MarkovTask[] = [];
  const seen = new Set<string>();
  const statics = (cls as { transitions?: unknown }).transitions;
  const table = statics !== undefined && typeof statics === 'object' && statics !== null ? (statics as Record<string, unknown>) : {};
  for (let proto: object | null = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const fn = Object.getOwnPropertyDescriptor(proto, key)?.value as unknown;
      const marked = taskTransitionsOf(fn);
      const listed = table[key] as Record<string, number> | undefined;
      if (typeof fn === 'function' && (marked !== undefined || listed !== undefined)) {
        found.push({ name: key, fn: fn as (...a: unknown[]) => unknown, transitions: { ...(marked ?? {}), ...(listed ?? {}) } });
      }
    }
  }
  for (const key of Object.keys(table)) {
    if (!seen.has(key)) throw new ConfigError('BAD_TASKS', `${cls.name}.transitions names "${key}", which is not a method of ${cls.name}`);
  }
  return found;
}

/** The chain's tasks (as TaskDefs, the start first) and its transitions; every problem in one error. */
export function buildMarkovChain(cls: TaskSetLike): { tasks: TaskDef[]; chain: MarkovChain } {
  const tasks = declaredTasks(cls);
  if (tasks.length === 0) {
    throw new ConfigError('BAD_TASKS', `${cls.name} is a MarkovTaskSet with no tasks: mark methods with @transition('next') or set static transitions = { task: { next: weight } }`);
  }
  const index = new Map(tasks.map((t, i) => [t.name, i]));
  const problems: string[] = [];
  const next: number[][] = [];
  const weights: number[][] = [];
  for (const t of tasks) {
    if (taskTagsOf(t.fn).length > 0) problems.push(`${cls.name}.${t.name}: tags are not supported on MarkovTaskSet tasks (they could break the chain); tag the set instead`);
    const to: number[] = [];
    const w: number[] = [];
    for (const [dest, weight] of Object.entries(t.transitions)) {
      const i = index.get(dest);
      if (i === undefined) problems.push(`${cls.name}.${t.name}: transition to "${dest}", which is not a task of ${cls.name} with transitions of its own`);
      else if (!(typeof weight === 'number' && weight >= 0)) problems.push(`${cls.name}.${t.name}: the weight of "${dest}" must be a number >= 0`);
      else if (weight > 0) {
        to.push(i);
        w.push(weight);
      }
    }
    if (to.length === 0) problems.push(`${cls.name}.${t.name} has no transition with a weight > 0: every Markov task needs somewhere to go`);
    next.push(to);
    weights.push(w);
  }
  if (problems.length === 0) {
    const reached = new Set<number>([0]);
    const stack = [0];
    while (stack.length > 0) {
      for (const j of next[stack.pop() as number] ?? []) {
        if (reached.has(j)) continue;
        reached.add(j);
        stack.push(j);
      }
    }
    const unreachable = tasks.filter((_, i) => !reached.has(i)).map((t) => t.name);
    if (unreachable.length > 0) problems.push(`${cls.name}: ${unreachable.join(', ')} can never be reached from ${tasks[0]?.name ?? '?'} (the first task, where the chain starts)`);
  }
  if (problems.length > 0) throw new ConfigError('BAD_TASKS', problems.join('; '));
  const defs = tasks.map((t): TaskDef => ({ name: t.name, weight: 1, tags: [], action: { kind: 'method', fn: t.fn } }));
  return { tasks: defs, chain: { next, weights } };
}
