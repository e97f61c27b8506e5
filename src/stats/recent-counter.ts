import type { RecentCounts } from './types.js';

/** Locust's "current" rates average the last 10 whole seconds. */
export const RECENT_WINDOW_SECONDS = 10;
/** Ring slots: the window plus the second in progress, plus slack for late merges. */
const RING_SIZE = 16;

/**
 * Requests and failures per wall-clock second in a fixed ring of 16 slots: recording touches three
 * preallocated typed arrays and never allocates, however long the run (rule 6).
 */
export class RecentCounter {
  private readonly slotSecond = new Float64Array(RING_SIZE).fill(-1);
  private readonly slotRequests = new Float64Array(RING_SIZE);
  private readonly slotFailures = new Float64Array(RING_SIZE);

  /** Hot path: counts one request completed at `wallMs` (epoch ms). */
  record(wallMs: number, failed: boolean): void {
    const second = Math.floor(wallMs / 1000);
    const i = this.slotFor(second);
    if (i < 0) return;
    this.slotRequests[i]! += 1;
    if (failed) this.slotFailures[i]! += 1;
  }

  /** Adds counts for one second (merging another process's counts); seconds already rotated out are dropped. */
  add(second: number, requests: number, failures: number): void {
    const i = this.slotFor(second);
    if (i < 0) return;
    this.slotRequests[i]! += requests;
    this.slotFailures[i]! += failures;
  }

  addAll(counts: RecentCounts): void {
    const n = Math.min(counts.seconds.length, counts.requests.length, counts.failures.length);
    for (let k = 0; k < n; k++) this.add(counts.seconds[k]!, counts.requests[k]!, counts.failures[k]!);
  }

  /**
   * Average requests/s over the whole seconds [now − 10 s, now), not counting seconds before the run
   * started (so early values are not diluted); 0 during the first second.
   */
  requestsPerSecond(nowWallMs: number, startWallMs: number): number {
    return this.average(this.slotRequests, nowWallMs, startWallMs);
  }

  failuresPerSecond(nowWallMs: number, startWallMs: number): number {
    return this.average(this.slotFailures, nowWallMs, startWallMs);
  }

  /** The seconds that hold counts, ascending. */
  toJSON(): RecentCounts {
    const order: number[] = [];
    for (let i = 0; i < RING_SIZE; i++) if (this.slotSecond[i]! >= 0 && this.slotRequests[i]! > 0) order.push(i);
    order.sort((a, b) => this.slotSecond[a]! - this.slotSecond[b]!);
    return {
      seconds: order.map((i) => this.slotSecond[i]!),
      requests: order.map((i) => this.slotRequests[i]!),
      failures: order.map((i) => this.slotFailures[i]!),
    };
  }

  reset(): void {
    this.slotSecond.fill(-1);
    this.slotRequests.fill(0);
    this.slotFailures.fill(0);
  }

  /** Slot index for `second`, recycling a slot that holds an older second; -1 if the slot holds a newer one. */
  private slotFor(second: number): number {
    if (!(second >= 0)) return -1;
    const i = second % RING_SIZE;
    const held = this.slotSecond[i]!;
    if (held === second) return i;
    if (held > second) return -1;
    this.slotSecond[i] = second;
    this.slotRequests[i] = 0;
    this.slotFailures[i] = 0;
    return i;
  }

  private average(counts: Float64Array, nowWallMs: number, startWallMs: number): number {
    const end = Math.floor(nowWallMs / 1000);
    const start = Math.max(end - RECENT_WINDOW_SECONDS, Math.floor(startWallMs / 1000));
    if (end <= start) return 0;
    let sum = 0;
    for (let s = start; s < end; s++) {
      const i = s % RING_SIZE;
      if (this.slotSecond[i] === s) sum += counts[i]!;
    }
    return sum / (end - start);
  }
}
