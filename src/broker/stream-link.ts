import type { Redis } from 'ioredis';
import type { BrokerConnection } from './broker-connection.js';

/**
 * Messages over Redis streams that survive the broker restarting (and losing what it held): each
 * sender numbers its messages and keeps them until the peer acknowledges them; every entry it
 * writes carries the number of the last message it received from that peer (the ack). After a
 * reconnect, and whenever an ack is overdue, the sender writes everything unacknowledged again; the
 * receiver takes each message once, in order (a gap waits for the resend). An entry is
 * `f` (sender id), `s` (number of its first message), `a` (ack), `m` (JSON array of messages).
 */

/** Unacknowledged messages are written again when the ack has not moved for this long. */
const RESEND_AFTER_MS = 3000;

/** One direction, one peer: what this side sends to `stream`, kept until acknowledged. */
export class Outbox<M> {
  readonly #conn: BrokerConnection;
  readonly #stream: string;
  readonly #from: string;
  /** The last message number received from the peer (the ack this side writes). */
  readonly #ack: () => number;
  #seq = 0;
  /** Sent, not yet acknowledged: [seq, message]. */
  #unacked: Array<[number, M]> = [];
  #queued: M[] = [];
  #flushScheduled = false;
  #lastWriteMs = 0;
  #lastAckMoveMs = Date.now();

  constructor(conn: BrokerConnection, stream: string, from: string, ack: () => number) {
    this.#conn = conn;
    this.#stream = stream;
    this.#from = from;
    this.#ack = ack;
    conn.onReconnect(() => this.resend());
  }

  send(m: M): void {
    this.#queued.push(m);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // Everything sent in one turn of the event loop goes in one entry.
    setImmediate(() => this.flush());
  }

  /** Writes what is queued now (an empty entry when `orAck` and nothing is: it carries the ack). */
  flush(orAck = false): void {
    this.#flushScheduled = false;
    const batch = this.#queued;
    if (batch.length === 0 && !orAck) return;
    this.#queued = [];
    const first = this.#seq + 1;
    for (const m of batch) this.#unacked.push([++this.#seq, m]);
    this.#write(batch.length === 0 ? this.#seq + 1 : first, batch);
  }

  /** The peer has every message up to `seq`. */
  acked(seq: number): void {
    if (this.#unacked.length === 0 || seq < (this.#unacked[0]?.[0] ?? Infinity)) return;
    this.#unacked = this.#unacked.filter(([s]) => s > seq);
    this.#lastAckMoveMs = Date.now();
  }

  /** Every unacknowledged message again (after a reconnect: the broker may have lost them). */
  resend(): void {
    if (this.#unacked.length === 0) return;
    this.#lastAckMoveMs = Date.now();
    this.#write(this.#unacked[0]?.[0] ?? this.#seq + 1, this.#unacked.map(([, m]) => m));
  }

  /** Once a second: an entry for the ack if nothing was written lately, and a resend when the ack is overdue. */
  tick(now = Date.now()): void {
    if (this.#unacked.length > 0 && now - this.#lastAckMoveMs > RESEND_AFTER_MS) this.resend();
    if (now - this.#lastWriteMs >= 900) this.flush(true);
  }

  /** Messages not yet acknowledged. */
  get pending(): number {
    return this.#unacked.length + this.#queued.length;
  }

  #write(first: number, batch: readonly M[]): void {
    this.#lastWriteMs = Date.now();
    this.#conn.redis
      .xadd(this.#stream, '*', 'f', this.#from, 's', String(first), 'a', String(this.#ack()), 'm', JSON.stringify(batch))
      .catch(() => undefined); // the broker is gone: the resend after the reconnect carries it
  }
}

/** One peer's messages as received: each once, in order. */
export class Inbox {
  #last = 0;

  /** The number of the last message taken (this side's ack to that peer). */
  get last(): number {
    return this.#last;
  }

  /** The messages of an entry not seen before (none when it starts past a gap: they come again). */
  accept<M>(first: number, messages: readonly M[]): M[] {
    if (first > this.#last + 1) return [];
    const fresh = messages.slice(this.#last + 1 - first);
    this.#last = Math.max(this.#last, first + messages.length - 1);
    return fresh;
  }
}

/** A parsed stream entry. */
export interface LinkEntry {
  from: string;
  first: number;
  ack: number;
  messages: unknown[];
}

/**
 * Reads one stream as it grows (XREAD BLOCK on its own connection) and trims what it has read, so
 * the broker holds only what is in flight.
 */
export class StreamReader {
  readonly #redis: Redis;
  readonly #stream: string;
  readonly #onEntry: (e: LinkEntry) => void;
  #lastId = '0';
  #stopped = false;
  #lastTrimMs = 0;

  constructor(redis: Redis, stream: string, onEntry: (e: LinkEntry) => void) {
    this.#redis = redis;
    this.#stream = stream;
    this.#onEntry = onEntry;
  }

  start(): void {
    void this.#loop();
  }

  stop(): void {
    this.#stopped = true;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let reply: Array<[string, Array<[string, string[]]>]> | null;
      try {
        reply = await this.#redis.xread('COUNT', 500, 'BLOCK', 500, 'STREAMS', this.#stream, this.#lastId);
      } catch {
        if (this.#stopped) return;
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          this.#lastId = id;
          const entry = parseEntry(fields);
          if (entry !== null && !this.#stopped) this.#onEntry(entry);
        }
      }
      this.#trim();
    }
  }

  #trim(): void {
    const now = Date.now();
    if (now - this.#lastTrimMs < 2000 || this.#lastId === '0') return;
    this.#lastTrimMs = now;
    this.#redis.xtrim(this.#stream, 'MINID', this.#lastId).catch(() => undefined);
  }
}

function parseEntry(fields: readonly string[]): LinkEntry | null {
  const get = (k: string): string | undefined => {
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === k) return fields[i + 1];
    return undefined;
  };
  const from = get('f');
  const first = Number(get('s'));
  const ack = Number(get('a'));
  let messages: unknown;
  try {
    messages = JSON.parse(get('m') ?? 'null');
  } catch {
    return null;
  }
  if (from === undefined || !Number.isSafeInteger(first) || !Number.isSafeInteger(ack) || !Array.isArray(messages)) return null;
  return { from, first, ack, messages };
}
