/**
 * GrpcUser through the real runner (Job) against a real @grpc/grpc-js server: stats rows of Type
 * GRPC, failures by status name, deadlines, a server that refuses connections and comes back
 * (backoff, then recovery), streams as one row plus their GRPCR message counts, one channel per
 * user or one shared, a hard stop cutting calls in flight, and the test's own mistakes (an
 * unknown method, protos that do not load, a host that is not gRPC) stopping the run with exit 2.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { classProblems } from '../../src/core/brand.js';
import { ConfigError } from '../../src/core/errors.js';
import { task } from '../../src/core/task-decorators.js';
import { constant } from '../../src/core/wait-time.js';
import { GrpcUser } from '../../src/grpc/grpc-user.js';
import { protosOfClass } from '../../src/grpc/proto-registry.js';
import { httpClientSettings } from '../../src/http/client-settings.js';
import type { EntrySummary } from '../../src/stats/types.js';
import type { Job } from '../../src/runner/job/run-job.js';
import { KERNEL_PROTO, KERNEL_PROTO_DIR, startGrpcServer, type GrpcTestServer } from '../helpers/grpc-server.js';
import { makeJob } from '../helpers/job.js';
import { testCertificates } from '../helpers/tls-certs.js';

const servers: GrpcTestServer[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function server(options?: Parameters<typeof startGrpcServer>[0]): Promise<GrpcTestServer> {
  const s = await startGrpcServer(options);
  servers.push(s);
  return s;
}

type JobOptions = Parameters<typeof makeJob>[0];

/** Runs a job to its end; its stats rows by "Type name", its failures by "Type name reason". */
async function run(options: JobOptions): Promise<{ job: Job; exitCode: number; reason: string; rows: Map<string, EntrySummary>; failures: Map<string, number>; seconds: number }> {
  const { job, dir } = makeJob(options);
  dirs.push(dir);
  const started = performance.now();
  const result = await job.run();
  const seconds = (performance.now() - started) / 1000;
  const rows = new Map(job.stats.summaries(Date.now()).entries.map((e) => [`${e.method} ${e.name}`, e]));
  const failures = new Map(job.stats.failures().map((f) => [`${f.method} ${f.name} ${f.error}`, f.occurrences]));
  return { job, exitCode: result.exitCode, reason: result.reason, rows, failures, seconds };
}

function row(rows: Map<string, EntrySummary>, key: string): EntrySummary {
  const r = rows.get(key);
  assert.ok(r, `a "${key}" row (rows: ${[...rows.keys()].join(', ')})`);
  return r;
}

const KERNEL = { files: [KERNEL_PROTO], includeDirs: [KERNEL_PROTO_DIR] };

describe('unary calls', () => {
  test('each call is one GRPC row under its method (or its name), with the response object and its size', async () => {
    const srv = await server();
    const replies: unknown[] = [];
    class Kernel extends GrpcUser {
      static override proto = KERNEL;
      override waitTime = constant(0.01);
      @task async run(): Promise<void> {
        replies.push(await this.grpc.unary('kernel.Kernel/Run', { code: '1+1' }, { timeout: 1 }));
        await this.grpc.unary('/kernel.Kernel/Run', { code: 'x' }, { name: 'run x', metadata: { 'x-test': 'yes', 'trace-bin': Buffer.from([1, 2]) } });
      }
    }
    const r = await run({ host: srv.url, userClasses: [Kernel], users: 2, runTimeSec: 1 });
    assert.equal(r.exitCode, 0, r.reason);
    const main = row(r.rows, 'GRPC kernel.Kernel/Run');
    const named = row(r.rows, 'GRPC run x');
    assert.ok(main.numRequests >= 10, `calls: ${main.numRequests}`);
    assert.equal(main.numFailures + named.numFailures, 0);
    assert.equal(named.numRequests, main.numRequests, 'the second call of each task is recorded under its name');
    // RunReply { result: "ran 1+1", took_us: 12, level: LEVEL_OK }: 9 + 2 + 2 bytes on the wire.
    assert.equal(main.totalContentLength, main.numRequests * 13, 'responseLength is the serialized response');
    assert.deepEqual(replies[0], { result: 'ran 1+1', took_us: '12', level: 'LEVEL_OK' }, '.proto field names, int64 and enums as strings');
    assert.equal(srv.lastMetadata?.['x-test'], 'yes');
    assert.deepEqual(srv.lastMetadata?.['trace-bin'], Buffer.from([1, 2]));
    assert.equal(srv.calls.get('Run'), main.numRequests + named.numRequests, 'every call reached the server once');
  });

  test('credentials in the host go as basic auth; options brood cannot send fail the call, nothing is sent', async () => {
    const srv = await server();
    const results: unknown[] = [];
    class Kernel extends GrpcUser {
      static override proto = KERNEL;
      @task async run(): Promise<void> {
        results.push(await this.grpc.unary('kernel.Kernel/Run', { code: '1' }));
        results.push(await this.grpc.unary('kernel.Kernel/Run', { code: '2' }, { timeout: 1, retries: 3 } as object));
        results.push(await this.grpc.unary('kernel.Kernel/Run', { code: '3' }, { metadata: { 'trace-bin': 'not a buffer' } }));
        results.push(await this.grpc.unary('kernel.Kernel/Run', { code: '4' }, { timeout: -1 }));
        this.stop();
      }
    }
    const r = await run({ host: srv.url.replace('grpc://', 'grpc://ana:s%3Acret@'), userClasses: [Kernel], runTimeSec: 2 });
    assert.deepEqual(results.map((x) => x !== null), [true, false, false, false]);
    assert.equal(srv.calls.get('Run'), 1, 'the refused calls were not sent');
    assert.equal(srv.lastMetadata?.authorization, `Basic ${Buffer.from('ana:s:cret').toString('base64')}`);
    assert.deepEqual([...r.failures.keys()].sort(), [
      'GRPC kernel.Kernel/Run invalid options: metadata "trace-bin": keys that end with \'-bin\' must have Buffer values',
      'GRPC kernel.Kernel/Run invalid options: timeout must be seconds > 0 (Infinity: no deadline)',
      'GRPC kernel.Kernel/Run invalid options: unknown option "retries" (a call takes name, timeout, metadata)',
    ]);
  });

  test('a non-OK status is a failure named by the status and its details; the task goes on with null', async () => {
    const srv = await server({ behaviour: { fail: { code: status.UNAVAILABLE, details: 'kernel busy' } } });
    let nulls = 0;
    let lastError: string | null = null;
    class Kernel extends GrpcUser {
      static override proto = KERNEL;
      override waitTime = constant(0.02);
      @task async run(): Promise<void> {
        if ((await this.grpc.unary('kernel.Kernel/Run', { code: '1' })) === null) nulls++;
        lastError = this.grpc.lastError;
      }
    }
    const r = await run({ host: srv.url, userClasses: [Kernel], runTimeSec: 1 });
    const main = row(r.rows, 'GRPC kernel.Kernel/Run');
    assert.equal(main.numFailures, main.numRequests);
    assert.deepEqual([...r.failures], [['GRPC kernel.Kernel/Run UNAVAILABLE: kernel busy', main.numRequests]]);
    assert.equal(nulls, main.numRequests);
    assert.equal(lastError, 'UNAVAILABLE: kernel busy');
    // The server answered (its channel is up): no reconnect pause between the calls.
    assert.ok(main.numRequests >= 15, `calls at think-time pace: ${main.numRequests}`);
    assert.equal(r.job.stats.summaries(Date.now()).entries.filter((e) => e.method !== 'GRPC').length, 0);
  });

  test('a call past its deadline fails with DEADLINE_EXCEEDED, one groupable reason', async () => {
    const srv = await server({ behaviour: { delayMs: 300 } });
    class Kernel extends GrpcUser {
      static override proto = KERNEL;
      @task async run(): Promise<void> {
        await this.grpc.unary('kernel.Kernel/Run', { code: 'slow' }, { timeout: 0.1 });
      }
    }
    const r = await run({ host: srv.url, userClasses: [Kernel], runTimeSec: 1 });
    const main = row(r.rows, 'GRPC kernel.Kernel/Run');
    assert.ok(main.numFailures >= 5 && main.numFailures === main.numRequests, `failures: ${main.numFailures}/${main.numRequests}`);
    assert.deepEqual([...r.failures.keys()], ['GRPC kernel.Kernel/Run DEADLINE_EXCEEDED: timeout after 100 ms']);
    assert.ok((main.maxResponseTimeMs ?? 0) < 250, `cut at the deadline: ${main.maxResponseTimeMs} ms`);
  });

  test('a server that refuses connections is retried with backoff, not in a loop, and is used again once back', async () => {
    const srv = await server();
    await srv.stop();
    setTimeout(() => void srv.restart(), 1500);
    class Kernel extends GrpcUser {
      static override proto = KERNEL;
      @task async run(): Promise<void> {
        await this.grpc.unary('kernel.Kernel/Run', { code: '1' }, { timeout: 1 });
      }
    }
    const r = await run({ host: srv.url, userClasses: [Kernel], runTimeSec: 3.5 });
    const main = row(r.rows, 'GRPC kernel.Kernel/Run');
    // No think time: without a pause this would be tens of thousands of refused calls in 1.5 s;
    // 50, 100, 200, 400, 800 ms pauses allow about six.
    assert.ok(main.numFailures >= 2 && main.numFailures <= 12, `refused attempts: ${main.numFailures}`);
    const reasons = [...r.failures.keys()];
    assert.ok(reasons.every((k) => /^GRPC kernel\.Kernel\/Run UNAVAILABLE: .*ECONNREFUSED/.test(k)), reasons.join('\n'));
    const successes = main.numRequests - main.numFailures;
    assert.ok(successes > 100, `calls after the server came back: ${successes}`);
  });
});

describe('streams', () => {
  test('a server stream is one row from start to end; its messages are GRPCR counts', async () => {
    const srv = await server();
    const seqs: number[][] = [];
    class Watcher extends GrpcUser {
      static override proto = KERNEL;
      override waitTime = constant(0.02);
      @task async watch(): Promise<void> {
        const got: number[] = [];
        for await (const event of this.grpc.serverStream<{ seq: number }>('kernel.Kernel/Watch', { count: 5 })) got.push(event.seq);
        seqs.push(got);
      }
    }
    const r = await run({ host: srv.url, userClasses: [Watcher], runTimeSec: 1 });
    const stream = row(r.rows, 'GRPC kernel.Kernel/Watch');
    const messages = row(r.rows, 'GRPCR kernel.Kernel/Watch');
    assert.equal(stream.numFailures, 0);
    assert.ok(stream.numRequests >= 5, `streams: ${stream.numRequests}`);
    assert.equal(messages.numRequests, stream.numRequests * 5, 'every message counted');
    // Event { seq, kind: "tick", payload: 10 bytes }: 2 + 6 + 12 bytes each.
    assert.equal(messages.totalContentLength, messages.numRequests * 20);
    assert.equal(stream.totalContentLength, messages.totalContentLength, 'the stream row carries all its bytes');
    assert.deepEqual(seqs[0], [1, 2, 3, 4, 5]);
  });

  test('a stream that fails after its messages: the messages are read, the row fails with the status', async () => {
    const srv = await server({ behaviour: { fail: { code: status.INTERNAL, details: 'kernel died' } } });
    let read = 0;
    let error: string | null = null;
    class Watcher extends GrpcUser {
      static override proto = KERNEL;
      override waitTime = constant(0.05);
      @task async watch(): Promise<void> {
        const stream = this.grpc.serverStream('kernel.Kernel/Watch', { count: 2 });
        for await (const event of stream) read += event ? 1 : 0;
        error = stream.error;
      }
    }
    const r = await run({ host: srv.url, userClasses: [Watcher], runTimeSec: 0.6 });
    const stream = row(r.rows, 'GRPC kernel.Kernel/Watch');
    assert.equal(stream.numFailures, stream.numRequests);
    assert.deepEqual([...r.failures.keys()], ['GRPC kernel.Kernel/Watch INTERNAL: kernel died']);
    assert.equal(read, stream.numRequests * 2);
    assert.equal(error, 'INTERNAL: kernel died');
  });

  test('breaking out of a stream ends it there, as a success', async () => {
    const srv = await server({ behaviour: { delayMs: 20, streamCount: 1000 } });
    class Watcher extends GrpcUser {
      static override proto = KERNEL;
      @task async watch(): Promise<void> {
        for await (const event of this.grpc.serverStream<{ seq: number }>('kernel.Kernel/Watch', {})) if (event.seq === 3) break;
      }
    }
    const r = await run({ host: srv.url, userClasses: [Watcher], runTimeSec: 1 });
    const stream = row(r.rows, 'GRPC kernel.Kernel/Watch');
    assert.equal(stream.numFailures, 0);
    assert.ok(stream.numRequests >= 5, `streams: ${stream.numRequests}`);
    assert.ok((stream.maxResponseTimeMs ?? 0) < 500, 'ended at the third message, not the thousandth');
    assert.ok(srv.cut.count >= stream.numRequests - 1, 'the server saw each stream cancelled');
  });

  test('client and bidirectional streams: one row each, the response, and the echoes', async () => {
    const srv = await server();
    const uploads: unknown[] = [];
    const echoes: string[][] = [];
    class Streamer extends GrpcUser {
      static override proto = KERNEL;
      override waitTime = constant(0.02);
      @task async upload(): Promise<void> {
        const up = this.grpc.clientStream('kernel.Kernel/Upload');
        for (let i = 0; i < 3; i++) up.write({ data: Buffer.alloc(100) });
        uploads.push(await up.end());
      }
      @task async chat(): Promise<void> {
        const chat = this.grpc.bidiStream<{ text: string }, { text: string }>('kernel.Kernel/Chat', { name: 'chat' });
        chat.write({ text: 'hi' });
        chat.write({ text: 'bye' });
        chat.end();
        const got: string[] = [];
        for await (const m of chat) got.push(m.text);
        echoes.push(got);
      }
    }
    const r = await run({ host: srv.url, userClasses: [Streamer], runTimeSec: 1 });
    const upload = row(r.rows, 'GRPC kernel.Kernel/Upload');
    const chat = row(r.rows, 'GRPC chat');
    assert.equal(upload.numFailures + chat.numFailures, 0);
    assert.ok(upload.numRequests > 3 && chat.numRequests > 3);
    assert.deepEqual(uploads[0], { chunks: 3, bytes: '300' });
    assert.deepEqual(echoes[0], ['echo: hi', 'echo: bye']);
    assert.equal(row(r.rows, 'GRPCR chat').numRequests, chat.numRequests * 2);
    assert.equal(r.rows.has('GRPCR kernel.Kernel/Upload'), false, "a client stream's one response is its row's, not a message row");
  });
});

describe('channels', () => {
  for (const [pool, expected] of [['per-user', 3], ['shared', 1]] as const) {
    test(`--connection-pool ${pool}: ${expected} connection(s) for 3 users`, async () => {
      const srv = await server();
      class Kernel extends GrpcUser {
        static override proto = KERNEL;
        override waitTime = constant(0.02);
        @task async run(): Promise<void> {
          await this.grpc.unary('kernel.Kernel/Run', { code: '1' });
        }
      }
      const r = await run({ host: srv.url, userClasses: [Kernel], users: 3, runTimeSec: 0.8, http: httpClientSettings({ connectionPool: pool }) });
      assert.equal(row(r.rows, 'GRPC kernel.Kernel/Run').numFailures, 0);
      assert.equal(srv.peers.size, expected, [...srv.peers].join(', '));
    });
  }

  test('a hard stop cuts the calls and streams in flight and records none of them', async () => {
    const srv = await server({ behaviour: { hang: true } });
    let loopsEnded = 0;
    class Kernel extends GrpcUser {
      static override proto = KERNEL;
      @task async run(): Promise<void> {
        const watch = async (): Promise<void> => {
          for await (const event of this.grpc.serverStream('kernel.Kernel/Watch', {}, { timeout: Infinity })) void event;
          loopsEnded++;
        };
        await Promise.all([this.grpc.unary('kernel.Kernel/Run', { code: 'forever' }, { timeout: 30 }), watch()]);
      }
    }
    const r = await run({ host: srv.url, userClasses: [Kernel], users: 2, runTimeSec: 0.5, stopTimeoutSec: 0.3 });
    assert.ok(r.seconds < 5, `the run ended at its stop timeout, not the calls' deadline (${r.seconds.toFixed(1)} s)`);
    assert.deepEqual([...r.rows.keys()].filter((k) => k.startsWith('GRPC')), [], 'cut calls are not recorded');
    await waitFor(() => srv.cut.count === 4);
    assert.equal(loopsEnded, 2, "the tasks' stream loops ended");
  });
});

describe('TLS', () => {
  test('grpcs://: --ca trusts the server, --insecure skips the check, neither refuses a self-signed one', async () => {
    const certs = testCertificates();
    const signed = await server({ tls: { key: certs.server.key, cert: certs.server.cert } });
    const selfSigned = await server({ tls: { key: certs.selfSigned.key, cert: certs.selfSigned.cert } });
    class Kernel extends GrpcUser {
      static override proto = KERNEL;
      override waitTime = constant(0.05);
      @task async run(): Promise<void> {
        await this.grpc.unary('kernel.Kernel/Run', { code: '1' }, { timeout: 2 });
      }
    }
    const tls = (over: Partial<{ insecure: boolean; ca: string | null }>): ReturnType<typeof httpClientSettings> => httpClientSettings({ tls: { insecure: false, ca: null, cert: null, key: null, ...over } });
    const https = (s: GrpcTestServer): string => s.url.replace('grpc://', 'grpcs://');
    const trusted = await run({ host: https(signed), userClasses: [Kernel], runTimeSec: 0.5, http: tls({ ca: certs.ca.cert }) });
    assert.equal(row(trusted.rows, 'GRPC kernel.Kernel/Run').numFailures, 0, [...trusted.failures.keys()].join('\n'));
    const skipped = await run({ host: https(selfSigned).replace('grpcs://', 'https://'), userClasses: [Kernel], runTimeSec: 0.5, http: tls({ insecure: true }) });
    assert.equal(row(skipped.rows, 'GRPC kernel.Kernel/Run').numFailures, 0, [...skipped.failures.keys()].join('\n'));
    const refused = await run({ host: https(selfSigned), userClasses: [Kernel], runTimeSec: 0.5, http: tls({}) });
    const failed = row(refused.rows, 'GRPC kernel.Kernel/Run');
    assert.equal(failed.numFailures, failed.numRequests);
    assert.match([...refused.failures.keys()].join('\n'), /UNAVAILABLE: .*self.signed/i);
  });
});

describe("the test's own mistakes stop the run with exit 2", () => {
  test('an unknown method, listing the methods of its service (or the services)', async () => {
    const srv = await server();
    for (const [method, expected] of [
      ['kernel.Kernel/Rn', 'Kernel: no method kernel.Kernel/Rn in the protos: kernel.Kernel has Run, Watch, Upload, Chat'],
      ['kernel.Kernal/Run', 'Kernel: no method kernel.Kernal/Run in the protos: no service kernel.Kernal; the services are kernel.Kernel'],
      ['kernel.Kernel/Watch', "Kernel: kernel.Kernel/Watch is a server-streaming method: call it with this.grpc.serverStream('kernel.Kernel/Watch', …), not unary()"],
    ] as const) {
      class Kernel extends GrpcUser {
        static override proto = KERNEL;
        @task async run(): Promise<void> {
          await this.grpc.unary(method, {});
        }
      }
      const r = await run({ host: srv.url, userClasses: [Kernel], runTimeSec: 5 });
      assert.equal(r.exitCode, 2);
      assert.ok(r.reason.endsWith(expected), r.reason);
      assert.ok(r.seconds < 3, 'stopped at once');
    }
  });

  test('a host that is not gRPC, or has a path', async () => {
    for (const [host, expected] of [
      ['ws://127.0.0.1:1', /Kernel is a GrpcUser: its host must be grpc:\/\/, grpcs:\/\/, http:\/\/ or https:\/\/, not ws:\/\/$/],
      ['grpc://127.0.0.1:1/api', /Kernel: a gRPC host has no path \(grpc:\/\/127\.0\.0\.1:1\/api\)/],
    ] as const) {
      class Kernel extends GrpcUser {
        static override proto = KERNEL;
        @task async run(): Promise<void> {
          await this.grpc.unary('kernel.Kernel/Run', {});
        }
      }
      const r = await run({ host, userClasses: [Kernel], runTimeSec: 5 });
      assert.equal(r.exitCode, 2);
      assert.match(r.reason, expected);
    }
  });

  test('protos that do not load are found before the run: file and line, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brood-protos-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'ok.proto'), 'syntax = "proto3";\npackage ok;\nservice S { rpc M(R) returns (R); }\nmessage R {}\n');
    writeFileSync(join(dir, 'uses-broken.proto'), 'syntax = "proto3";\npackage u;\nimport "broken.proto";\nservice U { rpc M(broken.Req) returns (broken.Req); }\n');
    writeFileSync(join(dir, 'broken.proto'), 'syntax = "proto3";\npackage broken;\nmessage Req {\n  string a = 1\n}\n');
    writeFileSync(join(dir, 'imports-missing.proto'), 'syntax = "proto3";\n// a comment\nimport "nowhere.proto";\npackage m;\n');
    writeFileSync(join(dir, 'no-service.proto'), 'syntax = "proto3";\npackage n;\nmessage R {}\n');
    const problemsOf = (proto: unknown): string[] => {
      class Kernel extends GrpcUser {
        static override proto = proto as typeof KERNEL;
      }
      Object.defineProperty(Kernel, Symbol.for('brood.moduleDir'), { value: dir });
      return classProblems(Kernel);
    };
    assert.deepEqual(problemsOf({ files: ['ok.proto'] }), []);
    const okClass = (): { name: string; proto?: unknown } => {
      class Ok extends GrpcUser {
        static override proto = { files: [join(dir, 'ok.proto')] };
      }
      return Ok;
    };
    assert.equal(protosOfClass(okClass()), protosOfClass(okClass()), 'the same files are loaded once per process');
    assert.deepEqual(problemsOf({ files: ['broken.proto'] }), ["Kernel.proto: broken.proto:5: illegal token '}', ';' expected"]);
    assert.deepEqual(problemsOf({ files: ['ok.proto', 'uses-broken.proto'] }), ["Kernel.proto: broken.proto:5: illegal token '}', ';' expected"], 'the imported file is blamed');
    assert.deepEqual(problemsOf({ files: ['imports-missing.proto'] }), ['Kernel.proto: imports-missing.proto:3: import "nowhere.proto" not found beside the file (no includeDirs given)']);
    assert.deepEqual(problemsOf({ files: ['no-service.proto'] }), ['Kernel.proto: no-service.proto: no service is defined (a GrpcUser calls a service\'s methods)']);
    assert.match(problemsOf({ files: ['absent.proto'] })[0] ?? '', /^Kernel\.proto: absent\.proto does not exist \(looked in \.\)$/);
    assert.match(problemsOf(undefined)[0] ?? '', /^Kernel has no proto files: declare static proto = \{ files: \[/);
    assert.match(problemsOf({ files: ['ok.proto'], include: ['x'] })[0] ?? '', /^Kernel\.proto has an unknown key "include"/);
    assert.throws(() => makeJob({ host: 'grpc://127.0.0.1:1', userClasses: [brokenClass(dir)] }), (e: unknown) => e instanceof ConfigError && e.message === "Broken.proto: broken.proto:5: illegal token '}', ';' expected");
  });
});

function brokenClass(dir: string): typeof GrpcUser {
  class Broken extends GrpcUser {
    static override proto = { files: ['broken.proto'] };
    @task async run(): Promise<void> {}
  }
  Object.defineProperty(Broken, Symbol.for('brood.moduleDir'), { value: dir });
  return Broken;
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    assert.ok(performance.now() < deadline, 'condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
