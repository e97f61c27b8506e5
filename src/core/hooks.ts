/**
 * Typed hooks (rule 7): `on()` returns an unsubscribe function; payloads are built by the emitter
 * only when `hasListeners` is true, so an unobserved hook costs one property read on the hot path.
 * A listener that throws never breaks the emitter (a task, the runner): the error goes to the
 * hook's error sink (the run records it as an exception) and the other listeners still run.
 */
import type { RunnerView } from './runner-view.js';
import { LOCUST_EVENTS, LOCUST_HOOK_METHODS, locustEventHint } from './locust-spellings.js';
import type { RunStatsView } from './run-stats-view.js';
import { userSignalOf } from './user-signals.js';

/**
 * A registry hook (`events.request`) → the hook of the run live in this thread, and back. While a
 * run is live, a listener added to the registry (Locust's `@events.request.add_listener` inside an
 * init listener) belongs to that run: it would otherwise land in a registry the run copied already,
 * and never fire. Weak: they keep neither side alive; the run's end unlinks them (releaseRunHooks).
 */
const LIVE_RUN = new WeakMap<object, object>();
const REGISTRY_OF = new WeakMap<object, object>();

export class Hook<Args> {
  static {
    // Locust's EventHook methods (`add_listener`, `fire`, …) say brood's way when read, instead of
    // "not a function" or an undefined that a port would silently skip.
    for (const [name, hint] of Object.entries(LOCUST_HOOK_METHODS)) {
      Object.defineProperty(Hook.prototype, name, {
        get(): never {
          throw new TypeError(`${name}() is Locust's EventHook method: ${hint}`);
        },
      });
    }
  }

  #listeners: Array<(args: Args) => unknown> = [];
  /** Where a throwing listener's error goes (set by the run; without one it is dropped, never thrown). */
  onError: ((error: unknown) => void) | null = null;

  on(listener: (args: Args) => unknown): () => void {
    const live = LIVE_RUN.get(this) as Hook<Args> | undefined;
    if (live !== undefined) return live.on(listener);
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  get hasListeners(): boolean {
    return this.#listeners.length > 0;
  }

  /** The listeners now registered (a run copies the import-time registry's, events.ts). */
  listeners(): ReadonlyArray<(args: Args) => unknown> {
    return this.#listeners;
  }

  emit(args: Args): void {
    for (const listener of this.#listeners) void this.#call(listener, args, this.onError);
  }

  /**
   * As emit(), for an event fired inside a user's task (the request event): a listener that throws
   * a user signal (RescheduleTask, StopUser, …) ends the task as if the task had thrown it, and the
   * listeners after it do not run, as Locust's EventHook.fire re-raises those. Anything else a
   * listener throws goes to `onError`, as with emit().
   */
  emitInTask(args: Args): void {
    for (const listener of this.#listeners) void this.#call(listener, args, this.onError, true);
  }

  /**
   * As emit(), then waits for the async listeners to settle, up to `timeoutMs`: for the last event
   * before the process exits, which would otherwise cut an async listener off mid-way (a report
   * posted, a file written). Errors go to `onError` (default: the hook's). Resolves to how many were
   * still running.
   */
  async emitAndWait(args: Args, timeoutMs: number, onError = this.onError): Promise<number> {
    const pending: Array<Promise<unknown>> = [];
    for (const listener of this.#listeners) {
      const running = this.#call(listener, args, onError);
      if (running !== null) pending.push(running);
    }
    if (pending.length === 0) return 0;
    let settled = 0;
    for (const p of pending) void p.then(() => settled++);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(pending), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    return pending.length - settled;
  }

  /**
   * Calls one listener; what it throws (or its promise rejects with) goes to `onError`, except a user
   * signal when `signals` (emitInTask), which is thrown on. Returns an async listener's settling.
   */
  #call(listener: (args: Args) => unknown, args: Args, onError: ((error: unknown) => void) | null, signals = false): Promise<unknown> | null {
    try {
      const r = listener(args);
      // An async listener's rejection is its error too, not a stray one.
      return r instanceof Promise ? r.catch((e: unknown) => onError?.(e)) : null;
    } catch (e) {
      if (signals && userSignalOf(e) !== null) throw e;
      onError?.(e);
      return null;
    }
  }
}

export interface RequestEvent {
  method: string;
  name: string;
  /** The absolute URL the request was sent to (its first hop). */
  url: string;
  responseTimeMs: number;
  contentLength: number;
  status: number;
  /** Failure reason, or null for a success. */
  error: string | null;
  userId: number;
  /** performance.now() when the request was handed to undici. */
  sentAtMs: number | null;
  requestHeaders: Readonly<Record<string, string>> | null;
  requestBody: string | Uint8Array | null;
}

/** What test-level event listeners get to see and do (Locust's `environment` in a listener). */
export interface RunEnvironment {
  /** The run's host (--host, the demo server, or the first class's host). */
  readonly host: string;
  /** The run's options (users, spawnRate, seed, host, …). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Locust's parsed_options: host, users, spawnRate, runTime and the test file's own options (camelCase). */
  readonly parsedOptions: Readonly<Record<string, unknown>>;
  /** Locust's name of parsedOptions. */
  readonly parsed_options: Readonly<Record<string, unknown>>;
  /** null in the main process; the worker's index (0, 1, …) in a --processes worker. */
  readonly worker: number | null;
  /** The run's hooks: listeners added here last for this run only. */
  readonly events: Hooks;
  /** Locust's runner: `quit()`, `user_count`, `state`, `stats`, `worker_index` (runner-view.ts); another field throws. */
  readonly runner: RunnerView;
  /**
   * The run's statistics so far (Locust's `environment.stats`: `total.fail_ratio`,
   * `total.get_response_time_percentile(0.95)`, `get(name, method)`). In a --processes worker: that
   * worker's requests since it last reported, as on a Locust worker.
   */
  readonly stats: RunStatsView;
  /**
   * Locust's `environment.process_exit_code`: set (0-255) in a listener, typically on quitting, it
   * is the process's exit code, whatever the run's own verdict would be (a broken test still exits
   * 2); null leaves the verdict. Read in the main process (a --processes worker runs the listener
   * too, on its own share of the requests; its setting is not used).
   */
  process_exit_code: number | null;
  /** brood's name of process_exit_code (the same setting). */
  processExitCode: number | null;
}

export interface Hooks {
  /** The run is set up, before anything starts (in the main process and in each --processes worker). */
  init: Hook<{ environment: RunEnvironment }>;
  /** The run starts (before the first user spawns). */
  testStart: Hook<{ host: string; environment: RunEnvironment }>;
  /** The spawn target was reached (`userCount`: users of the whole run). */
  spawningComplete: Hook<{ userCount: number }>;
  /** Every request recorded in stats (after catchResponse decided its outcome), where its user runs. */
  request: Hook<RequestEvent>;
  /** A task (or onStart/onStop) threw: `user` is the user it ran for, where that user runs. */
  userError: Hook<{ user: unknown; error: unknown }>;
  /** The run begins to stop (users are asked to finish). */
  testStopping: Hook<{ reason: string }>;
  /** The run stopped (after the last user stopped, before the files are written). */
  testStop: Hook<{ reason: string }>;
  /**
   * The run is over and the process is about to exit (after every file is written); `exitCode` is
   * the run's verdict (null in a worker). A listener may set `environment.process_exit_code`.
   */
  quitting: Hook<{ exitCode: number | null; environment: RunEnvironment }>;
}

export type HookName = keyof Hooks;

export const HOOK_NAMES: readonly HookName[] = ['init', 'testStart', 'spawningComplete', 'request', 'userError', 'testStopping', 'testStop', 'quitting'];

export function createHooks(): Hooks {
  const hooks: Hooks = {
    init: new Hook(),
    testStart: new Hook(),
    spawningComplete: new Hook(),
    request: new Hook(),
    userError: new Hook(),
    testStopping: new Hook(),
    testStop: new Hook(),
    quitting: new Hook(),
  };
  // Locust's event names (`events.test_start`) throw brood's spelling when read; not enumerable,
  // so nothing that walks the hooks sees them.
  for (const name of Object.keys(LOCUST_EVENTS)) {
    Object.defineProperty(hooks, name, {
      get(): never {
        throw new TypeError(locustEventHint(name));
      },
    });
  }
  return hooks;
}

/**
 * A run's hooks: the listeners the test file registered at import time (`events` from 'brood')
 * copied in, and a throwing listener's error sent to `onError`. The registry's own listeners are
 * only read, so every run of the file in this process (capacity steps, tests) gets the same ones;
 * listeners a run adds, through `environment.events` or through `events` while it is live (inside
 * its init listener), stay with that run. releaseRunHooks() ends the second.
 */
export function runHooks(registry: Hooks, onError: (error: unknown) => void): Hooks {
  const hooks = createHooks();
  for (const name of HOOK_NAMES) {
    const hook = hooks[name] as Hook<unknown>;
    const source = registry[name] as Hook<unknown>;
    hook.onError = onError;
    for (const listener of source.listeners()) hook.on(listener);
    LIVE_RUN.set(source, hook);
    REGISTRY_OF.set(hook, source);
  }
  return hooks;
}

/** The run is over (its quitting listeners ran): listeners added to the registry are the registry's again. */
export function releaseRunHooks(hooks: Hooks): void {
  for (const name of HOOK_NAMES) {
    const hook = hooks[name];
    const source = REGISTRY_OF.get(hook);
    if (source !== undefined && LIVE_RUN.get(source) === hook) LIVE_RUN.delete(source);
  }
}
