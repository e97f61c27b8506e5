import { BROOD_KIND, kindOf } from './brand.js';
import { ConfigError } from './errors.js';
import { taskTagsOf, taskWeightOf } from './task-decorators.js';
import { buildMarkovChain, type MarkovChain } from './markov-table.js';

/** What one task runs: a method of the user/taskset, a plain function of the user, or a nested TaskSet. */
export type TaskAction =
  | { kind: 'method'; fn: (...args: unknown[]) => unknown }
  | { kind: 'function'; fn: (owner: unknown) => unknown }
  | { kind: 'taskset'; cls: TaskSetLike; table: TaskTable };

export interface TaskDef {
  name: string;
  weight: number;
  tags: readonly string[];
  action: TaskAction;
}

/** The resolved, tag-filtered tasks of one User or TaskSet class. */
export interface TaskTable {
  owner: string;
  tasks: readonly TaskDef[];
  weights: readonly number[];
  sequential: boolean;
  /** A MarkovTaskSet's transitions (task i goes next to one of next[i]); null for other tables. */
  markov: MarkovChain | null;
}

/** The static side of a User or TaskSet class, as far as task resolution cares. */
export interface TaskSetLike {
  name: string;
  prototype: object;
  tasks?: unknown;
  tags?: unknown;
  sequential?: unknown;
  markov?: unknown;
}

export interface TagFilter {
  include: ReadonlySet<string> | null;
  exclude: ReadonlySet<string> | null;
}

export const NO_TAG_FILTER: TagFilter = { include: null, exclude: null };

function collectDecorated(cls: TaskSetLike): Array<{ name: string; fn: (...a: unknown[]) => unknown; weight: number }> {
  const found: Array<{ name: string; fn: (...a: unknown[]) => unknown; weight: number }> = [];
  const seen = new Set<string>();
  for (let proto: object | null = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key); // a subclass override hides the base method, decorated or not
      const value = Object.getOwnPropertyDescriptor(proto, key)?.value as unknown;
      const weight = taskWeightOf(value);
      if (weight !== undefined) found.push({ name: key, fn: value as (...a: unknown[]) => unknown, weight });
    }
  }
  return found;
}

function describeEntry(owner: string, entry: unknown): string {
  return `${owner}.tasks entry ${typeof entry === 'string' ? `"${entry}"` : String(entry)}`;
}

/** Turns one entry of `static tasks` (name, function, TaskSet class) into an action. */
function actionOf(cls: TaskSetLike, item: unknown, filter: TagFilter, depth: number): { name: string; action: TaskAction; tags: string[] } {
  const owner = cls.name;
  if (typeof item === 'string') {
    const fn = (cls.prototype as Record<string, unknown>)[item];
    if (typeof fn !== 'function') {
      throw new ConfigError('BAD_TASKS', `${owner}.tasks names "${item}", but ${owner} has no method of that name`);
    }
    return { name: item, action: { kind: 'method', fn: fn as (...a: unknown[]) => unknown }, tags: taskTagsOf(fn) };
  }
  if (typeof item === 'function') {
    if (kindOf(item) === 'taskset') {
      const ts = item as unknown as TaskSetLike;
      return { name: ts.name, action: { kind: 'taskset', cls: ts, table: buildTaskTable(ts, filter, depth + 1) }, tags: tagsOfClass(ts) };
    }
    if (kindOf(item) === 'user') {
      throw new ConfigError('BAD_TASKS', `${describeEntry(owner, item.name)} is a User class; nest TaskSet classes, not users`);
    }
    return { name: item.name || 'task', action: { kind: 'function', fn: item as (owner: unknown) => unknown }, tags: taskTagsOf(item) };
  }
  throw new ConfigError('BAD_TASKS', `${describeEntry(owner, item)} must be a method name, a function or a TaskSet class`);
}

function tagsOfClass(cls: TaskSetLike): string[] {
  return Array.isArray(cls.tags) ? cls.tags.filter((t): t is string => typeof t === 'string') : [];
}

function weightOf(owner: string, w: unknown): number {
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
    throw new ConfigError('BAD_TASKS', `${owner}.tasks: weights must be numbers >= 0, got ${String(w)}`);
  }
  return w;
}

/** Reads `static tasks` in its accepted forms: {name: weight}, [item | [item, weight]], Map<item, weight>. */
function collectStatic(cls: TaskSetLike): Array<[unknown, number]> {
  const spec = cls.tasks;
  if (spec === undefined || spec === null) return [];
  if (spec instanceof Map) return [...spec.entries()].map(([k, w]) => [k, weightOf(cls.name, w)]);
  if (Array.isArray(spec)) {
    return spec.map((entry): [unknown, number] =>
      Array.isArray(entry) ? [entry[0], weightOf(cls.name, entry[1])] : [entry, 1],
    );
  }
  if (typeof spec === 'object') return Object.entries(spec).map(([k, w]) => [k, weightOf(cls.name, w)]);
  throw new ConfigError('BAD_TASKS', `${cls.name}.tasks must be an object {method: weight}, an array or a Map`);
}

function passes(tags: readonly string[], filter: TagFilter, includeAlready: boolean): boolean {
  if (filter.exclude && tags.some((t) => filter.exclude?.has(t))) return false;
  if (!filter.include || includeAlready) return true;
  return tags.some((t) => filter.include?.has(t));
}

/**
 * Resolves the tasks of a User or TaskSet class: decorated methods first (subclass before base),
 * then `static tasks`, filtered by tags the way Locust does (a TaskSet is kept when it is tagged
 * itself or when any task inside it is kept). Runs once per class per run, never per task.
 */
export function buildTaskTable(cls: TaskSetLike, filter: TagFilter = NO_TAG_FILTER, depth = 0): TaskTable {
  if (depth > 20) throw new ConfigError('BAD_TASKS', `${cls.name}: TaskSets nested more than 20 deep (a TaskSet containing itself?)`);
  if (cls.markov === true) {
    const { tasks, chain } = buildMarkovChain(cls);
    return { owner: cls.name, tasks, weights: tasks.map(() => 1), sequential: false, markov: chain };
  }
  const defs: TaskDef[] = [];
  for (const d of collectDecorated(cls)) {
    defs.push({ name: d.name, weight: d.weight, tags: taskTagsOf(d.fn), action: { kind: 'method', fn: d.fn } });
  }
  const declared = new Set(defs.map((d) => d.name));
  for (const [item, weight] of collectStatic(cls)) {
    const { name, action, tags } = actionOf(cls, item, filter, depth);
    if (action.kind === 'method' && declared.has(name)) continue; // decorated and listed: count it once
    defs.push({ name, weight, tags, action });
  }
  const kept = defs.filter((d) => {
    if (d.action.kind !== 'taskset') return passes(d.tags, filter, false);
    if (!passes(d.tags, filter, false) && filter.exclude && d.tags.some((t) => filter.exclude?.has(t))) return false;
    if (passes(d.tags, filter, false)) {
      d.action.table = buildTaskTable(d.action.cls, { include: null, exclude: filter.exclude }, depth + 1);
    }
    return d.action.table.tasks.length > 0;
  });
  return {
    owner: cls.name,
    tasks: kept,
    weights: kept.map((d) => d.weight),
    sequential: cls.sequential === true,
    markov: null,
  };
}

/** Every tag the tasks of `table` carry, those of its nested TaskSets (and the TaskSets' own) included. */
export function tagsIn(table: TaskTable, into: Set<string> = new Set()): Set<string> {
  for (const d of table.tasks) {
    for (const t of d.tags) into.add(t);
    if (d.action.kind === 'taskset') tagsIn(d.action.table, into);
  }
  return into;
}

/** True when the table has something to run (a weight > 0 somewhere). */
export function hasRunnableTasks(table: TaskTable): boolean {
  return table.weights.some((w) => w > 0);
}

export { BROOD_KIND };
