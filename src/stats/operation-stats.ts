import { StatsRegistry } from './registry.js';
import type { EntrySummary } from './types.js';

/** One judged window of an open-model run (seed: "every 60-second window"). */
export interface OperationWindow {
  startSec: number;
  endSec: number;
  /** Arrivals the pattern scheduled in the window. */
  scheduled: number;
  /** Operations that completed in the window. */
  completed: number;
  failed: number;
  dropped: number;
  achievedRate: number;
  scheduledRate: number;
  /** P99 latency from the scheduled start, overall and per operation (ms). */
  p99Ms: number | null;
  p99ByOperation: Record<string, number | null>;
}

const P99 = 7; // index of 0.99 in PERCENTILES

/**
 * Open-model statistics. Every operation (one arrival = one task) is recorded twice: its latency
 * from the SCHEDULED start (the headline: coordinated-omission-free, like wrk2) and its service
 * time from the actual start. A third registry holds only the current window, for the per-window
 * pass criteria. All three are ordinary StatsRegistry instances (HDR, snapshots, summaries).
 */
export class OperationStats {
  readonly latency: StatsRegistry;
  readonly service: StatsRegistry;
  readonly #window: StatsRegistry;
  readonly #now: () => number;
  readonly windows: OperationWindow[] = [];
  dropped = 0;
  #windowDropped = 0;
  #windowScheduled = 0;

  constructor(now: () => number) {
    this.#now = now;
    this.latency = new StatsRegistry(now);
    this.service = new StatsRegistry(now);
    this.#window = new StatsRegistry(now);
  }

  recordOperation(className: string, task: string, latencyMs: number, serviceMs: number, failed: boolean): void {
    if (failed) {
      this.latency.recordFailure(className, task, latencyMs, 0, 'operation failed');
      this.service.recordFailure(className, task, serviceMs, 0, 'operation failed');
      this.#window.recordFailure(className, task, latencyMs, 0, 'operation failed');
    } else {
      this.latency.recordSuccess(className, task, latencyMs, 0);
      this.service.recordSuccess(className, task, serviceMs, 0);
      this.#window.recordSuccess(className, task, latencyMs, 0);
    }
  }

  /** An arrival came due (whether it then ran or was dropped). */
  recordScheduled(): void {
    this.#windowScheduled++;
  }

  recordDropped(): void {
    this.dropped++;
    this.#windowDropped++;
  }

  /** Figures of the window in progress (the live view). */
  currentWindow(): { entries: EntrySummary[]; aggregated: EntrySummary } {
    return this.#window.summaries(this.#now());
  }

  /**
   * Closes the window [startSec, endSec). `scheduled` is the arrivals that actually came due in it
   * (for a Poisson pattern that count varies around the mean, and the judgement must not).
   */
  closeWindow(startSec: number, endSec: number): OperationWindow {
    const scheduled = this.#windowScheduled;
    const { entries, aggregated } = this.#window.summaries(this.#now());
    const length = Math.max(1e-9, endSec - startSec);
    const p99ByOperation: Record<string, number | null> = {};
    for (const e of entries) p99ByOperation[e.name] = e.percentilesMs[P99] ?? null;
    const window: OperationWindow = {
      startSec,
      endSec,
      scheduled,
      completed: aggregated.numRequests,
      failed: aggregated.numFailures,
      dropped: this.#windowDropped,
      achievedRate: aggregated.numRequests / length,
      scheduledRate: scheduled / length,
      p99Ms: aggregated.percentilesMs[P99] ?? null,
      p99ByOperation,
    };
    this.windows.push(window);
    this.#window.reset();
    this.#windowDropped = 0;
    this.#windowScheduled = 0;
    return window;
  }
}
