/**
 * Which targets a run is checked against: `--targets memory|search|federation|api|quick` (a
 * scenario's list), `--targets FILE` (JSON `[{metric, comparator, threshold, endpoints?}]`), else the
 * scenario the run's JSON names, else the targets the run declared itself, else none.
 */
import { validateTargets } from '../src/core/target-check.js';
import type { Target } from '../src/core/targets.js';
import { isScenarioName, scenarioTargets } from '../scenarios/scenario-targets.js';
import { AnalyzeError } from './analyze-error.js';
import { readTextFile } from './read-text-file.js';
import type { LoadedRun } from './loaded-run.js';

export interface TargetSource {
  /** Where the targets came from, for the report: "scenario quick", "file t.json", "run's declared targets". */
  origin: string;
  targets: Target[];
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
  if (isScenarioName(spec)) return { origin: `scenario ${spec}`, targets: scenarioTargets(spec) };
  return { origin: `file ${spec}`, targets: readTargetsFile(spec) };
}

export function targetsForRun(run: LoadedRun, given: TargetSource | null): TargetSource | null {
  if (given !== null) return given;
  const scenario = run.meta.scenario;
  if (scenario !== null && isScenarioName(scenario)) {
    return { origin: `scenario ${scenario} (named in the run's JSON)`, targets: scenarioTargets(scenario) };
  }
  if (run.declaredTargets.length > 0) return { origin: "the run's declared targets", targets: run.declaredTargets };
  return null;
}
