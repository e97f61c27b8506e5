import { events } from '../../core/events.js';
import { runHooks, type Hooks, type RunEnvironment } from '../../core/hooks.js';
import type { WorkerEvent, WorkerSetup, WorkerToMain } from './worker-protocol.js';
import type { StatsRegistry } from '../../stats/registry.js';
import { buildRunEnvironment } from '../thread/run-environment.js';

/**
 * A --processes worker's side of the run's test-level events. The worker imported the test file
 * itself, so its `events` registry holds the file's listeners: they run here, where the users
 * (and their requests and errors) are. The main thread sends the run's moments (testStart,
 * spawningComplete, testStopping, testStop); init fires once the worker is set up, quitting when
 * it is told to exit. quit() asks the main thread to end the run.
 */
export class WorkerEvents {
  readonly hooks: Hooks;
  readonly environment: RunEnvironment;

  constructor(setup: WorkerSetup, stats: StatsRegistry, recordException: (e: unknown) => void, post: (m: WorkerToMain) => void) {
    this.hooks = runHooks(events, recordException);
    this.environment = buildRunEnvironment({
      host: setup.host,
      options: setup.options,
      parsedOptions: setup.parsedOptions,
      worker: setup.index,
      events: this.hooks,
      stats,
      quit: (reason) => post({ type: 'quit', reason: reason ?? `quit by the test in worker ${setup.index} (environment.runner.quit())` }),
    }).environment;
  }

  init(): void {
    this.hooks.init.emit({ environment: this.environment });
  }

  fire(e: WorkerEvent): void {
    const h = this.hooks;
    switch (e.name) {
      case 'testStart':
        h.testStart.emit({ host: this.environment.host, environment: this.environment });
        return;
      case 'spawningComplete':
        h.spawningComplete.emit({ userCount: e.userCount });
        return;
      case 'testStopping':
        h.testStopping.emit({ reason: e.reason });
        return;
      case 'testStop':
        h.testStop.emit({ reason: e.reason });
        return;
    }
  }

  /** The worker exits: its exit code is the main process's to decide (null here). */
  quitting(): void {
    this.hooks.quitting.emit({ exitCode: null, environment: this.environment });
  }
}
