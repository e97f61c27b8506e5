/**
 * `@task(weight)` and `@tag(...)` mark methods by setting symbol properties on the method function
 * itself. That works the same for standard (TC39) decorators, legacy `experimentalDecorators`
 * (target, key, descriptor) and plain JS that never uses decorators (see `static tasks`), and it
 * needs no `Symbol.metadata`, which Node 20 lacks.
 */

export const TASK_WEIGHT = Symbol.for('brood.task.weight');
export const TASK_TAGS = Symbol.for('brood.task.tags');
export const TASK_TRANSITIONS = Symbol.for('brood.task.transitions');

/** A method that can be a task: takes no arguments, may return a promise. */
export type TaskMethod = (...args: never[]) => unknown;

interface MarkedFunction {
  [TASK_WEIGHT]?: number;
  [TASK_TAGS]?: string[];
  [TASK_TRANSITIONS]?: Record<string, number>;
}

type LegacyDescriptor = { value?: unknown };

/** The decorator function both decorator flavours call; returns the (same) method. */
export type MethodMarker = <M extends TaskMethod>(value: M, context: ClassMethodDecoratorContext) => M;

function checkWeight(weight: unknown): number {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
    throw new TypeError(`@task(weight): weight must be a number >= 0, got ${String(weight)}`);
  }
  return weight;
}

function mark(target: unknown, apply: (fn: MarkedFunction) => void): void {
  if (typeof target === 'function') apply(target as MarkedFunction);
}

/** Adapts one marking function to standard and legacy decorator calling conventions. */
function decorator(apply: (fn: MarkedFunction) => void): MethodMarker {
  return ((value: unknown, context: unknown, descriptor?: LegacyDescriptor) => {
    if (descriptor !== undefined && typeof descriptor === 'object') {
      // Legacy: (prototype, propertyKey, descriptor)
      mark(descriptor.value, apply);
      return descriptor;
    }
    void context;
    mark(value, apply);
    return value;
  }) as MethodMarker;
}

/**
 * Marks a method as a task. `@task` alone or `@task(3)` for a relative weight.
 * Weight 0 keeps the task declared but never picked.
 */
export function task<M extends TaskMethod>(value: M, context: ClassMethodDecoratorContext): M;
export function task(weight?: number): MethodMarker;
export function task(weightOrMethod?: unknown, context?: unknown, descriptor?: unknown): unknown {
  if (typeof weightOrMethod === 'function' || (typeof weightOrMethod === 'object' && weightOrMethod !== null)) {
    // Used bare: @task
    return (decorator((fn) => (fn[TASK_WEIGHT] = 1)) as (...a: unknown[]) => unknown)(weightOrMethod, context, descriptor);
  }
  const weight = checkWeight(weightOrMethod ?? 1);
  return decorator((fn) => (fn[TASK_WEIGHT] = weight));
}

/** Tags a task for `--tags` / `--exclude-tags`. Works on methods; TaskSet classes use `static tags`. */
export function tag(...tags: string[]): MethodMarker {
  for (const t of tags) {
    if (typeof t !== 'string' || t.length === 0) throw new TypeError('@tag(): tags must be non-empty strings');
  }
  return decorator((fn) => (fn[TASK_TAGS] = [...(fn[TASK_TAGS] ?? []), ...tags]));
}

/**
 * A MarkovTaskSet task, and where it may go next: `@transition('browse', 3)` (repeatable), as
 * Locust's @transition. The next task is drawn by weight among the transitions after each run.
 */
export function transition(to: string, weight = 1): MethodMarker {
  if (typeof to !== 'string' || to === '') throw new TypeError('@transition(to, weight): to must be the name of a task method');
  const w = checkWeight(weight);
  return decorator((fn) => (fn[TASK_TRANSITIONS] = { ...(fn[TASK_TRANSITIONS] ?? {}), [to]: w }));
}

/** Several transitions at once: `@transitions({ index: 2, checkout: 1 })` or `@transitions([['index', 2], 'browse'])`. */
export function transitions(weights: Readonly<Record<string, number>> | ReadonlyArray<string | readonly [string, number]>): MethodMarker {
  const entries: Array<[string, number]> = Array.isArray(weights)
    ? (weights as ReadonlyArray<string | readonly [string, number]>).map((e): [string, number] => (typeof e === 'string' ? [e, 1] : [e[0], e[1]]))
    : Object.entries(weights as Record<string, number>);
  for (const [to, w] of entries) {
    if (typeof to !== 'string' || to === '') throw new TypeError('@transitions(): task names must be non-empty strings');
    checkWeight(w);
  }
  return decorator((fn) => (fn[TASK_TRANSITIONS] = { ...(fn[TASK_TRANSITIONS] ?? {}), ...Object.fromEntries(entries) }));
}

export function taskTransitionsOf(fn: unknown): Readonly<Record<string, number>> | undefined {
  return typeof fn === 'function' ? (fn as MarkedFunction)[TASK_TRANSITIONS] : undefined;
}

export function taskWeightOf(fn: unknown): number | undefined {
  return typeof fn === 'function' ? (fn as MarkedFunction)[TASK_WEIGHT] : undefined;
}

export function taskTagsOf(fn: unknown): string[] {
  return typeof fn === 'function' ? ((fn as MarkedFunction)[TASK_TAGS] ?? []) : [];
}
