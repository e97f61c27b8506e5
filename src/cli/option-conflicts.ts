import { ConfigError, ConfigErrors } from '../core/errors.js';
import type { ResolvedTest } from '../loading/resolve-test.js';
import type { RunConfig } from './run-config.js';

/** What the user typed beyond the validated config: --arrival, and what set the arrival rate (capacity's --rates). */
export interface GivenOptions {
  arrival?: string | undefined;
  /** How messages name the rate: '--target-rate' (default), or capacity's own. */
  rateFrom?: string;
}

/**
 * Options that would silently do nothing given another (rule 8: never silently ignored). An open
 * model has no user count, so -u, -r and a load shape mean nothing there (`--target-rate 10 --shape
 * step` ran the open model while the step shape's ten minutes kept it going); the step flags only
 * shape `--shape step` (and --step-time `--shape spike`); a custom shape's tick() decides users and
 * spawn rate itself (Locust warns and ignores -u/-r there). Each is one line naming both sides and
 * what to do instead. Pairs that both make sense together are honoured (README, "Options that
 * cannot be combined").
 */
export function optionConflicts(given: GivenOptions, config: RunConfig, test: ResolvedTest): ConfigError[] {
  const problems: string[] = [];
  const open = openModelSource(config, test, given.rateFrom ?? '--target-rate');
  const shape = shapeSource(config, test);
  if (open !== null) {
    if (shape !== null) problems.push(`${shape.flag} and ${open} cannot be combined: a load shape sets a user count over time, and an open-model run has arrivals per second and no user count; choose one`);
    if (config.users !== null) problems.push(`-u/--users does not apply to an open-model run (${open}): its user pool grows as arrivals need it; bound it with --max-users`);
    if (config.spawnRate !== null) problems.push(`-r/--spawn-rate does not apply to an open-model run (${open}): arrivals follow the rate from the first second (a file's arrival pattern 'ramp' ramps it)`);
    if (given.arrival !== undefined && test.arrival !== null && !test.arrival.replay) {
      problems.push(`--arrival ${given.arrival} does not apply: ${openFromTest(config, test)} brings its own arrival pattern (${test.arrival.pattern.pattern}); ${given.rateFrom === undefined ? '--target-rate rescales it' : 'each rate rescales it'}`);
    }
  } else if (shape !== null && shape.kind === 'custom') {
    if (config.users !== null) problems.push(`-u/--users does not apply with the load shape ${shape.flag}: its tick() sets the user count; drop -u, or use --shape step (where -u caps the users)`);
    if (config.spawnRate !== null) problems.push(`-r/--spawn-rate does not apply with the load shape ${shape.flag}: its tick() sets the spawn rate; drop -r`);
  }
  const kind = shape?.kind ?? 'none';
  const why = kind === 'none' ? 'no --shape is given' : kind === 'custom' ? `${shape?.flag} sets its own stages in tick()` : '--shape spike has fixed levels (--users sets its peak, --step-time each stage)';
  if (config.stepUsers !== null && kind !== 'step') problems.push(`--step-users applies to --shape step only: ${why}`);
  if (config.stepTimeSec !== null && kind !== 'step' && kind !== 'spike') problems.push(`--step-time applies to --shape step or spike only: ${why}`);
  problems.push(...masterConflicts(config));
  return problems.map((m) => new ConfigError('BAD_ARGUMENT', m));
}

/**
 * --master: what a distributed run cannot do (yet), said rather than run as something else. The
 * master runs no users.
 */
function masterConflicts(config: RunConfig): string[] {
  if (config.distributed?.role !== 'master') return [];
  const problems: string[] = [];
  if (config.processes > 1) problems.push('--processes on --master: the master runs no users; give --processes to each --worker');
  return problems;
}

/** Throws every conflict at once (exit 2), or returns. */
export function refuseOptionConflicts(given: GivenOptions, config: RunConfig, test: ResolvedTest): void {
  const problems = optionConflicts(given, config, test);
  if (problems.length > 0) throw new ConfigErrors(problems);
}

/** What makes the run open-model, as the user wrote it; null for a closed-model run. */
function openModelSource(config: RunConfig, test: ResolvedTest, rateFrom: string): string | null {
  if (config.arrival?.rate != null) return rateFrom;
  if (test.arrival === null || test.arrival.replay) return null;
  return openFromTest(config, test);
}

function openFromTest(config: RunConfig, test: ResolvedTest): string {
  return config.file !== null ? `${test.testFile ?? config.file}'s \`arrival\`` : `--scenario ${config.scenario ?? ''}`;
}

/** The run's load shape and how the user chose it: a built-in one by --shape, or a custom class. */
function shapeSource(config: RunConfig, test: ResolvedTest): { kind: 'step' | 'spike' | 'custom'; flag: string } | null {
  if (config.shape === 'step' || config.shape === 'spike') return { kind: config.shape, flag: `--shape ${config.shape}` };
  if (test.shape === null) return null;
  if (config.shape !== null) return { kind: 'custom', flag: `--shape ${config.shape}` };
  return { kind: 'custom', flag: `${test.shapeName ?? 'LoadShape'} (exported by ${test.testFile ?? test.scenario ?? 'the test'})` };
}
