import type { Clock, TimerHandle } from '../../core/clock.js';
import type { ReplayRecord } from '../../core/trace-records.js';
import type { HttpSession } from '../../http/client.js';
import type { OperationRecorder } from './arrival-runner.js';

export interface ReplayRunnerDeps {
  clock: Clock;
  records: readonly ReplayRecord[];
  /** 2.0 replays twice as fast (times divided by 2). */
  rateMultiplier: number;
  /** One session per traced user, created on first use (keeps per-user connections). */
  sessionFor(user: number): HttpSession;
  recorder: OperationRecorder;
  /** Every record was sent and answered. */
  onDone(): void;
  stopTimeoutMs: number;
}

/**
 * Replays a trace open-model: each record is sent at t / multiplier after the start, whatever
 * the server does, and its latency is taken from that scheduled time. Requests are recorded in the
 * ordinary stats under their traced names, so counts compare one to one with the recorded run.
 */
export class ReplayRunner {
  readonly #deps: ReplayRunnerDeps;
  readonly #sessions = new Map<number, HttpSession>();
  #next = 0;
  #inFlight = 0;
  #startMs = 0;
  #timer: TimerHandle | null = null;
  #stopping = false;
  #drained: (() => void) | null = null;
  dispatched = 0;

  constructor(deps: ReplayRunnerDeps) {
    this.#deps = deps;
  }

  userCount(): number {
    return this.#sessions.size;
  }

  setTarget(): void {}

  start(): void {
    this.#startMs = this.#deps.clock.now();
    this.#arm();
  }

  #dueMs(r: ReplayRecord): number {
    return this.#startMs + (r.t * 1000) / this.#deps.rateMultiplier;
  }

  #arm(): void {
    const r = this.#deps.records[this.#next];
    if (!r || this.#stopping) return;
    this.#timer = this.#deps.clock.setTimer(() => this.#tick(), Math.max(0, this.#dueMs(r) - this.#deps.clock.now()));
  }

  #tick(): void {
    this.#timer = null;
    const now = this.#deps.clock.now();
    const records = this.#deps.records;
    let n = 0;
    while (this.#next < records.length && n < 2000 && !this.#stopping) {
      const r = records[this.#next] as ReplayRecord;
      if (this.#dueMs(r) > now) break;
      this.#next++;
      n++;
      void this.#send(r, this.#dueMs(r));
    }
    this.#arm();
  }

  #session(user: number): HttpSession {
    let s = this.#sessions.get(user);
    if (!s) {
      s = this.#deps.sessionFor(user);
      this.#sessions.set(user, s);
    }
    return s;
  }

  async #send(r: ReplayRecord, scheduledMs: number): Promise<void> {
    this.dispatched++;
    this.#deps.recorder.recordScheduled();
    this.#inFlight++;
    const started = this.#deps.clock.now();
    const response = await this.#session(r.user).request(r.method, r.path, {
      name: r.name,
      ...(r.headers ? { headers: r.headers } : {}),
      ...(r.body !== undefined ? { body: r.body } : {}),
    });
    const ended = this.#deps.clock.now();
    if (response.error !== 'user stopped') {
      this.#deps.recorder.recordOperation('replay', r.name, ended - scheduledMs, ended - started, response.error !== null);
    }
    this.#inFlight--;
    if (this.#inFlight === 0) {
      this.#drained?.();
      if (this.#next >= this.#deps.records.length && !this.#stopping) this.#deps.onDone();
    }
  }

  async stopAll(hard: boolean): Promise<void> {
    this.#stopping = true;
    if (this.#timer) this.#deps.clock.clearTimer(this.#timer);
    if (!hard && this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        const t = this.#deps.clock.setTimer(resolve, this.#deps.stopTimeoutMs);
        this.#drained = () => {
          this.#deps.clock.clearTimer(t);
          resolve();
        };
      });
    }
    for (const s of this.#sessions.values()) s.close(hard || this.#inFlight > 0);
  }

  hardStopAll(): void {
    this.#stopping = true;
    for (const s of this.#sessions.values()) s.close(true);
    this.#drained?.();
  }
}
