/**
 * The messages a stream received, as the task's `for await` reads them. Bounded: past HIGH_WATER
 * unread messages the source is paused (grpc-js then stops reading, and HTTP/2 flow control slows
 * the server), and resumed once the task has read the queue down, so a task that reads slowly
 * never makes brood buffer a whole stream in memory.
 */
const HIGH_WATER = 64;
const LOW_WATER = 16;

export interface QueueSource {
  pause(): void;
  resume(): void;
  /** The task stopped reading before the end (a `break` out of its loop). */
  abandon(): void;
}

export class MessageQueue<T> implements AsyncIterableIterator<T> {
  readonly #items: T[] = [];
  readonly #waiting: Array<(result: IteratorResult<T, undefined>) => void> = [];
  #ended = false;
  #paused = false;
  #source: QueueSource | null = null;

  /** Where messages come from (set when the call starts: it may wait out a reconnect pause first). */
  attach(source: QueueSource): void {
    this.#source = source;
  }

  push(item: T): void {
    if (this.#ended) return;
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) {
      waiter({ value: item, done: false });
      return;
    }
    this.#items.push(item);
    if (this.#items.length >= HIGH_WATER && !this.#paused) {
      this.#paused = true;
      this.#source?.pause();
    }
  }

  /** No more messages: the reads still waiting end, and the loop ends once the queue is read. */
  end(): void {
    this.#ended = true;
    if (this.#items.length === 0) for (const waiter of this.#waiting.splice(0)) waiter({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#items.length > 0) {
      const value = this.#items.shift() as T;
      if (this.#paused && this.#items.length <= LOW_WATER) {
        this.#paused = false;
        this.#source?.resume();
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** `break` (or a throw) in the task's loop: the rest is dropped and the source told. */
  return(): Promise<IteratorResult<T, undefined>> {
    if (!this.#ended) {
      this.#ended = true;
      this.#items.length = 0;
      this.#source?.abandon();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
