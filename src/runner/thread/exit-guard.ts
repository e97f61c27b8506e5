/**
 * `process.exit()` called by a test's own code while a run is going (a task, a listener, a timer it
 * set). Left alone it would end the process at once: no summary, no HTML or JSON, CSVs cut short,
 * and exit 0 for `exit(0)`. While the guard is on, the call instead ends the run as
 * `environment.runner.quit()` does (every file written, the console told why), and throws a
 * StopUser so the code after it never runs, as it would not have after a real exit.
 * In a --processes worker thread `process.exit` is the thread's own, so each worker guards itself.
 */
import { StopUser } from '../../core/user-signals.js';

type Exit = typeof process.exit;

/** What the guard throws: a StopUser (the user loop ends that user quietly), marked as an exit. */
export class ExitCalled extends StopUser {
  readonly code: number;

  constructor(code: number) {
    super();
    this.message = `process.exit(${code}) called by the test: the run is ending as with environment.runner.quit()`;
    this.code = code;
  }
}

export interface ExitGuard {
  /** Puts the real process.exit back. */
  release(): void;
}

/** Replaces process.exit until release(); `onExit` hears each call once, with its code. */
export function guardProcessExit(onExit: (code: number, reason: string) => void): ExitGuard {
  // The very function, unbound, so release() puts back exactly what was there.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const real: Exit = process.exit;
  const guarded = ((code?: number | string | null): never => {
    const n = typeof code === 'number' ? code : Number(code ?? process.exitCode ?? 0) || 0;
    onExit(n, `process.exit(${n}) called by the test (use environment.runner.quit() to end a run)`);
    throw new ExitCalled(n);
  }) as Exit;
  process.exit = guarded;
  return {
    release() {
      if (process.exit === guarded) process.exit = real;
    },
  };
}

export function isExitCalled(e: unknown): e is ExitCalled {
  return e instanceof ExitCalled;
}
