import { httpClientSettings } from '../../src/http/client-settings.js';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpUser, BodyTooLargeError, type BroodResponse } from '../../src/index.js';
import { makeJob } from '../helpers/job.js';

const GIB = 1024 ** 3;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/** Writes `total` bytes (Infinity = until the client goes away) honouring backpressure: the server holds nothing. */
function stream(res: ServerResponse, total: number): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      const n = Math.min(CHUNK.length, total - sent);
      sent += n;
      if (!res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return void res.once('drain', pump);
    }
    if (sent >= total) res.end();
  };
  pump();
}

let server: Server;
let url = '';
after(() => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
}));

async function target(): Promise<string> {
  if (url) return url;
  server = createServer((req, res) => {
    req.resume();
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(GIB) });
      stream(res, GIB);
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      stream(res, Infinity);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return url;
}

/** One request by one user, then the run stops; returns what the task saw. */
async function fetchOnce(path: string, requestTimeoutSec: number): Promise<{ response: BroodResponse; textError: unknown; jsonError: unknown; job: ReturnType<typeof makeJob>['job']; peakRssGrowth: number }> {
  const seen: { response?: BroodResponse; textError?: unknown; jsonError?: unknown } = {};
  let stopRun = (): void => {};
  class Reader extends HttpUser {
    static override tasks = { read: 1 };
    async read(): Promise<void> {
      const r = await this.client.get(path);
      seen.response = r;
      try { r.text(); } catch (e) { seen.textError = e; }
      try { r.json(); } catch (e) { seen.jsonError = e; }
      stopRun();
    }
  }
  const { job } = makeJob({ host: await target(), userClasses: [Reader], runTimeSec: 120, http: httpClientSettings({ requestTimeoutSec, maxBodyBytes: 1024 * 1024 }) });
  stopRun = () => job.stop('done');
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  await job.run();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  assert.ok(seen.response, 'the task ran');
  return { response: seen.response, textError: seen.textError, jsonError: seen.jsonError, job, peakRssGrowth: peak - base };
}

test('a 1 GiB streamed body is read streaming: size counted, memory not held, text()/json() fail clearly', async () => {
  const { response, textError, jsonError, job, peakRssGrowth } = await fetchOnce('/huge', 120);
  assert.equal(response.status, 200);
  assert.equal(response.error, null, 'a big body is not a failure');
  assert.equal(response.size, GIB, 'every byte counted');
  assert.ok(peakRssGrowth < 256 * 1024 * 1024, `RSS grew ${(peakRssGrowth / 2 ** 20).toFixed(0)} MB while reading 1 GiB (limit 256 MB)`);
  assert.ok(textError instanceof BodyTooLargeError, `text() throws BodyTooLargeError: ${String(textError)}`);
  assert.match((textError as Error).message, /exceeded the 1048576 bytes kept for text\(\)\/json\(\); raise --max-body-size/);
  assert.ok(jsonError instanceof BodyTooLargeError, 'json() too');
  const agg = job.stats.summaries(Date.now()).aggregated;
  assert.equal(agg.numRequests, 1);
  assert.equal(agg.numFailures, 0);
});

test('an endless body is cut at --request-timeout: a timeout failure with the bytes counted', async () => {
  const started = performance.now();
  const { response, job } = await fetchOnce('/endless', 1);
  const secs = (performance.now() - started) / 1000;
  assert.equal(response.error, 'timeout after 1000 ms');
  assert.ok(response.size > CHUNK.length, `bytes received are counted: ${response.size}`);
  assert.ok(secs < 8, `cut after ${secs.toFixed(1)} s`);
  const failures = job.stats.failures();
  assert.equal(failures.length, 1);
  assert.equal(failures[0]?.error, 'timeout after 1000 ms');
});
