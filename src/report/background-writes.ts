/**
 * The CSVs rewritten every history interval, written off the main thread. writeFileAtomic's fsync
 * blocks the event loop until the disk has the file: ~0.2 ms a file on a quiet local disk, but tens
 * of ms on a busy or network disk, three files a second, and every request in flight meanwhile is
 * timed that much slower than its server answered. Here the temporary file is written and flushed by
 * libuv's thread pool; only the rename (a metadata change, no flush) runs on the main thread, so a
 * rewrite stays atomic for the same reason writeFileAtomic's is (atomic-write.ts).
 *
 * Per path, one write at a time: a rewrite asked for while one is in flight replaces any other that
 * waits, and goes when it ends (the newest content wins, none is written twice). `writeNow()` (the
 * run's last write, a stats reset) writes synchronously and makes any background write of the same
 * path still in flight drop its file instead of renaming it over the newer one.
 */
import { open, rm } from 'node:fs/promises';
import { renameSync, rmSync } from 'node:fs';
import { atomicWriteTarget, writeFileAtomic } from './atomic-write.js';

/** How a background write reaches the disk (tests slow the flush down to show who waits for it). */
export interface BackgroundFileOps {
  /** Writes `data` to a new file at `tmp` and flushes it to disk. */
  writeDurably(tmp: string, data: string): Promise<void>;
}

async function writeDurably(tmp: string, data: string): Promise<void> {
  const file = await open(tmp, 'wx', 0o644);
  try {
    await file.writeFile(data, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
}

export const DISK_OPS: BackgroundFileOps = { writeDurably };

interface Slot {
  /** A write of this path is in flight. */
  busy: boolean;
  /** The content to write once it ends (the newest asked for), or null. */
  waiting: string | null;
  /** Bumped by writeNow(): a background write that began before it must not rename. */
  generation: number;
}

export class BackgroundWrites {
  readonly #slots = new Map<string, Slot>();
  readonly #ops: BackgroundFileOps;
  readonly #onError: (path: string, error: unknown) => void;
  #inFlight = 0;
  readonly #idle: Array<() => void> = [];

  /** `onError`: a background write failed (the previous complete file stays); the run goes on. */
  constructor(onError: (path: string, error: unknown) => void, ops: BackgroundFileOps = DISK_OPS) {
    this.#onError = onError;
    this.#ops = ops;
  }

  /** Rewrites `path` with `data` in the background (coalesced with a rewrite already waiting). */
  write(path: string, data: string): void {
    const slot = this.#slot(path);
    if (slot.busy) {
      slot.waiting = data;
      return;
    }
    this.#start(path, slot, data);
  }

  /**
   * Rewrites `path` at once, synchronously (writeFileAtomic; it throws as that does). A background
   * write of `path` in flight or waiting is dropped: it holds older content.
   */
  writeNow(path: string, data: string | Uint8Array): void {
    const slot = this.#slot(path);
    slot.generation++;
    slot.waiting = null;
    writeFileAtomic(path, data);
  }

  /** Resolves once no background write is in flight. */
  settled(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #slot(path: string): Slot {
    let slot = this.#slots.get(path);
    if (slot === undefined) {
      slot = { busy: false, waiting: null, generation: 0 };
      this.#slots.set(path, slot);
    }
    return slot;
  }

  #start(path: string, slot: Slot, data: string): void {
    slot.busy = true;
    this.#inFlight++;
    void this.#write(path, slot, data).finally(() => {
      slot.busy = false;
      this.#inFlight--;
      const next = slot.waiting;
      slot.waiting = null;
      if (next !== null) this.#start(path, slot, next);
      else if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
    });
  }

  async #write(path: string, slot: Slot, data: string): Promise<void> {
    const generation = slot.generation;
    let tmp: string | null = null;
    try {
      // As writeFileAtomic: never rename over a device, FIFO or directory (output-target.ts).
      const planned = atomicWriteTarget(path);
      const target = planned.target;
      tmp = planned.tmp;
      await this.#ops.writeDurably(tmp, data);
      // Synchronous from the check on: nothing can run between it and the rename.
      if (slot.generation !== generation) rmSync(tmp, { force: true });
      else renameSync(tmp, target);
      tmp = null;
    } catch (e) {
      if (tmp !== null) await rm(tmp, { force: true }).catch(() => {});
      this.#onError(path, e);
    }
  }
}
