/**
 * The demo server's gRPC services (continuum.Kernel, continuum.AIService) over real connections
 * on port 0, with a real @grpc/grpc-js client and the shipped protos: Learn/Recall/Stats on the
 * same memory spaces as HTTP (one port serves gRPC, HTTP and WebSockets), `x-memory-space`
 * metadata, argument errors, Watch streams (backlog, limits, following, cancel), Generate's
 * simulated model delay and deadlines, the fault flags, close() with a stream open, and many
 * HTTP/2 and HTTP/1 connections at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Client, credentials, loadPackageDefinition, Metadata, status,
  type ClientReadableStream, type GrpcObject, type MethodDefinition, type ServiceClientConstructor, type ServiceError, type StatusObject,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import WebSocket from 'ws';
import { continuumProtoDir } from '../../src/demo-server/continuum-protos.js';
import { startDemoServer, type DemoServerOptions, type RunningDemoServer } from '../../src/demo-server/server.js';

type Message = Record<string, unknown>;
type MethodName = 'Learn' | 'Recall' | 'Stats' | 'Watch' | 'Generate';

/** The services as a client sees them: .proto field names, int64 as strings, defaults filled in. */
function loadMethods(): Record<MethodName, MethodDefinition<Message, Message>> {
  const dir = continuumProtoDir();
  const continuum = loadPackageDefinition(loadSync([`${dir}kernel.proto`, `${dir}ai_service.proto`], { keepCase: true, longs: String, defaults: true })).continuum;
  const service = (name: string): ServiceClientConstructor => {
    const ctor = (continuum as GrpcObject | undefined)?.[name];
    if (typeof ctor !== 'function') throw new Error(`continuum.${name} is not in protos/continuum`);
    return ctor;
  };
  const kernel = service('Kernel').service;
  const ai = service('AIService').service;
  const method = (definition: MethodDefinition<object, object> | undefined): MethodDefinition<Message, Message> => {
    assert.ok(definition);
    return definition as MethodDefinition<Message, Message>;
  };
  return { Learn: method(kernel.Learn), Recall: method(kernel.Recall), Stats: method(kernel.Stats), Watch: method(kernel.Watch), Generate: method(ai.Generate) };
}

const METHODS = loadMethods();

/** One channel to the server's port (gRPC needs the bare host:port). */
function connect(server: RunningDemoServer, options: Record<string, number> = {}): Client {
  return new Client(`127.0.0.1:${server.port}`, credentials.createInsecure(), options);
}

function metadataOf(space: string): Metadata {
  const metadata = new Metadata();
  metadata.set('x-memory-space', space);
  return metadata;
}

/** A unary call as a promise; a deadline on every call, so a server that never answers fails the test instead of hanging it. */
function call(client: Client, method: MethodName, request: Message, metadata = new Metadata(), deadlineMs = 5_000): Promise<Message> {
  const definition = METHODS[method];
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(definition.path, definition.requestSerialize, definition.responseDeserialize, request, metadata, { deadline: Date.now() + deadlineMs }, (error, reply) => {
      if (error !== null) reject(error);
      else resolve(reply ?? {});
    });
  });
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number';
}

/** The status a call that must fail failed with. */
async function failure(pending: Promise<unknown>): Promise<ServiceError> {
  try {
    const reply = await pending;
    assert.fail(`expected the call to fail, it answered ${JSON.stringify(reply)}`);
  } catch (error) {
    if (!isServiceError(error)) throw error;
    return error;
  }
}

function assertStatus(error: ServiceError, code: status, details?: RegExp | string): void {
  assert.equal(status[error.code], status[code], `${status[error.code]}: ${error.details}`);
  if (typeof details === 'string') assert.equal(error.details, details);
  else if (details !== undefined) assert.match(error.details, details);
}

interface Watched {
  stream: ClientReadableStream<Message>;
  /** Every change streamed and the status the stream ended with (OK or not). */
  done: Promise<{ changes: Message[]; status: StatusObject }>;
}

function watch(client: Client, request: Message, metadata = new Metadata(), deadlineMs = 15_000): Watched {
  const definition = METHODS.Watch;
  const stream = client.makeServerStreamRequest(definition.path, definition.requestSerialize, definition.responseDeserialize, request, metadata, { deadline: Date.now() + deadlineMs });
  const changes: Message[] = [];
  stream.on('data', (change: Message) => changes.push(change));
  // A failed stream also emits 'status'; without a listener its 'error' would be thrown.
  stream.on('error', () => undefined);
  const done = new Promise<{ changes: Message[]; status: StatusObject }>((resolve) => stream.once('status', (s: StatusObject) => resolve({ changes, status: s })));
  return { stream, done };
}

/** Resolves once `count` changes have arrived; fails after `timeoutMs`. */
async function streamed(stream: ClientReadableStream<Message>, count: number, timeoutMs = 2_000): Promise<void> {
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${seen} of ${count} changes within ${timeoutMs} ms`)), timeoutMs);
    const onData = (): void => {
      if (++seen < count) return;
      clearTimeout(timer);
      stream.off('data', onData);
      resolve();
    };
    stream.on('data', onData);
  });
}

/** The first success of `attempt` within `timeoutMs` (retried every 20 ms), else its last failure. */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (performance.now() >= deadline) throw error;
    }
    await sleep(20);
  }
}

async function timed<T>(pending: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await pending;
  return { value, ms: performance.now() - started };
}

function names(reply: Message): string[] {
  return (reply.results as Array<{ name: string }>).map((r) => r.name);
}

async function withServer(options: Partial<DemoServerOptions>, body: (server: RunningDemoServer, client: Client) => Promise<void>): Promise<void> {
  const server = await startDemoServer({ port: 0, host: '127.0.0.1', seed: 1, ...options });
  const client = connect(server);
  try {
    await body(server, client);
  } finally {
    client.close();
    await server.close();
  }
}

function wsPing(server: RunningDemoServer, id: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/conversation`, { perMessageDeflate: false });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'ping', id })));
    ws.once('message', (data: Buffer) => {
      resolve(JSON.parse(data.toString('utf8')));
      ws.close();
    });
    ws.once('error', reject);
  });
}

describe('demo server gRPC: continuum.Kernel and continuum.AIService', () => {
  let server: RunningDemoServer;
  let client: Client;
  before(async () => {
    server = await startDemoServer({ port: 0, host: '127.0.0.1', seed: 1 });
    client = connect(server);
  });
  after(async () => {
    client.close();
    await server.close();
  });

  test('Learn then Recall finds the learned concepts and Stats counts them; HTTP /stats and the WebSocket answer on the same port', { timeout: 10_000 }, async () => {
    const learned = await call(client, 'Learn', { text: 'Grace Hopper built the first compiler. Compilers translate programs.' });
    assert.ok(Number(learned.concepts_created) >= 2, JSON.stringify(learned));
    assert.equal((learned.concept_ids as string[]).length, learned.concepts_extracted);
    await call(client, 'Learn', { text: 'Ada Lovelace wrote programs for the analytical engine.' });

    const recalled = await call(client, 'Recall', { query: 'who built the compiler', limit: 5 });
    assert.ok(names(recalled).includes('compiler'), JSON.stringify(recalled));
    assert.ok(names(await call(client, 'Recall', { query: 'Ada Lovelace' })).includes('Ada Lovelace'));

    const stats = await call(client, 'Stats', {});
    assert.ok(Number(stats.concepts) > 0 && Number(stats.change_seq) > 0, JSON.stringify(stats));
    const res = await fetch(`${server.url}/stats`);
    assert.equal(res.status, 200);
    const http = (await res.json()) as { space: string; concepts: number };
    assert.equal(http.space, 'default');
    assert.equal(http.concepts, Number(stats.concepts), 'what gRPC learned is in the HTTP API\'s default space');

    assert.deepEqual(await wsPing(server, '1'), { type: 'pong', re: '1' });
  });

  test('x-memory-space metadata picks the space; a bad name is INVALID_ARGUMENT naming X-Memory-Space', { timeout: 10_000 }, async () => {
    await call(client, 'Learn', { text: 'Tardigrades survive in outer space.' }, metadataOf('a'));
    assert.deepEqual(names(await call(client, 'Recall', { query: 'tardigrades' }, metadataOf('b'))), []);
    assert.ok(names(await call(client, 'Recall', { query: 'tardigrades' }, metadataOf('a'))).includes('tardigrades'));
    assert.deepEqual(names(await call(client, 'Recall', { query: 'tardigrades' })), [], 'the default space never saw it');
    assertStatus(await failure(call(client, 'Stats', {}, metadataOf('bad name!'))), status.INVALID_ARGUMENT, /X-Memory-Space/);
  });

  test('bad arguments: empty text and limit 101 are INVALID_ARGUMENT; an unknown method is UNIMPLEMENTED', { timeout: 10_000 }, async () => {
    assertStatus(await failure(call(client, 'Learn', { text: '' })), status.INVALID_ARGUMENT, '"text" is required');
    assertStatus(await failure(call(client, 'Recall', { query: 'compiler', limit: 101 })), status.INVALID_ARGUMENT, /"limit"/);
    const identity = (b: Buffer): Buffer => b;
    const unknown = new Promise((resolve, reject) => {
      client.makeUnaryRequest('/continuum.Kernel/Nope', identity, identity, Buffer.alloc(0), new Metadata(), { deadline: Date.now() + 5_000 }, (error, reply) => (error === null ? resolve(reply) : reject(error)));
    });
    assertStatus(await failure(unknown), status.UNIMPLEMENTED);
    await call(client, 'Stats', {});
  });

  test('Watch streams the backlog in order and ends OK; max_changes caps the stream', { timeout: 10_000 }, async () => {
    const space = metadataOf('watch-backlog');
    for (const text of ['Glaciers carve valleys.', 'Rivers deposit sediment downstream.', 'Volcanoes build islands.']) await call(client, 'Learn', { text }, space);
    const head = Number((await call(client, 'Stats', {}, space)).change_seq);
    assert.ok(head >= 3, `change_seq ${head}`);

    const all = await watch(client, { since: 0 }, space).done;
    assert.equal(all.status.code, status.OK, all.status.details);
    assert.deepEqual(all.changes.map((c) => Number(c.seq)), Array.from({ length: head }, (_, i) => i + 1));
    assert.ok(all.changes.every((c) => c.op === 'upsert' && typeof c.name === 'string' && c.name !== ''), JSON.stringify(all.changes));

    const two = await watch(client, { since: 0, max_changes: 2 }, space).done;
    assert.equal(two.status.code, status.OK, two.status.details);
    assert.deepEqual(two.changes.map((c) => Number(c.seq)), [1, 2]);
  });

  // A stream's error is its status, at once: not a client left waiting for its own deadline
  // (the deadline here is 1 s, so a status that never comes fails the test quickly).
  test('Watch with a bad argument or space ends INVALID_ARGUMENT', { timeout: 10_000 }, async () => {
    const tooMany = await watch(client, { since: 0, max_changes: 10_001 }, new Metadata(), 1_000).done;
    assert.equal(status[tooMany.status.code], 'INVALID_ARGUMENT', tooMany.status.details);
    assert.match(tooMany.status.details, /"max_changes"/);
    const badSpace = await watch(client, { since: 0 }, metadataOf('bad name!'), 1_000).done;
    assert.equal(status[badSpace.status.code], 'INVALID_ARGUMENT', badSpace.status.details);
  });

  test('Watch with follow_ms streams a change learned while it follows, then ends by itself', { timeout: 10_000 }, async () => {
    const space = metadataOf('watch-follow');
    await call(client, 'Learn', { text: 'Comets orbit the sun.' }, space);
    const head = Number((await call(client, 'Stats', {}, space)).change_seq);
    const started = performance.now();
    const following = watch(client, { since: head, follow_ms: 400 }, space);
    await sleep(100);
    await call(client, 'Learn', { text: 'Asteroids tumble between planets.' }, space);
    const { changes, status: end } = await following.done;
    const ms = performance.now() - started;
    assert.equal(end.code, status.OK, end.details);
    assert.ok(changes.length >= 1 && changes.every((c) => Number(c.seq) > head), JSON.stringify(changes));
    assert.ok(changes.some((c) => c.name === 'asteroids'), JSON.stringify(changes));
    assert.ok(ms >= 390 && ms < 1_000, `the follow ended after ${Math.round(ms)} ms (follow_ms 400)`);
  });

  test('Generate answers after the model delay: 32..128 tokens by default, text of `tokens` words', { timeout: 10_000 }, async () => {
    const space = metadataOf('ai');
    await call(client, 'Learn', { text: 'Compilers translate source programs.' }, space);
    const { value: reply, ms } = await timed(call(client, 'Generate', { prompt: 'how do compilers work' }, space));
    const tokens = Number(reply.tokens);
    assert.ok(tokens >= 32 && tokens <= 128, `tokens ${tokens}`);
    assert.equal(String(reply.text).split(' ').length, tokens, String(reply.text));
    const firstTokenMs = Number(reply.time_to_first_token_ms);
    assert.ok(firstTokenMs >= 150 && firstTokenMs <= 250, `time to first token ${firstTokenMs}`);
    assert.ok(ms >= firstTokenMs + tokens * 8 - 5, `answered in ${Math.round(ms)} ms, before ${firstTokenMs} + ${tokens} × 8 ms`);
    assert.ok(ms < 2_000, `answered in ${Math.round(ms)} ms`);
    assert.deepEqual(reply.context, ['compilers'], 'the context is recalled from the call\'s space');
    assert.ok(String(reply.text).startsWith('compilers '), String(reply.text));

    const { value: short, ms: shortMs } = await timed(call(client, 'Generate', { prompt: 'how do compilers work', max_tokens: 4 }, space));
    const shortTokens = Number(short.tokens);
    assert.ok(shortTokens >= 1 && shortTokens <= 4, `tokens ${shortTokens}`);
    assert.ok(shortMs < ms && shortMs < 500, `max_tokens 4 answered in ${Math.round(shortMs)} ms (128: ${Math.round(ms)} ms)`);

    assertStatus(await failure(call(client, 'Generate', { prompt: 'too long', max_tokens: 513 })), status.INVALID_ARGUMENT, /"max_tokens"/);
  });

  // A recalled concept name of several words ("Grace Hopper") is echoed word by word: the text
  // still has exactly `tokens` words.
  test('Generate: the text has `tokens` words when the context holds a multi-word name', { timeout: 10_000 }, async () => {
    const space = metadataOf('ai-names');
    await call(client, 'Learn', { text: 'Grace Hopper built the first compiler.' }, space);
    const reply = await call(client, 'Generate', { prompt: 'Grace Hopper', max_tokens: 8 }, space);
    assert.ok((reply.context as string[]).includes('Grace Hopper'), JSON.stringify(reply.context));
    assert.equal(String(reply.text).split(' ').length, Number(reply.tokens), `${String(reply.text)} (tokens ${String(reply.tokens)})`);
  });

  test('Generate past its deadline is DEADLINE_EXCEEDED on the client; the server answers the next call', { timeout: 10_000 }, async () => {
    const { value: error, ms } = await timed(failure(call(client, 'Generate', { prompt: 'a long answer' }, new Metadata(), 100)));
    assertStatus(error, status.DEADLINE_EXCEEDED);
    assert.ok(ms < 1_000, `cut after ${Math.round(ms)} ms`);
    const next = await call(client, 'Generate', { prompt: 'a short answer', max_tokens: 4 });
    assert.ok(Number(next.tokens) >= 1);
  });

  test('20 gRPC channels of 5 Recalls each and 50 HTTP GETs at once all succeed', { timeout: 20_000 }, async () => {
    // A local subchannel pool per client: each is its own HTTP/2 connection, not one shared.
    const clients = Array.from({ length: 20 }, () => connect(server, { 'grpc.use_local_subchannel_pool': 1 }));
    try {
      const grpcCalls = clients.map(async (c, i) => {
        for (let n = 0; n < 5; n++) assert.ok(Array.isArray((await call(c, 'Recall', { query: `compiler ${i} ${n}` }, new Metadata(), 10_000)).results));
      });
      const httpCalls = Array.from({ length: 50 }, async () => {
        const res = await fetch(`${server.url}/health`);
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as { status: string }).status, 'ok');
      });
      await Promise.all([...grpcCalls, ...httpCalls]);
    } finally {
      for (const c of clients) c.close();
    }
  });
});

describe('demo server gRPC: fault flags, slots and shutdown', () => {
  test('errorRate 1: every call is UNAVAILABLE "injected failure"', { timeout: 10_000 }, async () => {
    await withServer({ errorRate: 1 }, async (_server, client) => {
      for (const [method, request] of [['Learn', { text: 'Fault injection works.' }], ['Recall', { query: 'fault' }], ['Stats', {}], ['Generate', { prompt: 'hi' }]] as const) {
        assertStatus(await failure(call(client, method, request)), status.UNAVAILABLE, 'injected failure');
      }
    });
  });

  // The fault flags end a Watch with their status too, as they end a unary call.
  test('errorRate 1: a Watch ends UNAVAILABLE "injected failure"', { timeout: 10_000 }, async () => {
    await withServer({ errorRate: 1 }, async (_server, client) => {
      const watched = await watch(client, { since: 0 }, new Metadata(), 1_000).done;
      assert.equal(status[watched.status.code], 'UNAVAILABLE', watched.status.details);
      assert.equal(watched.status.details, 'injected failure');
    });
  });

  test('latencyMs 150: a Stats call takes at least 150 ms', { timeout: 10_000 }, async () => {
    await withServer({ latencyMs: 150 }, async (_server, client) => {
      await call(client, 'Stats', {}); // connects first: only the call is timed below
      const { ms } = await timed(call(client, 'Stats', {}));
      assert.ok(ms >= 148, `Stats answered in ${Math.round(ms)} ms`);
    });
  });

  test('maxConcurrency 1, queueLimit 0: of 3 concurrent Stats calls one is served, the others RESOURCE_EXHAUSTED "overloaded"', { timeout: 10_000 }, async () => {
    await withServer({ maxConcurrency: 1, queueLimit: 0, latencyMs: 200 }, async (_server, client) => {
      await call(client, 'Stats', {});
      const settled = await Promise.allSettled([1, 2, 3].map(() => call(client, 'Stats', {})));
      const refused = settled.flatMap((s) => (s.status === 'rejected' && isServiceError(s.reason) ? [s.reason] : []));
      assert.ok(settled.some((s) => s.status === 'fulfilled'), 'at least one call was served');
      assert.ok(refused.length >= 1, 'at least one call was refused');
      assert.equal(refused.length + settled.filter((s) => s.status === 'fulfilled').length, 3, 'no other failures');
      for (const error of refused) assertStatus(error, status.RESOURCE_EXHAUSTED, 'overloaded');
    });
  });

  test('a cancelled follow stream ends CANCELLED on the client and gives its slot back', { timeout: 10_000 }, async () => {
    // One slot, no queue: while the stream holds the slot every other call is refused, so a slot
    // the cancelled stream kept would show as RESOURCE_EXHAUSTED on the Stats after it.
    await withServer({ maxConcurrency: 1, queueLimit: 0 }, async (_server, client) => {
      await call(client, 'Learn', { text: 'Cancelled streams release their slot.' });
      const following = watch(client, { since: 0, follow_ms: 10_000 });
      await streamed(following.stream, 1); // the backlog arrived: the server is running the stream
      assertStatus(await failure(call(client, 'Stats', {})), status.RESOURCE_EXHAUSTED, 'overloaded');
      const started = performance.now();
      following.stream.cancel();
      const { status: end } = await following.done;
      assert.equal(status[end.code], 'CANCELLED', end.details);
      assert.ok(performance.now() - started < 500, `ended ${Math.round(performance.now() - started)} ms after cancel()`);
      // The server learns of the cancel a moment after the client (RST_STREAM, then 'cancelled'), so the slot comes back shortly, not at once.
      const stats = await eventually(() => call(client, 'Stats', {}), 1_000);
      assert.ok(Number(stats.concepts) > 0, 'the server answers after the cancel');
    });
  });

  test('close() with a follow stream open resolves promptly and ends the stream', { timeout: 10_000 }, async () => {
    const server = await startDemoServer({ port: 0, host: '127.0.0.1', seed: 1 });
    const client = connect(server);
    let closed = false;
    try {
      await call(client, 'Learn', { text: 'Shutdown must not wait for followers.' });
      const following = watch(client, { since: 0, follow_ms: 10_000 });
      await streamed(following.stream, 1);
      const { ms } = await timed(server.close());
      closed = true;
      assert.ok(ms < 2_500, `close() took ${Math.round(ms)} ms`);
      const ended = await Promise.race([following.done, sleep(1_000, null)]);
      assert.ok(ended !== null, 'the stream was still open 1 s after close()');
    } finally {
      client.close();
      if (!closed) await server.close();
    }
  });
});
