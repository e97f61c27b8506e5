/**
 * Which targets a run is checked against: `--targets memory|search|federation|api|quick` (a
 * scenario's list), `--targets FILE` (JSON `[{metric, comparator, threshold, endpoints?}]`), else the
 * scenario the run's JSON names, else the targets the run declared itself, else none. The memory
 * scenario's list takes seed 004's soak limits (SOAK_TARGETS) when the run watched a server, as the
 * runner adds them (a TOML scenario's declared targets already hold them).
 */
import { validateTargets } from '../src/core/target-check.js';
import type { Target } from '../src/core/targets.js';
import { isScenarioName, scenarioTargets, SOAK_TARGETS, type ScenarioName } from '../scenarios/scenario-targets.js';
import { AnalyzeError } from './analyze-error.js';
import { readTextFile } from './read-text-file.js';
import type { LoadedRun } from './loaded-run.js';

export interface TargetSource {
  /** Where the targets came from, for the report: "scenario quick", "file t.json", "run's declared targets". */
  origin: string;
  targets: Target[];
  /** The memory scenario's list: the soak limits join it on a run that watched a server. */
  soak?: true;
}

/** Reads a targets JSON file, reporting every problem of it on one line. */
export function readTargetsFile(file: string): Target[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readTextFile(file));
  } catch (err: unknown) {
    if (err instanceof AnalyzeError) throw err;
    throw new AnalyzeError('BAD_JSON', `${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!Array.isArray(parsed)) throw new AnalyzeError('BAD_JSON', `${file}: expected a JSON array of {metric, comparator, threshold, endpoints?}`);
  const problems = validateTargets(parsed, file);
  if (problems.length > 0) throw new AnalyzeError('BAD_TARGET', problems.map((p) => p.message).join('; '));
  return parsed as Target[];
}

/** Resolves `--targets SPEC` once, before any run is read. */
export function targetsFromSpec(spec: string): TargetSource {
  if (isScenarioName(spec)) return scenarioSource(spec, `scenario ${spec}`);
  return { origin: `file ${spec}`, targets: readTargetsFile(spec) };
}

function scenarioSource(name: ScenarioName, origin: string): TargetSource {
  return { origin, targets: scenarioTargets(name), ...(name === 'memory' ? { soak: true as const } : {}) };
}

/** Whether the run watched a server the command line named (not only the built-in demo server's own /metrics). */
function watchedServer(run: LoadedRun): boolean {
  return (run.resources?.summary.sources ?? []).some((s) => s.name !== 'demo server');
}

function withSoakTargets(source: TargetSource, run: LoadedRun): TargetSource {
  if (source.soak !== true || !watchedServer(run)) return source;
  return { origin: `${source.origin} and the soak limits (a server was watched)`, targets: [...source.targets, ...SOAK_TARGETS.map((t) => ({ ...t }))] };
}

function ownTargets(run: LoadedRun): TargetSource | null {
  const scenario = run.meta.scenario;
  if (scenario !== null && isScenarioName(scenario)) return scenarioSource(scenario, `scenario ${scenario} (named in the run's JSON)`);
  if (run.declaredTargets.length > 0) return { origin: "the run's declared targets", targets: run.declaredTargets };
  return null;
}

export function targetsForRun(run: LoadedRun, given: TargetSource | null): TargetSource | null {
  const source = given ?? ownTargets(run);
  return source === null ? null : withSoakTargets(source, run);
}
