/**
 * Request timeouts that fire when asked: a native timer per request, covering connect, headers,
 * body and every redirect hop. A user almost always has one request in flight with the run's
 * --request-timeout, so that case re-arms one timer per session with refresh() (~0.07 µs) instead
 * of a setTimeout/clearTimeout pair per request (~0.5 µs, measured on Node 20); a request with its
 * own `timeout`, or a second one in flight at once, gets a timer of its own.
 */

/** What a deadline cuts when it passes: the current hop's handler. */
export interface TimesOut {
  timeOut(): void;
}

export class Deadline {
  /** The hop in flight; replaced at each redirect. */
  target: TimesOut | null = null;
  expired = false;
  readonly #owner: SessionDeadlines;
  /** A timer of this request's own, or null while it holds the session's shared one. */
  own: NodeJS.Timeout | null = null;

  constructor(owner: SessionDeadlines) {
    this.#owner = owner;
  }

  fire(): void {
    this.expired = true;
    this.target?.timeOut();
  }

  /** The request is over: its timer must not fire for it any more. */
  end(): void {
    this.target = null;
    if (this.own !== null) clearTimeout(this.own);
    else this.#owner.release(this);
  }
}

export class SessionDeadlines {
  readonly #defaultMs: number;
  #shared: NodeJS.Timeout | null = null;
  #holder: Deadline | null = null;
  readonly #onShared = (): void => {
    const d = this.#holder;
    this.#holder = null;
    d?.fire();
  };

  constructor(defaultMs: number) {
    this.#defaultMs = defaultMs;
  }

  /** Starts counting `ms` from now. */
  start(ms: number): Deadline {
    const d = new Deadline(this);
    if (ms === this.#defaultMs && this.#holder === null) {
      this.#holder = d;
      if (this.#shared === null) {
        this.#shared = setTimeout(this.#onShared, ms);
        this.#shared.unref(); // in-flight sockets keep the process alive, not the timer
      } else {
        this.#shared.refresh();
      }
    } else {
      d.own = setTimeout(() => d.fire(), ms);
      d.own.unref();
    }
    return d;
  }

  release(d: Deadline): void {
    // The shared timer stays armed; firing with no holder does nothing, and the next request re-arms it.
    if (this.#holder === d) this.#holder = null;
  }

  /** The session is closed: no timer of it may fire again. */
  cancel(): void {
    if (this.#shared !== null) clearTimeout(this.#shared);
    this.#shared = null;
    this.#holder = null;
  }
}
