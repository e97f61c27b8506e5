/** How a run went, as far as its exit code cares. */
export interface RunVerdictInput {
  /** Whether each target was met. */
  targets: ReadonlyArray<{ met: boolean }>;
  failures: number;
  exceptions: number;
  interrupted: boolean;
  /** The load shape threw (a broken test, not a failed one). */
  shapeFailed: boolean;
  /** --exit-code-on-error (Locust's flag): the code for failures or exceptions with no targets (default 1). */
  failureExitCode?: number;
  /**
   * Whether the targets say what failures are allowed: targets the test or the command line
   * declared, or an error-rate criterion. False when the only targets are the open model's own
   * throughput check: a run whose every request failed must not pass on it (default true).
   */
  targetsJudgeFailures?: boolean;
}

/**
 * 0 passed, 1 failed, 2 the shape threw. With declared targets, they alone decide pass or fail (a
 * run may have expected failures); without any, an interrupt fails it (1) and a failed request or
 * an exception fails it with `failureExitCode` (as Locust's --exit-code-on-error; 0 lets it pass).
 * The open model's own throughput check can fail a run, but never lets one with failures pass.
 */
export function jobExitCode(run: RunVerdictInput): number {
  if (run.shapeFailed) return 2;
  const judged = run.targetsJudgeFailures ?? true;
  if (run.targets.length > 0 && judged) return run.targets.every((t) => t.met) ? 0 : 1;
  if (run.targets.some((t) => !t.met)) return 1;
  if (run.interrupted) return 1;
  return run.failures > 0 || run.exceptions > 0 ? (run.failureExitCode ?? 1) : 0;
}
