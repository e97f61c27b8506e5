/**
 * Typed hooks (rule 7): `on()` returns an unsubscribe function; payloads are built by the emitter
 * only when `hasListeners` is true, so an unobserved hook costs one property read on the hot path.
 */
export class Hook<Args> {
  #listeners: Array<(args: Args) => void> = [];

  on(listener: (args: Args) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  get hasListeners(): boolean {
    return this.#listeners.length > 0;
  }

  emit(args: Args): void {
    for (const listener of this.#listeners) listener(args);
  }
}

export interface RequestEvent {
  method: string;
  name: string;
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

export interface Hooks {
  /** Every request recorded in stats (after catchResponse decided its outcome). */
  request: Hook<RequestEvent>;
  /** The run starts (before the first user spawns). */
  testStart: Hook<{ host: string }>;
  /** The run stops (after the last user stopped, before the files are written). */
  testStop: Hook<{ reason: string }>;
  /** The spawn target was reached. */
  spawningComplete: Hook<{ userCount: number }>;
}

export function createHooks(): Hooks {
  return {
    request: new Hook(),
    testStart: new Hook(),
    testStop: new Hook(),
    spawningComplete: new Hook(),
  };
}
