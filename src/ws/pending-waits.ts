/**
 * The sendAndWaits in flight on a WsSession's connection: each one's `match`, its timeout, and its
 * WS row (timed from its send to the first message it accepted). A session makes it on its first
 * sendAndWait, so a user that never waits carries none of it.
 */
import { performance } from 'node:perf_hooks';
import type { ProtocolContext } from '../core/protocol-context.js';
import { formatSeconds } from './failure-reasons.js';
import type { WsMessage } from './ws-options.js';

interface Waiter {
  match: (message: WsMessage) => boolean;
  name: string;
  sentAtMs: number;
  timer: NodeJS.Timeout;
  resolve: (message: WsMessage | null) => void;
}

export class PendingWaits {
  readonly #ctx: ProtocolContext;
  readonly #waiters: Waiter[] = [];
  /** Waits that failed (timed out, match() threw, the connection closed first). */
  failureCount = 0;

  constructor(ctx: ProtocolContext) {
    this.#ctx = ctx;
  }

  /** Waits `timeoutMs` for a message `match` accepts, timed from now: send the request right after. */
  add(match: (message: WsMessage) => boolean, name: string, timeoutMs: number): Promise<WsMessage | null> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        match,
        name,
        sentAtMs: performance.now(),
        resolve,
        timer: setTimeout(() => {
          const i = this.#waiters.indexOf(waiter);
          if (i === -1) return;
          this.#settle(i, null);
          this.#fail(waiter, `timeout after ${formatSeconds(timeoutMs)} waiting for a matching message`);
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /**
   * Offers a message received to the waits, oldest first: true when one accepted it (its WS row
   * recorded). A match() that throws fails its wait, and the message goes on to the next.
   */
  take(message: WsMessage, bytes: number): boolean {
    const waiters = this.#waiters;
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i] as Waiter;
      let matched: boolean;
      try {
        matched = w.match(message) === true;
      } catch (e) {
        this.#settle(i, null);
        this.#fail(w, `match() threw: ${e instanceof Error ? e.message : String(e)}`);
        i--; // the next wait moved into this index: it still sees the message
        continue;
      }
      if (!matched) continue;
      this.#settle(i, message);
      this.#ctx.recordRequest({ type: 'WS', name: w.name, responseTimeMs: performance.now() - w.sentAtMs, responseLength: bytes });
      return true;
    }
    return false;
  }

  /** The connection ended: every wait resolves null; with `why` (it broke), each is a failure, else (the user closed it) unrecorded. */
  endAll(why: string | null): void {
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(null);
      if (why !== null) this.#fail(w, `${why} before a matching message`);
    }
  }

  #settle(index: number, message: WsMessage | null): void {
    const [w] = this.#waiters.splice(index, 1);
    if (w === undefined) return;
    clearTimeout(w.timer);
    w.resolve(message);
  }

  #fail(w: Waiter, reason: string): void {
    this.failureCount++;
    this.#ctx.recordRequest({ type: 'WS', name: w.name, responseTimeMs: performance.now() - w.sentAtMs, error: reason });
  }
}
