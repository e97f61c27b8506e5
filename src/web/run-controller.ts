/**
 * The web UI's side of the runs it starts: one run at a time, started from the form (POST /swarm)
 * or --autostart, steered while it goes (users and spawn rate), stopped, its statistics reset; a
 * new run may start once the last one has written its files. How a run is built (the test,
 * checks, files) is the caller's: `startRun` (cli/web-command.ts).
 */
import { parseDecimal } from '../core/decimal.js';
import { parseDuration } from '../core/duration.js';
import { isConfigError } from '../core/errors.js';
import type { JobLiveView } from '../runner/job/job-live.js';
import type { OutputPaths } from '../report/output-paths.js';
import type { StatsRegistry } from '../stats/registry.js';
import type { LiveFigures } from '../report/live-figures.js';
import type { RatioClass } from './task-ratio.js';
import type { UiState } from './ui-payload.js';
import type { UiRunState } from './ui-update.js';

/** What the controller needs of a run (the Job). */
export interface LiveJob {
  phase(): JobLiveView['phase'];
  liveView(): JobLiveView;
  setTarget(users: number, spawnRate: number): string | null;
  resetStatsNow(): void;
  stop(reason: string, options?: { hard?: boolean; interrupted?: boolean }): void;
  reportSoFar(): { json: string; html: string | null };
  /** What /metrics reads (Prometheus text of the run as it goes). */
  liveFigures(): LiveFigures;
  readonly classSpecs: readonly RatioClass[];
  readonly stats: StatsRegistry;
}

/** A run the caller built and started; `done` resolves with its exit code once every file is written. */
export interface WebRun {
  job: LiveJob;
  paths: OutputPaths;
  host: string;
  done: Promise<number>;
}

/** The form's fields, checked: null where the form left a field out (the command line's value is used). */
export interface SwarmRequest {
  users: number | null;
  spawnRate: number | null;
  host: string | null;
  runTimeSec: number | null;
  classNames: string[] | null;
  shape: string | null;
}

export type StartRun = (request: SwarmRequest, runNumber: number, onLogLine: (line: string) => void) => Promise<WebRun>;

export interface SwarmAnswer {
  success: boolean;
  message: string;
  host?: string;
}

/** Log lines kept per run for the Logs tab (the file has them all). */
const MAX_LOG_LINES = 2000;

export class RunController {
  readonly #startRun: StartRun;
  readonly #onRunEnded: (exitCode: number) => void;
  #runNumber = 0;
  #current: WebRun | null = null;
  #ended = true;
  #starting = false;
  #message = 'Ready: set the users and press Start';
  #log: string[] = [];
  #logDropped = 0;
  #lastExitCode: number | null = null;

  constructor(startRun: StartRun, onRunEnded: (exitCode: number) => void) {
    this.#startRun = startRun;
    this.#onRunEnded = onRunEnded;
  }

  get current(): WebRun | null {
    return this.#current;
  }

  /** The exit code of the last run that ended (null: none has). */
  get lastExitCode(): number | null {
    return this.#lastExitCode;
  }

  /** A run is under way (starting, running or stopping). */
  get busy(): boolean {
    return this.#starting || !this.#ended;
  }

  state(): UiState {
    return phaseState(this.#starting, this.#current === null, this.#ended, () => this.#current?.job.phase() ?? 'starting');
  }

  /** What the page shows now. */
  uiState(): UiRunState {
    const run = this.#current;
    const view = run?.job.liveView() ?? null;
    return {
      run: this.#runNumber,
      state: phaseState(this.#starting, run === null, this.#ended, () => view?.phase ?? 'starting'),
      message: this.#message,
      host: run?.host ?? '',
      view,
      classes: run?.job.classSpecs ?? [],
      log: { lines: this.#log, dropped: this.#logDropped },
      reportWritten: this.#ended && run !== null,
    };
  }

  /** POST /swarm: a new run when none is going, else the running one's new users and spawn rate. */
  async swarm(form: URLSearchParams): Promise<SwarmAnswer> {
    if (this.#starting) return { success: false, message: 'a run is starting: wait for it' };
    let request: SwarmRequest;
    try {
      request = swarmRequest(form);
    } catch (e) {
      return { success: false, message: messageOf(e) };
    }
    if (!this.#ended && this.#current !== null) return this.#steer(this.#current, request);
    return this.#start(request);
  }

  #steer(run: WebRun, r: SwarmRequest): SwarmAnswer {
    const ignored = [r.classNames !== null ? 'user_classes' : '', r.shape !== null ? 'shape_class' : '', r.runTimeSec !== null ? 'run_time' : '', r.host !== null && r.host !== run.host ? 'host' : ''].filter((f) => f !== '');
    if (ignored.length > 0) return { success: false, message: `a run is going: only user_count and spawn_rate can change (${ignored.join(', ')} apply to a new run: stop this one first)`, host: run.host };
    const view = run.job.liveView();
    const users = r.users ?? view.target?.users ?? view.userCount;
    const rate = r.spawnRate ?? view.target?.spawnRate ?? 1;
    const refused = run.job.setTarget(users, rate);
    if (refused !== null) return { success: false, message: refused, host: run.host };
    this.#message = `Ramping to ${users} users at ${rate}/s`;
    return { success: true, message: this.#message, host: run.host };
  }

  async #start(request: SwarmRequest): Promise<SwarmAnswer> {
    this.#starting = true;
    const runNumber = this.#runNumber + 1;
    const log: string[] = [];
    try {
      const run = await this.#startRun(request, runNumber, (line) => this.#keepLogLine(log, line));
      this.#runNumber = runNumber;
      this.#current = run;
      this.#log = log;
      this.#logDropped = 0;
      this.#ended = false;
      this.#message = `Run ${runNumber} started against ${run.host}`;
      void run.done.then(
        (code) => this.#runEnded(runNumber, code, null),
        (e: unknown) => this.#runEnded(runNumber, 3, e),
      );
      return { success: true, message: 'Swarming started', host: run.host };
    } catch (e) {
      this.#message = `Not started: ${messageOf(e)}`;
      return { success: false, message: messageOf(e) };
    } finally {
      this.#starting = false;
    }
  }

  #keepLogLine(log: string[], line: string): void {
    log.push(line.trimEnd());
    if (log.length > MAX_LOG_LINES && log === this.#log) {
      log.shift();
      this.#logDropped++;
    }
  }

  #runEnded(runNumber: number, exitCode: number, error: unknown): void {
    this.#ended = true;
    this.#lastExitCode = exitCode;
    this.#message = error === null ? `Run ${runNumber} ended (exit code ${exitCode}): its files are written` : `Run ${runNumber} failed: ${messageOf(error)}`;
    this.#onRunEnded(exitCode);
  }

  /** POST /stop. */
  stop(reason = 'stopped from the web UI', interrupted = false): SwarmAnswer {
    const run = this.#current;
    if (run === null || this.#ended) return { success: false, message: 'no run is going' };
    run.job.stop(reason, { interrupted });
    this.#message = 'Stopping: users finish their tasks (--stop-timeout)';
    return { success: true, message: 'Test stopped' };
  }

  /** Ctrl-C or a second stop: users are stopped now. */
  stopHard(reason: string): void {
    if (this.#current !== null && !this.#ended) this.#current.job.stop(reason, { hard: true, interrupted: true });
  }

  /** POST /stats/reset. */
  resetStats(): boolean {
    const run = this.#current;
    if (run === null || this.#ended) return false;
    run.job.resetStatsNow();
    this.#message = 'Statistics reset';
    return true;
  }

  /** Resolves when the current run (if any) has written its files. */
  async settled(): Promise<void> {
    if (this.#current !== null) await this.#current.done.catch(() => undefined);
  }
}

/** Locust's state word for where the controller and its run are. */
function phaseState(starting: boolean, none: boolean, ended: boolean, phase: () => JobLiveView['phase']): UiState {
  if (starting) return 'spawning';
  if (none) return 'ready';
  if (ended) return 'stopped';
  const p = phase();
  return p === 'starting' ? 'spawning' : p;
}

function messageOf(e: unknown): string {
  if (isConfigError(e)) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** The form's fields as Locust names them; an empty field is "not given". */
export function swarmRequest(form: URLSearchParams): SwarmRequest {
  const text = (name: string): string | null => {
    const v = form.get(name);
    return v === null || v.trim() === '' ? null : v.trim();
  };
  const users = text('user_count');
  const rate = text('spawn_rate');
  const runTime = text('run_time');
  const shape = text('shape_class');
  const classes = form.getAll('user_classes').map((c) => c.trim()).filter((c) => c !== '');
  const n = users === null ? null : Number(users);
  if (n !== null && (!Number.isInteger(n) || n < 0)) throw new Error(`user_count must be a whole number >= 0, got "${users}"`);
  const r = rate === null ? null : parseDecimal(rate);
  if (r !== null && !(r > 0)) throw new Error(`spawn_rate must be a number > 0, got "${rate}"`);
  return {
    users: n,
    spawnRate: r,
    host: text('host'),
    runTimeSec: runTime === null ? null : parseDuration(runTime, 'run_time'),
    classNames: classes.length > 0 ? classes : null,
    shape,
  };
}
