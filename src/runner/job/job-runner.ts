/**
 * The main process's side of `environment.runner` (core/runner-view.ts): where its fields are read
 * from, and Locust's custom messages: to this process's own listener on a run alone (as Locust's
 * LocalRunner), else to the workers and back.
 */
import { CustomMessages } from '../../core/custom-messages.js';
import type { RunEnvironment } from '../../core/hooks.js';
import type { RunnerSource } from '../../core/runner-view.js';
import type { WorkerUserHost } from '../workers/worker-user-host.js';
import type { JobState } from './job-state.js';

export interface JobRunnerParts {
  stop(reason: string): void;
  userCount(): number;
  /** Read when asked: the Job builds its state after its runner. */
  state(): JobState;
  /** --processes or --master: this process is the master, its users run in workers. */
  usesWorkers: boolean;
  /** The open model: no ramp, so no target_user_count. */
  open: boolean;
  workers(): WorkerUserHost | null;
  environment(): RunEnvironment;
  recordException(error: unknown): void;
  warn(line: string): void;
}

export class JobRunner {
  readonly source: Omit<RunnerSource, 'stats'>;
  readonly #messages: CustomMessages;
  readonly #p: JobRunnerParts;

  constructor(p: JobRunnerParts) {
    this.#p = p;
    this.#messages = new CustomMessages(
      (e) => p.recordException(e),
      (type, from) => p.warn(`warning: a custom message '${type}' from ${from} found no listener here (runner.register_message('${type}', listener) in an init listener)`),
    );
    this.source = {
      kind: p.usesWorkers ? 'master' : 'local',
      quit: (reason) => p.stop(reason ?? 'quit by the test (environment.runner.quit())'),
      userCount: () => p.userCount(),
      state: () => p.state().runnerState,
      workerIndex: p.usesWorkers ? null : 0,
      messages: this.#messages,
      sendMessage: (type, data, to) => this.#send(type, data, to),
      workerCount: p.usesWorkers ? () => p.workers()?.workerCount() ?? 0 : () => 1,
      targetUserCount: p.open ? null : () => p.state().targetUsers,
    };
  }

  /** A worker's runner.send_message reached the main process. */
  received(worker: number, type: string, data: string): void {
    this.#messages.deliver(type, data, worker, this.#p.environment());
  }

  #send(type: string, data: string, to: number | null): void {
    const p = this.#p;
    if (!p.usesWorkers) {
      // A run alone is Locust's LocalRunner: its one "worker" (index 0) is this process.
      if (to !== null && to !== 0) throw new TypeError(`runner.send_message('${type}', data, ${to}): a run without workers has one, index 0 (runner.worker_count is 1)`);
      this.#messages.deliver(type, data, 'local', p.environment());
      return;
    }
    const workers = p.workers();
    if (workers === null) throw new TypeError(`runner.send_message('${type}', …): the workers have not started yet (send from a testStart listener, not init)`);
    workers.message(type, data, to);
  }
}
