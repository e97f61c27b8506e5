/**
 * loading/: from -f / --scenario / --shape to the user classes, shape and targets a run needs:
 * test files imported with a bound and one-line errors naming file:line (load-module.ts,
 * bounded-import.ts, import-site.ts), TOML scenarios (load-toml-scenario.ts, toml-key-line.ts)
 * and the text files a user names (read-text-file.ts). Below cli/ and runner/: the CLI and every
 * --processes worker (runner/workers/) resolve a test the same way (here).
 */
import { ConfigError } from '../core/errors.js';
import type { LoadShape } from '../core/shape.js';
import type { Target } from '../core/targets.js';
import { validateTargets } from '../core/target-check.js';
import { ConfigErrors } from '../core/errors.js';
import { loadTestModule } from './load-module.js';
import { loadTomlScenario, tomlScenarioPath } from './load-toml-scenario.js';
import type { ArrivalPatternSpec } from '../core/arrival-pattern.js';
import type { ArrivalDeclaration, OpenPoolLimits } from '../core/open-pool-limits.js';
import { checkArrivalTable } from '../core/arrival-spec-check.js';
import { loadVegetaTargets, type VegetaTargetsFormat } from './vegeta-targets.js';
import { vegetaTargetsUser, type TargetsNameBy } from '../../users/vegeta-targets-user.js';
import type { ReplayRecord } from '../core/trace-records.js';

/** Everything the run needs that comes from a test file or a scenario. */
export interface ResolvedTest {
  userClasses: unknown[];
  shape: LoadShape | null;
  shapeName: string | null;
  targets: Target[];
  scenario: string | null;
  testFile: string | null;
  users: number;
  spawnRate: number;
  runTimeSec: number | null;
  /** Open model from a TOML scenario file or a test module's `arrival`: its pattern, pool bounds and [validation]. */
  arrival: {
    pattern: ArrivalPatternSpec;
    pool: OpenPoolLimits;
    p99Ms: number | null;
    maxErrorRate: number | null;
    expectedThroughput: number | null;
    replay?: { records: readonly ReplayRecord[]; rateMultiplier: number };
  } | null;
}

/**
 * What picks the test and what its defaults yield to: the CLI's validated options (RunConfig), or
 * the same object as a --processes worker receives it. Only what resolving reads, so that workers
 * and the CLI share this without importing the CLI.
 */
export interface TestSelection {
  /** -f: a test file. */
  file: string | null;
  /** --scenario: a built-in scenario's name or a TOML scenario file. */
  scenario: string | null;
  /** Positional class names (null: every class). */
  userClassNames: string[] | null;
  users: number | null;
  spawnRate: number | null;
  runTimeSec: number | null;
  /** --shape: a built-in shape, a LoadShape class of the -f file, or a file exporting one. */
  shape: string | null;
  stepUsers: number | null;
  stepTimeSec: number | null;
  /** --target-rate (a TOML scenario without [arrival] needs it). */
  arrival: { rate: number | null } | null;
  /** --targets: a Vegeta targets file instead of a test file or scenario. */
  targets: TargetsSelection | null;
}

/** --targets FILE and how to run it (users/vegeta-targets-user.ts). */
export interface TargetsSelection {
  file: string;
  format: VegetaTargetsFormat;
  nameBy: TargetsNameBy;
  /** -H was given: each target's path and query go to the run's host instead of its own origin. */
  rebase: boolean;
}

type ShapeCtor = new () => LoadShape;

/**
 * Turns --scenario / -f / --shape into user classes, shape and targets. Scenario defaults apply
 * where the command line is silent; flags always win.
 */
export async function resolveTest(config: TestSelection): Promise<ResolvedTest> {
  let resolved: ResolvedTest;
  let fileShapes: ShapeCtor[] = [];
  if (config.targets) {
    resolved = resolveTargetsFile(config, config.targets);
  } else if (config.file) {
    const mod = await loadTestModule(config.file);
    if (mod.userClasses.length === 0) {
      throw new ConfigError('NO_USER_CLASS', `${mod.file} exports no user class: export a class extending User or HttpUser`);
    }
    const problems = validateTargets(mod.targets ?? [], mod.file);
    if (problems.length > 0) throw new ConfigErrors(problems);
    fileShapes = mod.shapeClasses as ShapeCtor[];
    // With --shape the flag decides (it may name one of these classes); without it, one shape at most.
    const ShapeClass = config.shape !== null ? undefined : onlyShape(fileShapes, mod.file, true);
    resolved = {
      userClasses: mod.userClasses,
      shape: ShapeClass ? new ShapeClass() : null,
      shapeName: ShapeClass ? ShapeClass.name : null,
      targets: mod.targets ?? [],
      scenario: null,
      testFile: mod.file,
      users: config.users ?? 1,
      spawnRate: config.spawnRate ?? 1,
      runTimeSec: config.runTimeSec,
      arrival: mod.arrival ? { pattern: mod.arrival, pool: mod.pool, p99Ms: null, maxErrorRate: null, expectedThroughput: null } : null,
    };
  } else if (config.scenario && tomlScenarioPath(config.scenario)) {
    resolved = await resolveTomlScenario(config, tomlScenarioPath(config.scenario) as string);
  } else if (config.scenario) {
    const { findScenario } = await import('../../scenarios/index.js');
    const sc = findScenario(config.scenario);
    const shape = sc.shape ? sc.shape() : null;
    const load = { users: config.users ?? sc.users, spawnRate: config.spawnRate ?? sc.spawnRate, runTimeSec: config.runTimeSec ?? sc.runTimeSec };
    resolved = {
      userClasses: sc.userClasses,
      shape,
      shapeName: shape ? shape.constructor.name : null,
      targets: [...sc.targets, ...(sc.targetsFor?.(load) ?? [])],
      scenario: sc.name,
      testFile: null,
      users: config.users ?? sc.users,
      spawnRate: config.spawnRate ?? sc.spawnRate,
      runTimeSec: config.runTimeSec ?? sc.runTimeSec,
      arrival: sc.arrival ? scenarioArrival(sc.name, sc.arrival) : null,
    };
  } else {
    const { SCENARIOS } = await import('../../scenarios/index.js');
    throw new ConfigError(
      'NO_TEST',
      `nothing to run: give -f FILE or --scenario NAME (scenarios: ${Object.keys(SCENARIOS).join(', ')})`,
    );
  }
  if (config.userClassNames) resolved.userClasses = selectUserClasses(resolved.userClasses, config.userClassNames, resolved.scenario !== null ? `scenario ${resolved.scenario}` : (resolved.testFile ?? 'the test file'));
  if (config.shape !== null) Object.assign(resolved, await resolveShapeFlag(config, fileShapes));
  return resolved;
}

/** --targets: the file's targets as one user class; open model with --target-rate, else -u users each walking the list. */
function resolveTargetsFile(config: TestSelection, targets: TargetsSelection): ResolvedTest {
  const list = loadVegetaTargets(targets.file, targets.format);
  const openModel = config.arrival?.rate != null;
  return {
    userClasses: [vegetaTargetsUser(list, targets.nameBy, targets.rebase, openModel)],
    shape: null,
    shapeName: null,
    targets: [],
    scenario: null,
    testFile: targets.file,
    users: config.users ?? 1,
    spawnRate: config.spawnRate ?? config.users ?? 1,
    runTimeSec: config.runTimeSec,
    arrival: null,
  };
}

/** A built-in scenario's open model, checked as a test file's `arrival` is (a broken one is brood's bug, said in one line). */
function scenarioArrival(name: string, declared: ArrivalDeclaration): NonNullable<ResolvedTest['arrival']> {
  const checked = checkArrivalTable(declared);
  if (checked.spec === null || checked.problems.length > 0) {
    throw new Error(`internal: scenario ${name}'s arrival: ${checked.problems.map((p) => p.message).join('; ')}`);
  }
  return { pattern: checked.spec, pool: checked.pool, p99Ms: null, maxErrorRate: null, expectedThroughput: null };
}

/**
 * The classes named on the command line, in the file's order (as `locust -f FILE UserA UserB`);
 * their weights and fixedCounts share the run among themselves. Every unknown name is one error.
 */
export function selectUserClasses(classes: readonly unknown[], names: readonly string[], source: string): unknown[] {
  const nameOf = (c: unknown): string => (c as { name: string }).name;
  const known = new Set(classes.map(nameOf));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new ConfigErrors(unknown.map((n) => new ConfigError(
      'BAD_ARGUMENT',
      `unknown user class "${n}": ${source} has ${[...known].join(', ')} (names are case-sensitive; -l lists them)`,
    )));
  }
  const wanted = new Set(names);
  return classes.filter((c) => wanted.has(nameOf(c)));
}

/**
 * The one LoadShape class a file exports, or undefined for none. Several are refused, naming them
 * all: running the first one found would depend on export order and say nothing.
 */
function onlyShape(classes: readonly ShapeCtor[], file: string, testFile: boolean): ShapeCtor | undefined {
  if (classes.length <= 1) return classes[0];
  const names = classes.map((c) => c.name);
  const pick = testFile ? `pick one with --shape ${names[0]}` : `export only one (or export them from the -f file and pick one with --shape ${names[0]})`;
  throw new ConfigError('BAD_SHAPE', `${file} exports ${names.length} LoadShape classes (${names.join(', ')}) and brood runs one: ${pick}`);
}

/**
 * --shape NAME: a built-in shape (step, spike), a LoadShape class the -f file exports (by class
 * name, to choose among several), or a file exporting one.
 */
async function resolveShapeFlag(config: TestSelection, fileShapes: readonly ShapeCtor[]): Promise<Partial<ResolvedTest>> {
  const name = config.shape ?? '';
  const { SHAPE_NAMES, shapeFromFlags } = await import('../../shapes/index.js');
  if ((SHAPE_NAMES).includes(name)) {
    const shape = shapeFromFlags(name, {
      users: config.users,
      spawnRate: config.spawnRate,
      stepUsers: config.stepUsers,
      stepTimeSec: config.stepTimeSec,
      runTimeSec: config.runTimeSec,
    });
    // A shape owns the user count and (unless -t says otherwise) the run's length.
    return { shape, shapeName: `${name} (${shape.constructor.name})`, runTimeSec: config.runTimeSec };
  }
  const named = fileShapes.find((c) => c.name === name);
  if (named) return { shape: new named(), shapeName: named.name, runTimeSec: config.runTimeSec };
  if (!/\.[cm]?[jt]sx?$/.test(name)) {
    const exported = fileShapes.length > 0 ? `, or a LoadShape class of ${config.file} (${fileShapes.map((c) => c.name).join(', ')})` : '';
    throw new ConfigError('BAD_SHAPE', `unknown shape "${name}": use ${SHAPE_NAMES.join(', ')}, a file exporting a LoadShape${exported}`);
  }
  const mod = await loadTestModule(name, process.cwd(), '--shape');
  const ShapeClass = onlyShape(mod.shapeClasses as ShapeCtor[], mod.file, false);
  if (!ShapeClass) throw new ConfigError('BAD_SHAPE', `${mod.file} exports no LoadShape subclass`);
  return { shape: new ShapeClass(), shapeName: ShapeClass.name, runTimeSec: config.runTimeSec };
}

async function resolveTomlScenario(config: TestSelection, path: string): Promise<ResolvedTest> {
  const sc = loadTomlScenario(path);
  const rate = config.arrival?.rate ?? null;
  // Without [arrival] only --target-rate says how much arrives (it used to be 100/s, said nowhere).
  if (sc.arrival === null && rate === null) {
    throw new ConfigError('BAD_INPUT', `${sc.file}: [arrival] is missing: add one (e.g. pattern = "constant" and rate = 100) or give --target-rate`);
  }
  const { memoryWorkloadUser } = await import('../../users/memory-workload-user.js');
  const pattern: ArrivalPatternSpec = sc.arrival ?? { pattern: 'constant', rate: rate ?? 0 };
  return {
    userClasses: [memoryWorkloadUser(sc.operations, sc.data)],
    shape: null,
    shapeName: null,
    targets: [],
    scenario: sc.name,
    testFile: path,
    users: 0,
    spawnRate: 1,
    runTimeSec: config.runTimeSec ?? sc.durationSec,
    arrival: { pattern, pool: sc.pool, p99Ms: sc.validation.p99Ms, maxErrorRate: sc.validation.maxErrorRate, expectedThroughput: sc.validation.throughputOpsSec },
  };
}
