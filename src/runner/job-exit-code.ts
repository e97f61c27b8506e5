/** How a run went, as far as its exit code cares. */
export interface RunVerdictInput {
  /** Whether each target was met. */
  targets: ReadonlyArray<{ met: boolean }>;
  failures: number;
  exceptions: number;
  interrupted: boolean;
  /** The load shape threw (a broken test, not a failed one). */
  shapeFailed: boolean;
}

/**
 * 0 passed, 1 failed, 2 the shape threw. With targets, they alone decide pass or fail (a run may
 * have expected failures); without any, a failed request, an exception or an interrupt fails it.
 */
export function jobExitCode(run: RunVerdictInput): 0 | 1 | 2 {
  if (run.shapeFailed) return 2;
  if (run.targets.length > 0) return run.targets.every((t) => t.met) ? 0 : 1;
  return run.failures > 0 || run.exceptions > 0 || run.interrupted ? 1 : 0;
}
