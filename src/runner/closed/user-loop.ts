import { applyLocustSpellings, brandRoot } from '../../core/locust-spellings.js';
import { userSignalOf } from '../../core/user-signals.js';
import { shownValue } from '../../core/shown-value.js';
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { LoopTurns } from '../../core/loop-turns.js';
import type { TaskAction, TaskTable } from '../../core/tasks.js';
import { MarkovPicker, SequencePicker, WeightedPicker } from '../../core/task-picker.js';
import type { TaskSet, TaskSetParent, User } from '../../core/user.js';
import type { Rng } from '../../core/rng.js';
import type { WaitTimeFn } from '../../core/wait-time.js';
import type { LifecyclePhases } from './lifecycle-phases.js';
import type { Sleeper, WakeQueue } from './wake-queue.js';

export interface UserLoopDeps {
  clock: Clock;
  /** A task, onStart or onStop threw: group and count it; the user goes on. */
  /** `user`: the user it happened to, when a task, onStart or onStop threw (the userError event). */
  recordException(error: unknown, user?: User): void;
  /** Records catchResponse outcomes the task left undecided. */
  /** -i/--iterations: each user stops after this many tasks (null/absent: no limit). */
  iterations?: number | null;
  /**
   * After each task (and onStart/onStop): `taskError` is what it threw, if it did (catchResponse
   * requests then fail with it). Returns a user signal (RescheduleTask, StopUser…) that a request
   * listener threw while the task's deferred requests were recorded, which the loop then acts on as
   * if the task had thrown it; else undefined.
   */
  afterTask(user: User, taskError?: unknown): unknown;
  /**
   * Weighted pickers are stateless: users of a class share one per task table (a picker per user
   * cost ~400 B of an idle user's memory, bench/memory-per-user.ts). Optional: without it each
   * user builds its own.
   */
  pickers?: WeakMap<TaskTable, WeightedPicker<TaskTable['tasks'][number]>>;
  /** The run's think-time queue (one timer for all sleeping users); without it, a timer per sleep. */
  wakeQueue?: WakeQueue;
  /** Counts users inside onStart/onStop, so those stuck there at the end can be reported. */
  phases?: LifecyclePhases;
  /**
   * The run's event-loop turn count, which its HTTP sessions bump as responses complete: a user at
   * zero think time that sees it moved need not yield (loop-turns.ts). Absent: yields as counted.
   */
  loopTurns?: LoopTurns;
}

/** Minimal picker interface shared by weighted and sequential choice. */
interface Picker<T> {
  pick(rng: Rng): T;
}

type TaskSetCtor = new (parent: TaskSetParent) => TaskSet;

/** With zero think time, a user yields to the event loop (setImmediate) once per this many tasks. */
const ZERO_WAIT_YIELD_EVERY = 16;
/** …and at once when it last yielded this long ago (ms). */
const ZERO_WAIT_YIELD_AFTER_MS = 10;

function pickerFor(table: TaskTable, shared: UserLoopDeps['pickers']): Picker<TaskTable['tasks'][number]> {
  if (table.sequential) {
    const seq = new SequencePicker(table.tasks, table.weights);
    return { pick: () => seq.pick() };
  }
  if (table.markov !== null) return new MarkovPicker(table.tasks, table.markov);
  let picker = shared?.get(table);
  if (picker === undefined) {
    picker = new WeightedPicker(table.tasks, table.weights);
    shared?.set(table, picker);
  }
  return picker;
}

/**
 * One running virtual user: its task loop, its think-time sleep (woken at once by a stop), and
 * its stop state. Stopping never throws into user code (rule 10): the loop checks `stopping`
 * between tasks, and a hard stop closes the user's connections so pending requests end.
 */
export class RunningUser implements Sleeper {
  readonly user: User;
  readonly classIndex: number;
  stopping = false;
  hardStopped = false;
  /** Resolves when the user's loop (and onStop) has finished. */
  done: Promise<void> = Promise.resolve();
  #timer: TimerHandle | null = null;
  #wake: (() => void) | null = null;
  /** Sleeper fields, kept by the run's WakeQueue. */
  wakeAt = 0;
  heapIndex = -1;
  /** Zero-think-time tasks since this user last yielded to the event loop. */
  #zeroWaits = 0;
  #lastYieldMs = 0;
  /** The loop-turn count this user saw last (UserLoopDeps.loopTurns). */
  #turnsSeen = -1;
  /** Open model only: whether onStart ran, the top-level picker, and whether the last guarded call threw. */
  #openStarted = false;
  #openPicker: Picker<TaskTable['tasks'][number]> | null = null;
  #threw = false;
  /** Tasks run so far (-i/--iterations). */
  #iterations = 0;
  /** What the last task threw, for afterTask (catchResponse requests fail with it). */
  #taskError: unknown = undefined;
  readonly #deps: UserLoopDeps;
  readonly #table: TaskTable;
  readonly #onHardStop: (running: RunningUser) => void;
  readonly #onFinished: ((running: RunningUser) => void) | null;

  /**
   * `onHardStop` closes the user's connections; `onFinished` runs once the loop and onStop are
   * over, before `done` resolves. Both receive this RunningUser, so a host passes one shared
   * function for all its users instead of closures per user (bench/memory-per-user.ts).
   */
  constructor(
    user: User,
    classIndex: number,
    table: TaskTable,
    deps: UserLoopDeps,
    onHardStop: (running: RunningUser) => void,
    onFinished: ((running: RunningUser) => void) | null = null,
  ) {
    this.user = user;
    this.classIndex = classIndex;
    this.#table = table;
    this.#deps = deps;
    this.#onHardStop = onHardStop;
    this.#onFinished = onFinished;
  }

  start(): void {
    this.done = this.#run();
  }

  /** Graceful: finish the current task (think time is cut short), run onStop, end. */
  requestStop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.user.stopRequested = true;
    this.#cancelSleep();
  }

  /** At once: abort what is in flight; nothing it was doing is recorded. */
  hardStop(): void {
    this.requestStop();
    if (this.hardStopped) return;
    this.hardStopped = true;
    this.#onHardStop(this);
  }

  async #run(): Promise<void> {
    const user = this.user;
    await this.#onStart();
    if (!this.stopping) await this.#loop(user, this.#table);
    if (!this.hardStopped) await this.#onStop();
    else this.#afterTask();
    this.#onFinished?.(this);
  }

  /** The user's onStart, counted while it runs (LifecyclePhases). */
  async #onStart(): Promise<void> {
    const phases = this.#deps.phases;
    phases?.enter('onStart', this.classIndex);
    await this.#guard(() => this.user.onStart());
    phases?.leave('onStart', this.classIndex);
    this.#afterTask();
  }

  /** The user's onStop, counted while it runs (LifecyclePhases). */
  async #onStop(): Promise<void> {
    const phases = this.#deps.phases;
    phases?.enter('onStop', this.classIndex);
    await this.#guard(() => this.user.onStop());
    phases?.leave('onStop', this.classIndex);
    this.#afterTask();
  }

  async #loop(owner: User | TaskSet, table: TaskTable): Promise<void> {
    const picker = pickerFor(table, this.#deps.pickers);
    const user = this.user;
    const clock = this.#deps.clock;
    // The previous task's end reading when nothing was awaited since (no think time): one clock
    // reading per task fewer (~55 ns, a quarter of a percent of a request at zero think time).
    let started = clock.now();
    while (!this.stopping) {
      const def = picker.pick(user.rng);
      const action = def.action;
      let reschedule = false;
      if (action.kind === 'method') {
        // The common case inline (no #runAction/#guard frames): two promises and two async
        // frames fewer per task, measurable at zero think time (bench/throughput.ts).
        try {
          await action.fn.call(owner);
        } catch (e) {
          reschedule = this.#taskThrew(e);
        }
      } else {
        reschedule = await this.#runAction(owner, action);
      }
      reschedule = this.#afterTask() || reschedule;
      const ended = clock.now();
      user.lastTaskDurationSec = (ended - started) / 1000;
      // -i N: the user has run its N tasks (TaskSets' tasks included) and stops, as after this.stop().
      if (++this.#iterations === this.#deps.iterations) this.requestStop();
      if (this.stopping) return;
      if (isTaskSet(owner) && owner.interrupted) return;
      started = ended;
      if (!reschedule) {
        const sleep = this.#sleep(this.#waitSeconds(owner), ended);
        if (sleep !== null) {
          await sleep;
          started = clock.now();
        }
      }
    }
  }

  /** Runs one task; returns true when a nested TaskSet asked for an immediate reschedule. */
  async #runAction(owner: User | TaskSet, action: TaskAction): Promise<boolean> {
    switch (action.kind) {
      case 'method':
        return this.#guard(() => action.fn.call(owner));
      case 'function':
        // Locust calls a listed function with the user (`def index(user)`); `this` is the user too,
        // so a method listed by reference (`static tasks = [Shop.prototype.browse]`) works as it reads.
        return this.#guard(() => action.fn.call(owner, owner));
      case 'taskset': {
        const Ctor = action.cls as unknown as TaskSetCtor;
        let ts: TaskSet;
        try {
          ts = new Ctor(owner);
          applyLocustSpellings(ts, brandRoot(Ctor));
        } catch (e) {
          this.#deps.recordException(e);
          return false;
        }
        await this.#guard(() => ts.onStart());
        if (!this.stopping && !ts.interrupted) await this.#loop(ts, action.table);
        if (!this.hardStopped) await this.#guard(() => ts.onStop());
        return ts.interrupted?.reschedule ?? false;
      }
    }
  }

  /** Runs user code; true when it threw RescheduleTaskImmediately (the next task starts without think time). */
  async #guard(fn: () => unknown): Promise<boolean> {
    try {
      await fn();
      return false;
    } catch (e) {
      return this.#taskThrew(e);
    }
  }

  /**
   * User code threw: counted (unless a hard stop caused it), and the user goes on. The user signals
   * are not errors: interrupt() leaves the TaskSet (its flag is set), StopUser stops the user,
   * RescheduleTask only ends the task. Returns true for RescheduleTaskImmediately: no think time.
   */
  #taskThrew(e: unknown): boolean {
    const signal = userSignalOf(e);
    if (signal === 'interrupt' || signal === 'reschedule') return false;
    if (signal === 'reschedule-now') return true;
    if (signal === 'stop') {
      this.requestStop();
      return false;
    }
    this.#threw = true;
    this.#taskError = e;
    if (!this.hardStopped) this.#deps.recordException(e, this.user);
    return false;
  }

  /**
   * The deps' afterTask for the task (or onStart/onStop) that just ended; a user signal a request
   * listener threw meanwhile is acted on as if the task had thrown it. True: RescheduleTaskImmediately.
   */
  #afterTask(): boolean {
    const late = this.#deps.afterTask(this.user, this.#takeTaskError());
    return late === undefined ? false : this.#taskThrew(late);
  }

  /** What the last task threw (once: reading it clears it). */
  #takeTaskError(): unknown {
    const e = this.#taskError;
    this.#taskError = undefined;
    return e;
  }

  /**
   * Open model: runs onStart on first use, then exactly ONE task (an arrival) and returns its
   * name and whether it threw. No think time: the arrival schedule decides when the next comes.
   */
  async runOne(): Promise<{ name: string; threw: boolean }> {
    const user = this.user;
    if (!this.#openStarted) {
      this.#openStarted = true;
      await this.#onStart();
    }
    this.#openPicker ??= pickerFor(this.#table, this.#deps.pickers);
    const def = this.#openPicker.pick(user.rng);
    this.#threw = false;
    const started = this.#deps.clock.now();
    await this.#runAction(user, def.action);
    this.#afterTask();
    user.lastTaskDurationSec = (this.#deps.clock.now() - started) / 1000;
    return { name: def.name, threw: this.#threw };
  }

  /** Open model: the pooled user leaves (onStop once, if it ever started). */
  async finishOpen(): Promise<void> {
    if (this.#openStarted && !this.hardStopped) await this.#onStop();
    else this.#afterTask();
  }

  #waitSeconds(owner: User | TaskSet): number {
    const own = isTaskSet(owner) ? owner.waitTime : undefined;
    const fn: WaitTimeFn = own ?? this.user.waitTime;
    let seconds: number;
    try {
      // `this` is whoever's it is: a `waitTime()` method may read its own fields.
      seconds = fn.call(own !== undefined ? owner : this.user, owner);
    } catch (e) {
      this.#deps.recordException(e);
      return 1;
    }
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      this.#deps.recordException(badWaitTime(owner.constructor.name, seconds));
      return 1; // a broken wait function must not turn into a busy loop
    }
    return seconds;
  }

  /**
   * The think time; null when there is none to wait (the caller then goes on without an await).
   * `now` is the clock reading the caller just took (one reading fewer per task).
   */
  #sleep(seconds: number, now: number): Promise<void> | null {
    if (this.stopping) return null;
    if (seconds <= 0) {
      // No think time: give the event loop a turn every few tasks, or as soon as this user has run
      // for a while without one, so CPU-only tasks cannot starve timers. Not after every task: a task
      // that awaited a request already let the loop run, and a setImmediate per task cost ~1-2 µs of
      // CPU per request (bench/throughput.ts).
      // The loop turned since this user last looked (a response came in): that was the turn; count afresh.
      const turns = this.#deps.loopTurns;
      if (turns !== undefined && turns.count !== this.#turnsSeen) {
        this.#turnsSeen = turns.count;
        this.#zeroWaits = 0;
        this.#lastYieldMs = now;
        return null;
      }
      if (++this.#zeroWaits < ZERO_WAIT_YIELD_EVERY && now - this.#lastYieldMs < ZERO_WAIT_YIELD_AFTER_MS) return null;
      this.#zeroWaits = 0;
      this.#lastYieldMs = now;
      return new Promise((resolve) => setImmediate(resolve));
    }
    const queue = this.#deps.wakeQueue;
    return new Promise((resolve) => {
      this.#wake = resolve;
      if (queue) {
        queue.sleep(this, seconds * 1000);
        return;
      }
      this.#timer = this.#deps.clock.setTimer(() => {
        this.#timer = null;
        this.#wake = null;
        resolve();
      }, seconds * 1000);
    });
  }

  /** The think time is over (called by the WakeQueue). */
  wake(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #cancelSleep(): void {
    this.#deps.wakeQueue?.cancel(this);
    if (this.#timer) this.#deps.clock.clearTimer(this.#timer);
    this.#timer = null;
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/**
 * The exception for a waitTime that returned no usable seconds: one row per class in the exceptions
 * table (same message every time). Its stack is the message alone: the frames would be brood's,
 * and the fix is in the user's waitTime, which the message names.
 */
function badWaitTime(className: string, value: unknown): TypeError {
  const e = new TypeError(`${className}.waitTime returned ${shownValue(value)}: it must return a finite number of seconds >= 0 (the user waits 1 s instead)`);
  e.stack = `TypeError: ${e.message}`;
  return e;
}

function isTaskSet(owner: User | TaskSet): owner is TaskSet {
  return 'parent' in owner && 'interrupt' in owner;
}
