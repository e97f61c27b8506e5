/**
 * Locust's custom messages between the main process and its workers (`runner.register_message`,
 * `runner.send_message`): test data handed out to workers at the start, acknowledgements back.
 * One registry per process; the runner (runner-view.ts) sends, the run's transport carries the
 * message, and the receiving process hands it to the listener registered for its type.
 */
import type { RunEnvironment } from './hooks.js';
import { shownValue } from './shown-value.js';

/** What a message listener gets: Locust's `msg` (`msg.data`, `msg.node_id`) and the environment. */
export interface CustomMessage {
  readonly type: string;
  /** The data sent, as JSON carries it (a copy, in every mode: also on a run alone). */
  readonly data: unknown;
  /** Who sent it: 'local' (a run alone), 'master' (the main process of a run with workers), 'worker-N'. */
  readonly node_id: string;
  readonly nodeId: string;
  /** The sending worker's index (reply to it with send_message(type, data, index)); null from the main process. */
  readonly worker_index: number | null;
  readonly workerIndex: number | null;
}

export type CustomMessageListener = (args: { environment: RunEnvironment; msg: CustomMessage }) => unknown;

/** The data of a message as it travels: JSON text (so every mode delivers the same copy), or a one-line TypeError. */
export function messageText(type: unknown, data: unknown): string {
  if (typeof type !== 'string' || type === '') throw new TypeError(`runner.send_message(type, data): type must be a non-empty string (got ${shownValue(type)})`);
  let text: string | undefined;
  try {
    text = JSON.stringify(data === undefined ? null : data);
  } catch (e) {
    throw new TypeError(`runner.send_message('${type}', data): data must be JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (text === undefined) throw new TypeError(`runner.send_message('${type}', data): data must be JSON (got ${shownValue(data)})`);
  return text;
}

/** One process's listeners by message type; what they throw goes to `onError`, an unknown type to `onUnknown` (once per type). */
export class CustomMessages {
  readonly #listeners = new Map<string, CustomMessageListener>();
  readonly #unknownSeen = new Set<string>();
  readonly #onError: (error: unknown) => void;
  readonly #onUnknown: (type: string, from: string) => void;

  constructor(onError: (error: unknown) => void, onUnknown: (type: string, from: string) => void) {
    this.#onError = onError;
    this.#onUnknown = onUnknown;
  }

  /** Locust's register_message: one listener per type (a second registration replaces the first, as in Locust). */
  register(type: unknown, listener: unknown): void {
    if (typeof type !== 'string' || type === '') throw new TypeError(`runner.register_message(type, listener): type must be a non-empty string (got ${shownValue(type)})`);
    if (typeof listener !== 'function') throw new TypeError(`runner.register_message('${type}', listener): listener must be a function ({ environment, msg }) => …`);
    this.#listeners.set(type, listener as CustomMessageListener);
  }

  /**
   * A message arrived (`text`: its JSON data) from a worker (its index), the main process of a run
   * with workers ('master') or this process on a run alone ('local'): its listener runs; an async
   * one's rejection is its error too.
   */
  deliver(type: string, text: string, from: number | 'master' | 'local', environment: RunEnvironment): void {
    const nodeId = typeof from === 'number' ? `worker-${from}` : from;
    const listener = this.#listeners.get(type);
    if (listener === undefined) {
      if (!this.#unknownSeen.has(type)) {
        this.#unknownSeen.add(type);
        this.#onUnknown(type, nodeId);
      }
      return;
    }
    const workerIndex = typeof from === 'number' ? from : null;
    const msg: CustomMessage = Object.freeze({ type, data: JSON.parse(text) as unknown, node_id: nodeId, nodeId, worker_index: workerIndex, workerIndex });
    try {
      const r = listener({ environment, msg });
      if (r instanceof Promise) r.catch((e: unknown) => this.#onError(e));
    } catch (e) {
      this.#onError(e);
    }
  }
}

