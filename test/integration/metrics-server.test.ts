import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { parse } from 'csv-parse/sync';
import { createHooks } from '../../src/core/hooks.js';
import { HttpSession } from '../../src/http/client.js';
import { PerUserDispatchers } from '../../src/http/dispatchers.js';
import { failuresCsv } from '../../src/report/failures-csv.js';
import type { LiveFigures } from '../../src/report/live-figures.js';
import { statsCsv } from '../../src/report/stats-csv.js';
import { StatsRegistry } from '../../src/stats/registry.js';
import { startMetricsServer, type MetricsServer } from '../../src/web/metrics-server.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const open: Array<MetricsServer | TargetServer> = [];
after(async () => Promise.all(open.map((s) => s.close())));

function figuresOf(stats: StatsRegistry, users = 0): LiveFigures {
  return {
    responseTimes: (limitsUs) => stats.responseTimes(limitsUs),
    failures: () => stats.failures(),
    metrics: () => stats.metricSummaries(),
    userCount: () => users,
    classCounts: () => ({}),
    generatorCpuPercent: () => null,
  };
}

async function started(stats = new StatsRegistry(() => Date.now()), users = 0): Promise<MetricsServer> {
  const server = await startMetricsServer({ host: '127.0.0.1', port: 0, figures: figuresOf(stats, users) });
  open.push(server);
  return server;
}

/** The value of the one sample line starting with `series` (name and labels as written). */
function sample(text: string, series: string): number {
  const lines = text.split('\n').filter((l) => l.startsWith(`${series} `));
  assert.equal(lines.length, 1, `one line for ${series} in:\n${text}`);
  return Number(lines[0]?.slice(series.length + 1));
}

test('serves the figures on GET /metrics, headers only on HEAD, 404 elsewhere, 405 for other methods', async () => {
  const stats = new StatsRegistry(() => Date.now());
  stats.recordSuccess('GET', '/a', 12, 0);
  const server = await started(stats, 3);
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  assert.ok(server.port > 0);

  const got = await fetch(server.url);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await got.text();
  assert.equal(sample(text, 'brood_requests_total{method="GET",name="/a"}'), 1);
  assert.equal(sample(text, 'brood_users'), 3);
  assert.equal(Number(got.headers.get('content-length')), Buffer.byteLength(text));

  const withQuery = await fetch(`${server.url}?name[]=x`);
  assert.equal(withQuery.status, 200);
  await withQuery.arrayBuffer();

  const head = await fetch(server.url, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers.get('content-length')), Buffer.byteLength(text));
  assert.equal(await head.text(), '');

  const other = await fetch(server.url.replace('/metrics', '/'));
  assert.equal(other.status, 404);
  await other.arrayBuffer();

  const post = await fetch(server.url, { method: 'POST', body: 'x' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
  await post.arrayBuffer();
});

test('scrapes taken during real traffic are valid, and the last one matches the stats and failures CSVs', async () => {
  const target = await startTargetServer({ status: (req) => (req.url?.startsWith('/bad') ? 500 : 200), delayMs: 2 });
  open.push(target);
  const stats = new StatsRegistry(() => Date.now());
  const server = await started(stats);
  const session = new HttpSession({
    baseUrl: target.url,
    requestTimeoutMs: 5000,
    maxBodyBytes: 1024,
    maxRedirects: 10,
    acceptEncoding: true,
    auth: null,
    recorder: stats,
    hooks: createHooks(),
    userId: 0,
    dispatchers: new PerUserDispatchers({ keepAliveTimeoutMs: 5000, connectTimeoutMs: 2000 }),
  });
  const traffic = (async () => {
    for (let i = 0; i < 60; i++) {
      await session.get(`/item?id=${i}`, { name: '/item?id=[id]' });
      if (i % 4 === 0) await session.post('/bad', { json: { i } });
    }
  })();
  const during: string[] = [];
  let done = false;
  void traffic.finally(() => (done = true));
  while (!done) {
    during.push(await (await fetch(server.url)).text());
    await new Promise((resolve) => setImmediate(resolve));
  }
  await traffic;
  session.close(false);
  for (const text of during) {
    const count = (series: string): number => (text.includes(`${series} `) ? sample(text, series) : 0);
    const requests = count('brood_requests_total{method="GET",name="/item?id=[id]"}');
    // Each scrape reads one snapshot: its histogram and its counter agree.
    assert.equal(count('brood_response_time_seconds_count{method="GET",name="/item?id=[id]"}'), requests);
    assert.equal(count('brood_response_time_seconds_bucket{method="GET",name="/item?id=[id]",le="+Inf"}'), requests);
  }

  const text = await (await fetch(server.url)).text();
  const summaries = stats.summaries(Date.now());
  const csvRows = parse<Record<string, string>>(statsCsv(summaries.entries, summaries.aggregated, stats.startWallMs), { columns: true });
  const failureRows = parse<Record<string, string>>(failuresCsv(stats.failures()), { columns: true });
  const entryRows = csvRows.filter((r) => r.Name !== 'Aggregated');
  assert.deepEqual(entryRows.map((r) => `${r.Type} ${r.Name}`), ['POST /bad', 'GET /item?id=[id]']);
  for (const row of entryRows) {
    const labels = `method="${row.Type}",name="${row.Name}"`;
    assert.equal(sample(text, `brood_requests_total{${labels}}`), Number(row['Request Count']), labels);
    assert.equal(sample(text, `brood_response_time_seconds_count{${labels}}`), Number(row['Request Count']), labels);
  }
  assert.deepEqual(failureRows.map((r) => [r.Method, r.Name, r.Error, r.Occurrences]), [['POST', '/bad', 'HTTP 500', '15']]);
  assert.equal(sample(text, 'brood_failures_total{method="POST",name="/bad",error="HTTP 500"}'), 15);
  assert.equal(sample(text, 'brood_requests_total{method="GET",name="/item?id=[id]"}'), 60);
});

test('close() ends at once with a keep-alive scraper and a half-sent request still connected', async () => {
  const server = await started();
  const agent = new Agent({ keepAlive: true });
  const response = await new Promise<IncomingMessage>((resolve, reject) => request(server.url, { agent }, resolve).on('error', reject).end());
  response.resume();
  await new Promise((resolve) => response.on('end', resolve));
  assert.equal(response.statusCode, 200);
  assert.equal(agent.freeSockets[Object.keys(agent.freeSockets)[0] ?? '']?.length, 1, 'the scraper keeps its connection');
  // A request whose headers never end: not idle, so server.close() alone would wait for headersTimeout.
  const stalled = connect(server.port, '127.0.0.1');
  await new Promise((resolve) => stalled.once('connect', resolve));
  stalled.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
  stalled.on('error', () => undefined);
  await new Promise((resolve) => setTimeout(resolve, 50));

  const t0 = performance.now();
  await server.close();
  const elapsed = performance.now() - t0;
  assert.ok(elapsed < 1000, `close took ${elapsed.toFixed(0)} ms`);
  await new Promise((resolve) => (stalled.destroyed ? resolve(undefined) : stalled.once('close', resolve)));
  agent.destroy();
  await assert.rejects(fetch(server.url));
});
