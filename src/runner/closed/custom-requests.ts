/**
 * Requests of protocols brood has no client for (a database, MQTT, XML-RPC, a socket protocol),
 * reported into the same stats, failures, history, events and targets as HTTP: Locust's
 * `events.request.fire(...)` in its custom-client examples, as `this.environment.recordRequest()`,
 * and a helper that times a call (`this.measure(type, name, fn)`).
 */
import { performance } from 'node:perf_hooks';
import type { Hooks } from '../../core/hooks.js';
import type { CustomRequest } from '../../core/user.js';
import type { RequestRecorder } from '../../http/client.js';

/** Requests, and messages of protocols that have them (WebSocket). */
export type MessageRecorder = RequestRecorder & { recordMessage(method: string, name: string, bytes: number): void };

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : `${error.name}: ${error.message}`;
  return String(error);
}

export class CustomRequests {
  readonly #stats: MessageRecorder;
  readonly #hooks: Hooks;

  constructor(stats: MessageRecorder, hooks: Hooks) {
    this.#stats = stats;
    this.#hooks = hooks;
  }

  /** One request, already timed by the caller. `error`: null/undefined for a success, else the failure (an Error or its reason). */
  record(r: CustomRequest, userId: number): void {
    if (typeof r.type !== 'string' || typeof r.name !== 'string' || !(r.responseTimeMs >= 0)) {
      throw new TypeError('recordRequest({ type, name, responseTimeMs, responseLength?, error? }): type and name are strings, responseTimeMs a number of ms >= 0');
    }
    const length = r.responseLength ?? 0;
    const failure = r.error === null || r.error === undefined ? null : reasonOf(r.error);
    if (failure === null) this.#stats.recordSuccess(r.type, r.name, r.responseTimeMs, length);
    else this.#stats.recordFailure(r.type, r.name, r.responseTimeMs, length, failure);
    if (this.#hooks.request.hasListeners) {
      // Called from the task (recordRequest, measure): a listener's RescheduleTask ends it, as in Locust.
      this.#hooks.request.emitInTask({
        method: r.type, name: r.name, url: '', responseTimeMs: r.responseTimeMs, contentLength: length, status: 0, error: failure, userId,
        sentAtMs: null, requestHeaders: null, requestBody: null,
      });
    }
  }

  /** One message of a protocol with messages (WSS/WSR): counted and sized, out of the Aggregated row; the request event fires for it as for a request. */
  message(type: string, name: string, bytes: number, userId: number): void {
    this.#stats.recordMessage(type, name, bytes);
    if (this.#hooks.request.hasListeners) {
      this.#hooks.request.emit({ method: type, name, url: '', responseTimeMs: 0, contentLength: bytes, status: 0, error: null, userId, sentAtMs: null, requestHeaders: null, requestBody: null });
    }
  }

  /** Times `fn` and records it; a throw is recorded as the failure and thrown on, so the task can react. */
  async measure<T>(type: string, name: string, fn: () => T | Promise<T>, userId: number): Promise<T> {
    const started = performance.now();
    try {
      const value = await fn();
      this.record({ type, name, responseTimeMs: performance.now() - started, responseLength: lengthOf(value) }, userId);
      return value;
    } catch (e) {
      this.record({ type, name, responseTimeMs: performance.now() - started, error: e }, userId);
      throw e;
    }
  }
}

/** The size of what a measured call returned, when it has an obvious one (bytes or text). */
function lengthOf(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.length;
  return 0;
}
