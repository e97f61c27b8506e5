import { events } from '../../core/events.js';
import { releaseRunHooks, runHooks, type Hooks, type RunEnvironment } from '../../core/hooks.js';
import { QUITTING_WAIT_MS, type WorkerEvent, type WorkerSetup, type WorkerToMain } from './worker-protocol.js';
import type { StatsRegistry } from '../../stats/registry.js';
import { buildRunEnvironment } from '../thread/run-environment.js';
import { CustomMessages } from '../../core/custom-messages.js';
import { STATE_INIT, STATE_RUNNING, STATE_SPAWNING, STATE_STOPPED, STATE_STOPPING, type RunnerState, type RunnerView } from '../../core/runner-view.js';

/**
 * A --processes worker's side of the run's test-level events. The worker imported the test file
 * itself, so its `events` registry holds the file's listeners: they run here, where the users
 * (and their requests and errors) are. The main thread sends the run's moments (testStart,
 * spawningComplete, testStopping, testStop); init fires once the worker is set up, quitting when
 * it is told to exit. quit() asks the main thread to end the run. The runner's state follows those
 * moments, as a Locust worker's follows its master's messages; its user_count is this worker's.
 */
export class WorkerEvents {
  readonly hooks: Hooks;
  readonly environment: RunEnvironment;
  /** The same runner object, for the worker's users (user-factory.ts). */
  readonly runner: RunnerView;
  #state: RunnerState = STATE_INIT;
  readonly #messages: CustomMessages;

  /** `userCount`: this worker's users running now. */
  constructor(setup: WorkerSetup, stats: StatsRegistry, recordException: (e: unknown) => void, post: (m: WorkerToMain) => void, userCount: () => number) {
    this.hooks = runHooks(events, recordException);
    this.#messages = new CustomMessages(recordException, (type, from) =>
      console.error(`warning: worker ${setup.index} got a custom message '${type}' from ${from}, which no listener here takes (runner.register_message('${type}', listener) in an init listener)`),
    );
    const built = buildRunEnvironment({
      host: setup.host,
      options: setup.options,
      parsedOptions: setup.parsedOptions,
      worker: setup.index,
      events: this.hooks,
      stats,
      runner: {
        quit: (reason) => post({ type: 'quit', reason: reason ?? `quit by the test in worker ${setup.index} (environment.runner.quit())` }),
        userCount,
        state: () => this.#state,
        kind: 'worker',
        workerIndex: setup.index,
        messages: this.#messages,
        sendMessage: (type, data, to) => {
          if (to !== null) throw new TypeError(`runner.send_message('${type}', data, ${to}): a worker sends to the main process only (leave toWorker out)`);
          post({ type: 'message', msgType: type, data });
        },
        workerCount: null,
        targetUserCount: null,
      },
    });
    this.environment = built.environment;
    this.runner = built.runner;
  }

  init(): void {
    this.hooks.init.emit({ environment: this.environment });
  }

  fire(e: WorkerEvent): void {
    const h = this.hooks;
    switch (e.name) {
      case 'testStart':
        this.#state = STATE_SPAWNING;
        h.testStart.emit({ host: this.environment.host, environment: this.environment });
        return;
      case 'spawningComplete':
        if (this.#state === STATE_SPAWNING) this.#state = STATE_RUNNING;
        h.spawningComplete.emit({ userCount: e.userCount });
        return;
      case 'testStopping':
        this.#state = STATE_STOPPING;
        h.testStopping.emit({ reason: e.reason });
        return;
      case 'testStop':
        this.#state = STATE_STOPPED;
        h.testStop.emit({ reason: e.reason });
        return;
    }
  }

  /** runner.send_message from the main process reached this worker. */
  message(type: string, data: string): void {
    this.#messages.deliver(type, data, 'master', this.environment);
  }

  /**
   * The worker exits: its exit code is the main process's to decide (null here). An async listener
   * (posting this worker's report) is waited for, as the main's, up to QUITTING_WAIT_MS; the main
   * side waits for the worker longer than that (WORKER_EXIT_WAIT_MS).
   */
  async quitting(): Promise<void> {
    const late = await this.hooks.quitting.emitAndWait({ exitCode: null, environment: this.environment }, QUITTING_WAIT_MS);
    releaseRunHooks(this.hooks);
    if (late > 0) console.error(`warning: ${late} async quitting listener${late === 1 ? ' is' : 's are'} still running in worker ${String(this.environment.worker)} after ${QUITTING_WAIT_MS / 1000} s: exiting without ${late === 1 ? 'it' : 'them'}`);
  }
}
