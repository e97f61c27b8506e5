/**
 * continuum.Kernel (protos/continuum/kernel.proto): the memory kernel over gRPC, on the same
 * memory spaces as the HTTP API. Learn, Recall and Stats answer at once; Watch streams the space's
 * change log after a cursor, then follows it for `follow_ms` (polled: the log has no listeners, and
 * a 50 ms poll costs nothing a load test would see).
 */
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { intField, spaceOf, stringField, type RequestFields } from './grpc-calls.js';
import { statusOfError, withFaults } from './grpc-faults.js';
import type { MemorySpace } from './memory-space.js';
import { DEFAULT_RECALL_LIMIT, MAX_RECALL_LIMIT, recall } from './recall.js';
import type { ServerState } from './server-state.js';

const MAX_TEXT_LENGTH = 100_000;
const MAX_QUERY_LENGTH = 10_000;
const DEFAULT_MAX_CHANGES = 1_000;
const MAX_CHANGES = 10_000;
const MAX_FOLLOW_MS = 10_000;
const FOLLOW_POLL_MS = 50;
/** Changes read from the log per step, so a long backlog is written in bounded slices. */
const CHANGES_PER_READ = 500;

type Unary = ServerUnaryCall<RequestFields, unknown>;

/** A unary handler: the reply `answer` computes, or the status its error stands for, after the server's faults. */
function unary(state: ServerState, answer: (request: RequestFields, space: () => MemorySpace) => unknown) {
  return (call: Unary, callback: sendUnaryData<unknown>): void => {
    let replied = false;
    const reply: sendUnaryData<unknown> = (error, value) => {
      if (replied) return;
      replied = true;
      callback(error, value);
    };
    void withFaults(state, (cancel) => call.once('cancelled', cancel), () => {
      try {
        reply(null, answer(call.request, () => spaceOf(state, call.metadata)));
      } catch (error) {
        reply(statusOfError(error));
      }
    }).then((error) => {
      if (error !== null) reply(error);
    });
  };
}

export function kernelService(state: ServerState): UntypedServiceImplementation {
  return {
    Learn: unary(state, (request, space) => {
      const result = space().learn(stringField(request, 'text', MAX_TEXT_LENGTH), undefined, undefined);
      return { concepts_extracted: result.conceptsExtracted, concepts_created: result.conceptsCreated, relationships_extracted: result.relationshipsExtracted, concept_ids: result.conceptIds };
    }),
    Recall: unary(state, (request, space) => {
      const query = stringField(request, 'query', MAX_QUERY_LENGTH);
      const limit = intField(request, 'limit', DEFAULT_RECALL_LIMIT, 1, MAX_RECALL_LIMIT);
      const result = recall(space(), query, limit);
      return { results: result.results, context: result.context, query_time_ms: result.queryTimeMs };
    }),
    Stats: unary(state, (_request, space) => {
      const s = space();
      return { concepts: s.concepts.size, relationships: s.graph.count, evicted: s.evictedCount, change_seq: s.changes.headSeq };
    }),
    Watch: (call: ServerWritableStream<RequestFields, unknown>) => {
      void withFaults(state, (cancel) => call.once('cancelled', cancel), () => watch(state, call)).then((error) => {
        // A server stream sends its status from its 'error' event (destroy() would skip the status: the client would wait for its deadline).
        if (error !== null) call.emit('error', error);
      });
    },
  };
}

/** Streams the backlog, then follows the log; resolves when the stream has ended (the call holds its slot until then). */
function watch(state: ServerState, call: ServerWritableStream<RequestFields, unknown>): Promise<void> {
  let space: MemorySpace;
  let since: number;
  let maxChanges: number;
  let followMs: number;
  try {
    space = spaceOf(state, call.metadata);
    since = Math.max(0, Math.floor(Number(call.request['since'] ?? 0)));
    maxChanges = intField(call.request, 'max_changes', DEFAULT_MAX_CHANGES, 1, MAX_CHANGES);
    followMs = intField(call.request, 'follow_ms', 0, 1, MAX_FOLLOW_MS);
  } catch (error) {
    call.emit('error', statusOfError(error));
    return Promise.resolve();
  }
  let cursor = since;
  let sent = 0;
  /** Writes what the log holds after the cursor, up to the stream's limit. */
  const drain = (): void => {
    for (;;) {
      const batch = space.changes.since(cursor, Math.min(CHANGES_PER_READ, maxChanges - sent));
      for (const c of batch.changes) call.write({ seq: c.seq, op: c.op, id: c.id, name: c.name, version: c.version });
      sent += batch.changes.length;
      cursor = batch.cursor;
      if (!batch.hasMore || sent >= maxChanges || batch.changes.length === 0) return;
    }
  };
  drain();
  if (followMs === 0 || sent >= maxChanges) {
    call.end();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const finish = (end: boolean): void => {
      clearInterval(poll);
      clearTimeout(stop);
      call.off('cancelled', cancelled);
      if (end) call.end();
      resolve();
    };
    const cancelled = (): void => finish(false);
    const stop = setTimeout(() => finish(true), followMs);
    const poll = setInterval(() => {
      drain();
      if (sent >= maxChanges) finish(true);
    }, FOLLOW_POLL_MS);
    call.once('cancelled', cancelled);
  });
}
