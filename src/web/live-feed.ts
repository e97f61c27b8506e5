/**
 * The pages' Server-Sent Events stream (GET api/live): one `update` per second to every open page,
 * each with what that page has not seen yet. The state is read once per tick for all pages, and
 * nothing runs while no page is open, so a UI nobody watches costs the load nothing.
 */
import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../core/clock.js';
import { newCursor, uiUpdate, type PageCursor, type UiRunState } from './ui-update.js';

interface Page {
  res: ServerResponse;
  cursor: PageCursor;
}

export class LiveFeed {
  readonly #pages = new Set<Page>();
  readonly #clock: Clock;
  readonly #state: () => UiRunState;
  readonly #periodMs: number;
  #timer: TimerHandle | null = null;

  constructor(clock: Clock, state: () => UiRunState, periodMs = 1000) {
    this.#clock = clock;
    this.#state = state;
    this.#periodMs = periodMs;
  }

  get pages(): number {
    return this.#pages.size;
  }

  /** A page subscribes: it gets everything at once, then an update per second until it goes. */
  add(res: ServerResponse, headers: Record<string, string>): void {
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    // A proxy or a slow page must not hold the socket's Nagle buffer: each event goes out as written.
    res.socket?.setNoDelay(true);
    const page: Page = { res, cursor: newCursor() };
    this.#pages.add(page);
    res.on('close', () => this.#pages.delete(page));
    res.write('retry: 2000\n\n');
    this.#send(page, this.#state());
    this.#arm();
  }

  /** Sends an update now (after a state change: a run started, stopped), without waiting for the tick. */
  push(): void {
    if (this.#pages.size === 0) return;
    const state = this.#state();
    for (const page of this.#pages) this.#send(page, state);
  }

  close(): void {
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    for (const page of this.#pages) page.res.end();
    this.#pages.clear();
  }

  #arm(): void {
    if (this.#timer !== null) return;
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = null;
      if (this.#pages.size === 0) return;
      this.push();
      this.#arm();
    }, this.#periodMs);
  }

  #send(page: Page, state: UiRunState): void {
    // A page that cannot keep up (its socket buffer still full from the last update) skips a tick
    // rather than queueing megabytes in brood's memory; its cursor did not move, so it loses nothing.
    if (page.res.writableLength > 1 << 20) return;
    page.res.write(`event: update\ndata: ${JSON.stringify(uiUpdate(state, page.cursor))}\n\n`);
    // Endpoints still to send (a page's first updates): the next part one turn later, so requests
    // in flight are timed between the parts rather than behind all of them.
    if (page.cursor.pending) {
      setImmediate(() => {
        if (this.#pages.has(page)) this.#send(page, this.#state());
      });
    }
  }
}
