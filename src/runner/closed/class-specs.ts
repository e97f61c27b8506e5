import { ConfigError } from '../../core/errors.js';
import { classProblems } from '../../core/brand.js';
import { buildTaskTable, hasRunnableTasks, tagsIn, type TagFilter, type TaskSetLike } from '../../core/tasks.js';
import { applyLocustSpellings, brandRoot, classSpellingProblems, fixedCountOf } from '../../core/locust-spellings.js';
import type { User, UserEnvironment } from '../../core/user.js';
import type { UserClassSpec } from './user-runner.js';

/** Static side of a user class as the runner reads it. */
interface UserClassStatics extends TaskSetLike {
  weight?: unknown;
  fixedCount?: unknown;
}

type UserCtor = new (environment: UserEnvironment) => User;

/**
 * Resolves user classes into spawnable specs: tasks (tag-filtered), weight and fixedCount checked.
 * Classes left with no task by the tag filter are dropped, as Locust does; a class that has no
 * task at all is an error, as is having no class left.
 */
export function buildClassSpecs(classes: readonly unknown[], filter: TagFilter): UserClassSpec[] {
  const specs: UserClassSpec[] = [];
  const problems: string[] = [];
  /** Every tag of every class's tasks: a tag named in the filter that none carries is a misspelling. */
  const known = new Set<string>();
  for (const c of classes) {
    const cls = c as UserClassStatics & UserCtor;
    const root = brandRoot(cls);
    const spellings = classSpellingProblems(cls, root);
    if (spellings.length > 0) {
      problems.push(...spellings);
      continue;
    }
    const weight = cls.weight ?? 1;
    const fixedCount = fixedCountOf(cls as unknown as Record<string, unknown>, root) ?? 0;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      problems.push(`${cls.name}.weight must be a number >= 0`);
      continue;
    }
    if (typeof fixedCount !== 'number' || !Number.isInteger(fixedCount) || fixedCount < 0) {
      problems.push(`${cls.name}.fixedCount must be a whole number >= 0`);
      continue;
    }
    const own = classProblems(cls);
    if (own.length > 0) {
      problems.push(...own);
      continue;
    }
    const unfiltered = buildTaskTable(cls);
    tagsIn(unfiltered, known);
    if (!hasRunnableTasks(unfiltered)) {
      problems.push(`${cls.name} has no tasks: mark methods with @task or set static tasks = { method: weight }`);
      continue;
    }
    const table = filter.include || filter.exclude ? buildTaskTable(cls, filter) : unfiltered;
    if (!hasRunnableTasks(table)) continue;
    const create = (env: UserEnvironment): User => {
      const user = new cls(env);
      applyLocustSpellings(user, root);
      return user;
    };
    specs.push({ name: cls.name, weight, fixedCount, table, create });
  }
  if (problems.length > 0) throw new ConfigError('BAD_USER_CLASS', problems.join('; '));
  const unknownTags = unknownTagsProblem(filter, known);
  if (unknownTags !== null) throw new ConfigError('BAD_ARGUMENT', unknownTags);
  if (specs.length === 0) {
    if (filter.include || filter.exclude) {
      const given = [
        ...(filter.include ? [`--tags ${[...filter.include].join(' ')}`] : []),
        ...(filter.exclude ? [`--exclude-tags ${[...filter.exclude].join(' ')}`] : []),
      ].join(' with ');
      throw new ConfigError('NO_USER_CLASS', `no task of any user class is left by ${given}: check the tag names written with @tag`);
    }
    throw new ConfigError('NO_USER_CLASS', 'no user classes with tasks were found');
  }
  if (specs.every((s) => s.fixedCount === 0 && s.weight === 0)) {
    throw new ConfigError('BAD_USER_CLASS', 'every user class has weight 0: give at least one a weight > 0');
  }
  return specs;
}

/**
 * A tag given to --tags or --exclude-tags that no task carries, most likely misspelt: Locust would run
 * on silently (excluding nothing, or including less than asked); here it is an error naming the tags
 * there are.
 */
function unknownTagsProblem(filter: TagFilter, known: ReadonlySet<string>): string | null {
  for (const [flag, given] of [['--tags', filter.include], ['--exclude-tags', filter.exclude]] as const) {
    const unknown = given === null ? [] : [...given].filter((t) => !known.has(t));
    if (unknown.length === 0) continue;
    const there = known.size === 0 ? 'no task has a tag (mark tasks with @tag)' : `the tags there are: ${[...known].sort().join(', ')}`;
    return `${flag} ${unknown.map((t) => JSON.stringify(t)).join(', ')}: no task of the user classes has ${unknown.length === 1 ? 'this tag' : 'these tags'}; ${there}`;
  }
  return null;
}
