import type { Clock } from '../../core/clock.js';
import { sessionOf, USER_PRECONNECT, type PreconnectPlan, type UserEnvironment } from '../../core/user.js';
import { RunningUser, type UserLoopDeps } from '../closed/user-loop.js';
import type { UserClassSpec } from '../closed/user-runner.js';

/** A pooled open-model user wherever it runs: here, or in a worker thread (--processes). */
export interface OpenUserHandle {
  readonly classIndex: number;
  readonly hardStopped: boolean;
  hardStop(): void;
}

/** One arrival's task as it ran: times in the run's clock (ms). */
export interface OperationOutcome {
  /** The task's name, or null when the user could not be constructed (nothing ran). */
  name: string | null;
  failed: boolean;
  startedMs: number;
  endedMs: number;
}

/**
 * Where the open model's pooled users live. The ArrivalRunner keeps the schedule, the class
 * choice and the pool (which users exist, which are idle); the host creates users and runs one
 * task per arrival on them.
 */
export interface OpenUserHost<H extends OpenUserHandle = OpenUserHandle> {
  /** A new pooled user; null when it cannot be made here and now (an exception is recorded). */
  create(spec: UserClassSpec, classIndex: number, userId: number): H | null;
  /** Runs one task (onStart first, on the user's first arrival). Never rejects. */
  runOne(handle: H): Promise<OperationOutcome>;
  /** The run is over: every user that started runs onStop, then its connections close. */
  finishAll(handles: readonly H[]): Promise<void>;
  /** How a pre-allocated user connects before the run (see PreconnectPlan). */
  preconnect(handle: H): PreconnectPlan;
}

/** The default host: users in this thread, as RunningUsers. */
export function localOpenUserHost(deps: {
  clock: Clock;
  loop: UserLoopDeps;
  environmentFor(userId: number, spec: UserClassSpec): UserEnvironment;
}): OpenUserHost<RunningUser> {
  const hardClose = (running: RunningUser): void => sessionOf(running.user)?.close(true);
  return {
    create(spec, classIndex, userId) {
      try {
        const user = spec.create(deps.environmentFor(userId, spec));
        return new RunningUser(user, classIndex, spec.table, deps.loop, hardClose);
      } catch (e) {
        deps.loop.recordException(e);
        return null;
      }
    },
    async runOne(running) {
      const session = sessionOf(running.user);
      const failuresBefore = session?.failureCount ?? 0;
      const startedMs = deps.clock.now();
      const { name, threw } = await running.runOne();
      const endedMs = deps.clock.now();
      return { name, failed: threw || (session?.failureCount ?? 0) > failuresBefore, startedMs, endedMs };
    },
    async finishAll(handles) {
      await Promise.all(handles.map((r) => r.finishOpen()));
      for (const r of handles) sessionOf(r.user)?.close(r.hardStopped);
    },
    preconnect: (running) => running.user[USER_PRECONNECT](),
  };
}
