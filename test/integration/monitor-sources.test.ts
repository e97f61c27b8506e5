/**
 * monitor/ against real processes and servers (issue 23): a leaking and a flat server read through
 * /proc and through their /metrics, a server that dies, a process tree, the ways a scrape fails, and
 * the run's TargetMonitor writing PREFIX_resources.csv. All on 127.0.0.1, each scenario a few seconds.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseMetricSelector, type MetricSelector } from '../../src/monitor/metric-selector.js';
import { processExists } from '../../src/monitor/monitor-setup.js';
import { monitorSources } from '../../src/monitor/monitor-sources.js';
import { PidSource } from '../../src/monitor/pid-source.js';
import { ResourceLog } from '../../src/monitor/resource-log.js';
import type { ResourceSource, SourceResult } from '../../src/monitor/resource-sample.js';
import { summarizeResources } from '../../src/monitor/resource-summary.js';
import { UrlSource } from '../../src/monitor/url-source.js';
import { TargetMonitor } from '../../src/runner/job/target-monitor.js';

// dist/test/integration/ → the repository's test/fixtures/monitor/ (fixtures are not compiled).
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/monitor/', import.meta.url));

interface Started {
  child: ChildProcess;
  pid: number;
  /** The first line the fixture printed ("listening PORT", "children PID PID"), split on blanks. */
  words: string[];
  exited: Promise<void>;
}

const started: Started[] = [];
const servers: Server[] = [];
const extraPids: number[] = [];
after(async () => {
  for (const pid of extraPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone: its parent ended it.
    }
  }
  await Promise.all(started.map(async (s) => {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await s.exited;
  }));
  await Promise.all(servers.map((s) => {
    s.closeAllConnections();
    return new Promise<void>((resolve) => s.close(() => resolve()));
  }));
});

/** Starts a fixture under test/fixtures/monitor/ and waits (5 s at most) for its first line. */
async function startFixture(file: string, args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [join(FIXTURES, file), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const s: Started = { child, pid: child.pid ?? -1, words: [], exited };
  started.push(s);
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} printed nothing in 5 s`)), 5000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${code}) before printing`));
    });
  });
  s.words = line.trim().split(/\s+/);
  return s;
}

async function startLeaky(leakMbPerSec: number, dieAfterSec?: number): Promise<Started & { port: number }> {
  const s = await startFixture('leaky-server.mjs', dieAfterSec === undefined ? [String(leakMbPerSec)] : [String(leakMbPerSec), String(dieAfterSec)]);
  assert.equal(s.words[0], 'listening');
  return { ...s, port: Number(s.words[1]) };
}

async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function selector(text: string): MetricSelector {
  const s = parseMetricSelector(text);
  assert.ok(typeof s !== 'string', s as string);
  return s;
}

/** Reads every source every `everyMs` for `forMs` into a ResourceLog, on the real monotonic clock. */
async function watch(sources: readonly ResourceSource[], everyMs: number, forMs: number): Promise<{ log: ResourceLog; lines: string[] }> {
  const log = new ResourceLog(sources.map((s) => ({ name: s.name, kind: s.kind })));
  const lines: string[] = [];
  const t0 = performance.now();
  const results = await Promise.all(sources.map((s) => s.read()));
  results.forEach((r, i) => {
    const line = log.baseline(i, r, performance.now());
    if (line !== null) lines.push(line);
  });
  for (let k = 1; k * everyMs <= forMs; k++) {
    await sleep(t0 + k * everyMs - performance.now());
    await Promise.all(sources.map(async (s, i) => {
      const r = await s.read();
      const now = performance.now();
      const line = log.add(i, r, { timestamp: Math.round((performance.timeOrigin + now) / 1000), elapsedSec: (now - t0) / 1000, userCount: 1, monotonicMs: now });
      if (line !== null) lines.push(line);
    }));
  }
  return { log, lines };
}

test('a server leaking 2 MB/s grows ~120 MB/min through /proc and through its /metrics; a flat one is flat', { timeout: 20_000 }, async () => {
  // Three servers at once: the leaky one read both ways; one flat server read through /proc only and
  // one through /metrics only. Each scrape a flat server answers fills V8's young generation by tens
  // of KB until a scavenge (a sawtooth of a few MB/min over 8 s): read through /proc alone, the flat
  // server's RSS is left as it would be (measured ±0.1 MB over 10 s).
  const [leaky, flatPid, flatUrl] = await Promise.all([startLeaky(2), startLeaky(0), startLeaky(0)]);
  const chunks = selector('leaky_kept_chunks{kind="buffer"}');
  const sources = [
    new PidSource(leaky.pid, { children: false }),
    new UrlSource(`http://127.0.0.1:${leaky.port}/metrics`, { metrics: [chunks] }),
    new PidSource(flatPid.pid, { children: false }),
    new UrlSource(`http://127.0.0.1:${flatUrl.port}/metrics`, { metrics: [chunks] }),
  ];
  try {
    assert.equal(sources[0]?.name, `pid ${leaky.pid} (node)`);
    assert.equal(sources[1]?.name, `http://127.0.0.1:${leaky.port}/metrics`);
    const { log, lines } = await watch(sources, 500, 8000);
    assert.deepEqual(lines, [], 'no source went away');
    const r = summarizeResources(log.sources, log.samples, [chunks.text], 1);
    assert.equal(r.warm_up_sec, 1);
    const [pidLeak, urlLeak, pidFlat, urlFlat] = r.sources;
    for (const [s, how] of [[pidLeak, 'pid'], [urlLeak, 'url']] as const) {
      assert.ok(s !== undefined);
      const growth = s.memory_growth_mb_per_min ?? Number.NaN;
      assert.ok(growth >= 96 && growth <= 144, `${how}: ${growth} MB/min, want 120 ± 20 %: ${s.growth_reason}`);
      assert.equal(s.growth_verdict, 'leak', how);
      assert.equal(s.gaps, 0, how);
      assert.equal(s.samples, 16, how);
      assert.ok((s.fit?.from_sec ?? 0) >= 1, `${how}: fit from ${s.fit?.from_sec}`);
      assert.ok((s.fit?.r2 ?? 0) > 0.9, `${how}: r² ${s.fit?.r2}`);
      assert.ok(s.rss_mb !== null && s.rss_mb.end - s.rss_mb.start > 8, `${how}: RSS ${JSON.stringify(s.rss_mb)}`);
      assert.ok(s.cpu_percent !== null && s.cpu_percent.max >= 0, `${how}: CPU ${JSON.stringify(s.cpu_percent)}`);
    }
    assert.ok((pidLeak?.threads?.max ?? 0) >= 1);
    assert.ok((pidLeak?.open_files?.max ?? 0) >= 3, 'stdin, stdout, stderr and the listening socket at least');
    assert.deepEqual(pidLeak?.metrics, {});
    // Ten chunks kept a second: the selected series grows by about 80 over the 8 s.
    const kept = urlLeak?.metrics[chunks.text];
    assert.ok(kept != null && kept.last - kept.first >= 40, `kept chunks ${JSON.stringify(kept)}`);
    assert.deepEqual(urlFlat?.metrics[chunks.text], { first: 0, last: 0, min: 0, max: 0 });
    const flatGrowth = pidFlat?.memory_growth_mb_per_min ?? Number.NaN;
    assert.ok(Math.abs(flatGrowth) < 10, `flat pid: ${flatGrowth} MB/min: ${pidFlat?.growth_reason}`);
    assert.equal(pidFlat?.growth_verdict, 'flat');
    // Scraped, the flat server's sawtooth stays far below the leak's 120 MB/min, and is no leak.
    const scrapedGrowth = urlFlat?.memory_growth_mb_per_min ?? Number.NaN;
    assert.ok(Math.abs(scrapedGrowth) < 30, `flat url: ${scrapedGrowth} MB/min: ${urlFlat?.growth_reason}`);
    assert.notEqual(urlFlat?.growth_verdict, 'leak');
    assert.ok(Math.abs((r.worst.memory_growth_mb_per_min ?? 0) - Math.max(pidLeak?.memory_growth_mb_per_min ?? 0, urlLeak?.memory_growth_mb_per_min ?? 0)) < 1e-9);
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
});

test('a server that dies: its PID reads "gone", its URL a refused connection, each said once, nothing thrown', { timeout: 15_000 }, async () => {
  const dying = await startLeaky(0, 2);
  const pidSource = new PidSource(dying.pid, { children: false });
  const urlSource = new UrlSource(`http://127.0.0.1:${dying.port}/metrics`, { metrics: [] });
  const sources = [pidSource, urlSource];
  try {
    const log = new ResourceLog(sources.map((s) => ({ name: s.name, kind: s.kind })));
    const lines: string[] = [];
    let exitedAt: number | null = null;
    void dying.exited.then(() => (exitedAt = performance.now()));
    const afterDeath: Array<{ source: number; result: SourceResult }> = [];
    const t0 = performance.now();
    // Read every 250 ms until four rounds after the exit (at most 6 s).
    while (performance.now() - t0 < 6000 && afterDeath.length < 8) {
      const round = performance.now();
      const diedBefore = exitedAt !== null;
      const results = await Promise.all(sources.map((s) => s.read()));
      results.forEach((result, i) => {
        const now = performance.now();
        const line = log.add(i, result, { timestamp: 0, elapsedSec: (now - t0) / 1000, userCount: 1, monotonicMs: now });
        if (line !== null) lines.push(line);
        if (diedBefore) afterDeath.push({ source: i, result });
      });
      await sleep(Math.max(0, round + 250 - performance.now()));
    }
    assert.ok(exitedAt !== null, 'the server exited after 2 s');
    assert.equal(afterDeath.length, 8);
    assert.ok(log.samples.some((s) => s.gap === null && s.source === 0), 'read while alive');
    assert.ok(log.samples.some((s) => s.gap === null && s.source === 1), 'scraped while alive');
    for (const { source, result } of afterDeath) {
      assert.equal(result.ok, false, `source ${source} after the exit: ${JSON.stringify(result)}`);
      if (result.ok) continue;
      if (source === 0) assert.equal(result.reason, `process ${dying.pid} is gone`);
      else assert.match(result.reason, new RegExp(`^http://127\\.0\\.0\\.1:${dying.port}/metrics did not answer: `));
    }
    const lastUrl = afterDeath.filter((a) => a.source === 1).at(-1)?.result;
    assert.ok(lastUrl !== undefined && !lastUrl.ok);
    assert.match(lastUrl.reason, /ECONNREFUSED/);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.equal(lines.filter((l) => l.startsWith(`monitor: process ${dying.pid} is gone at `) && l.endsWith(`recorded as a gap in ${pidSource.name}'s resources`)).length, 1, lines.join('\n'));
    assert.equal(lines.filter((l) => l.startsWith(`monitor: ${urlSource.name} did not answer`)).length, 1, lines.join('\n'));
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
});

test('a process that has exited but is not yet reaped by its parent (a zombie) reads as gone', { timeout: 10_000 }, async () => {
  // sh starts `sleep 0.4` in the background, then becomes `sleep 4`, which never waits for it: the
  // short sleep exits and stays a zombie (state Z in /proc/PID/stat) until its parent ends.
  const parent = spawn('sh', ['-c', 'sleep 0.4 & exec sleep 4'], { stdio: 'ignore' });
  const parentExited = once(parent, 'exit');
  try {
    let kid = Number.NaN;
    for (let tries = 0; tries < 50 && !(kid > 0); tries++) {
      await sleep(20);
      try {
        kid = Number(readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim());
      } catch {
        // Not forked yet.
      }
    }
    assert.ok(kid > 0, 'the background sleep started');
    const source = new PidSource(kid, { children: false });
    assert.equal(source.name, `pid ${kid} (sleep)`);
    const alive = await source.read();
    assert.ok(alive.ok && alive.reading.rssBytes !== null && alive.reading.rssBytes > 0, JSON.stringify(alive));
    let state = '';
    for (let tries = 0; tries < 60 && state !== 'Z'; tries++) {
      await sleep(25);
      state = /\) (\S)/.exec(readFileSync(`/proc/${kid}/stat`, 'utf8'))?.[1] ?? '';
    }
    assert.equal(state, 'Z', 'the exited sleep is a zombie');
    const dead = await source.read();
    assert.equal(dead.ok, false, `a zombie has no memory, CPU or files left: it is gone, not a reading with an empty RSS: ${JSON.stringify(dead)}`);
    if (!dead.ok) assert.match(dead.reason, /gone/);
  } finally {
    parent.kill('SIGKILL');
    await parentExited;
  }
});

test('--monitor-children: the parent and its two children summed, named "+ children"', { timeout: 15_000 }, async () => {
  const parent = await startFixture('forking-parent.mjs', []);
  assert.equal(parent.words[0], 'children');
  const kids = parent.words.slice(1).map(Number);
  extraPids.push(...kids);
  assert.equal(kids.length, 2);
  const tree = new PidSource(parent.pid, { children: true });
  const alone = new PidSource(parent.pid, { children: false });
  const each = kids.map((pid) => new PidSource(pid, { children: false }));
  assert.equal(tree.name, `pid ${parent.pid} (node) + children`);
  assert.equal(alone.name, `pid ${parent.pid} (node)`);
  assert.ok(!alone.name.endsWith('+ children'));
  const [t, a, ...k] = await Promise.all([tree.read(), alone.read(), ...each.map((s) => s.read())]);
  assert.ok(t?.ok === true && a?.ok === true && k.every((r) => r?.ok === true), JSON.stringify([t, a, k]));
  const kidReadings = k.map((r) => (r?.ok === true ? r.reading : assert.fail('child read')));
  const sum = (pick: (r: { rssBytes: number | null; threads: number | null; openFiles: number | null }) => number | null): number =>
    kidReadings.reduce((acc, r) => acc + (pick(r) ?? Number.NaN), 0);
  const treeR = t.reading;
  const aloneR = a.reading;
  // Threads do not change from one reading to the next in idle Node processes: the sum is exact.
  assert.equal(treeR.threads, (aloneR.threads ?? 0) + sum((r) => r.threads), 'threads of all three');
  // RSS moves a little between readings: within 10 % of the three added.
  const rssWant = (aloneR.rssBytes ?? 0) + sum((r) => r.rssBytes);
  assert.ok(treeR.rssBytes !== null && aloneR.rssBytes !== null && treeR.rssBytes >= aloneR.rssBytes + sum((r) => r.rssBytes) * 0.9, `tree ${treeR.rssBytes}, parent ${aloneR.rssBytes}`);
  assert.ok(Math.abs((treeR.rssBytes ?? 0) - rssWant) < rssWant * 0.1, `tree ${treeR.rssBytes} vs ${rssWant}`);
  assert.ok((treeR.openFiles ?? 0) > (aloneR.openFiles ?? 0), `open files ${treeR.openFiles} vs ${aloneR.openFiles}`);
  assert.ok((treeR.cpuSeconds ?? 0) >= (aloneR.cpuSeconds ?? 0));
  // A child that exits leaves the tree; the total CPU seconds never go backwards.
  const before = treeR.cpuSeconds ?? 0;
  process.kill(kids[0] ?? -1, 'SIGKILL');
  await sleep(300);
  const later = await tree.read();
  assert.ok(later.ok, JSON.stringify(later));
  assert.equal(later.reading.threads, (aloneR.threads ?? 0) + (kidReadings[1]?.threads ?? 0), 'the dead child no longer counts');
  assert.ok((later.reading.cpuSeconds ?? 0) >= before, `CPU ${later.reading.cpuSeconds} after ${before}`);
  parent.child.kill('SIGTERM');
  await parent.exited;
});

test('UrlSource: HTTP 500, no answer in time, a refused connection and a page with no samples are gaps with a reason', { timeout: 15_000 }, async () => {
  const failing = await startServer((_req, res) => {
    res.writeHead(500);
    res.end('boom');
  });
  const silent = await startServer(() => {
    // Never answers: the scrape times out.
  });
  const empty = await startServer((_req, res) => res.end('# HELP nothing here\n# TYPE nothing gauge\n\n'));
  const junk = await startServer((_req, res) => res.end('<html><body>not metrics</body></html>\n'));
  const refusedServer = createServer();
  refusedServer.listen(0, '127.0.0.1');
  await once(refusedServer, 'listening');
  const refusedPort = (refusedServer.address() as AddressInfo).port;
  await new Promise<void>((resolve) => refusedServer.close(() => resolve()));
  const cases: Array<{ name: string; url: string; timeoutMs?: number; reason: RegExp }> = [
    { name: 'HTTP 500', url: `http://${failing}/metrics`, reason: new RegExp(`^http://${failing}/metrics answered HTTP 500$`) },
    { name: 'no answer', url: `http://${silent}/metrics`, timeoutMs: 300, reason: new RegExp(`^http://${silent}/metrics did not answer: no answer within 300 ms$`) },
    { name: 'refused', url: `http://127.0.0.1:${refusedPort}/metrics`, reason: /did not answer: ECONNREFUSED$/ },
    { name: 'no samples', url: `http://${empty}/metrics`, reason: new RegExp(`^http://${empty}/metrics sent no Prometheus samples$`) },
    { name: 'not a metrics page', url: `http://${junk}/`, reason: /sent no Prometheus samples$/ },
  ];
  for (const c of cases) {
    const source = new UrlSource(c.url, { metrics: [], ...(c.timeoutMs === undefined ? {} : { timeoutMs: c.timeoutMs }) });
    try {
      const t0 = performance.now();
      const r = await source.read();
      const took = performance.now() - t0;
      assert.equal(r.ok, false, `${c.name}: ${JSON.stringify(r)}`);
      if (!r.ok) assert.match(r.reason, c.reason, c.name);
      if (c.timeoutMs !== undefined) assert.ok(took >= c.timeoutMs - 20 && took < c.timeoutMs + 700, `${c.name}: gave up after ${took.toFixed(0)} ms`);
      // A second reading after a failure is a failure again, not a throw or a hang.
      const again = await source.read();
      assert.equal(again.ok, false, c.name);
    } finally {
      await source.close();
    }
  }
});

test('UrlSource: credentials in the URL are sent as basic auth and never appear in its name', { timeout: 10_000 }, async () => {
  const seen: Array<string | undefined> = [];
  const host = await startServer((req, res) => {
    seen.push(req.headers.authorization);
    res.end('process_resident_memory_bytes 1048576\nprocess_cpu_seconds_total 2.5\nprocess_open_fds 12\nqueue_depth{q="a"} 4\nqueue_depth{q="b"} 6\n');
  });
  const cases: Array<{ url: string; auth: string | undefined; name: string }> = [
    { url: `http://user:secret@${host}/metrics`, auth: `Basic ${Buffer.from('user:secret').toString('base64')}`, name: `http://${host}/metrics` },
    { url: `http://us%20er:p%40ss%3Asecret@${host}/metrics?x=1`, auth: `Basic ${Buffer.from('us er:p@ss:secret').toString('base64')}`, name: `http://${host}/metrics?x=1` },
    { url: `http://${host}/metrics`, auth: undefined, name: `http://${host}/metrics` },
  ];
  for (const c of cases) {
    const source = new UrlSource(c.url, { metrics: [selector('queue_depth'), selector('queue_depth{q="b"}'), selector('absent')] });
    try {
      assert.equal(source.name, c.name);
      assert.ok(!source.name.includes('secret') && !source.name.includes('@'), source.name);
      const r = await source.read();
      assert.deepEqual(r, { ok: true, reading: { rssBytes: 1048576, cpuSeconds: 2.5, threads: null, openFiles: 12, metrics: [10, 6, null] } });
      assert.equal(seen.at(-1), c.auth, c.url);
    } finally {
      await source.close();
    }
  }
  // A name given replaces the URL (the demo server's "demo server"); a failure reason uses it too.
  const named = new UrlSource(`http://user:secret@${host}/metrics`, { name: 'demo server', metrics: [] });
  assert.equal(named.name, 'demo server');
  await named.close();
});

test('processExists: this process yes, a process that has exited no; monitorSources builds one source per PID and URL', { timeout: 10_000 }, async () => {
  assert.equal(processExists(process.pid), true);
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid ?? -1;
  await once(child, 'exit');
  assert.ok(pid > 0);
  assert.equal(processExists(pid), false);
  const sources = monitorSources({ pids: [process.pid], children: true, urls: [{ url: 'http://a:b@127.0.0.1:9/metrics' }, { url: 'http://127.0.0.1:9/metrics', name: 'demo server' }], metrics: [], warmUpSec: null });
  try {
    assert.deepEqual(sources.map((s) => [s.kind, s.name]), [['pid', `pid ${process.pid} (node) + children`], ['url', 'http://127.0.0.1:9/metrics'], ['url', 'demo server']]);
    // A PID gone before the source was made: every reading says so.
    const dead = new PidSource(pid, { children: false });
    assert.equal(dead.name, `pid ${pid}`);
    assert.deepEqual(await dead.read(), { ok: false, reason: `process ${pid} is gone` });
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
});

test('TargetMonitor: a baseline, three intervals and stop() write one PREFIX_resources.csv row per source per interval', { timeout: 15_000 }, async () => {
  const host = await startServer((_req, res) => res.end('process_resident_memory_bytes 2097152\nprocess_cpu_seconds_total 1\nin_flight{route="/a"} 2\nin_flight{route="/b"} 1\n'));
  const dir = mkdtempSync(join(tmpdir(), 'brood-monitor-'));
  try {
    const csvPath = join(dir, 'run_resources.csv');
    const metric = selector('in_flight');
    const sources: ResourceSource[] = [new PidSource(process.pid, { children: false }), new UrlSource(`http://${host}/metrics`, { metrics: [metric] })];
    const said: string[] = [];
    const monitor = new TargetMonitor(sources, [metric.text], 0, csvPath, { now: () => performance.now(), say: (l) => said.push(l) });
    await monitor.baseline();
    const t0 = performance.now();
    for (let k = 1; k <= 3; k++) {
      await sleep(300);
      // Keep this process busy a little so its CPU % is above 0.
      const until = performance.now() + 30;
      while (performance.now() < until);
      // Asked mid-run (the live web UI's resource targets): the summary follows each reading that landed.
      assert.deepEqual(monitor.summary().sources.map((s) => s.samples), [k - 1, k - 1]);
      monitor.interval(1_700_000_000 + k, (performance.now() - t0) / 1000, 10 * k);
    }
    await monitor.stop();
    await monitor.stop();
    monitor.interval(1_700_000_009, 9, 0);
    assert.deepEqual(said, []);
    const [header, ...rows] = readFileSync(csvPath, 'utf8').split('\r\n').filter((l) => l !== '');
    assert.equal(header, 'Timestamp,Elapsed (s),User Count,Source,RSS MB,CPU %,Threads,Open Files,Gap,in_flight');
    assert.equal(rows.length, 6, rows.join('\n'));
    const cells = rows.map((r) => r.split(','));
    for (const c of cells) assert.equal(c.length, 10, c.join(','));
    const pidRows = cells.filter((c) => c[3] === `pid ${process.pid} (node)`);
    const urlRows = cells.filter((c) => c[3] === `http://${host}/metrics`);
    assert.equal(pidRows.length, 3);
    assert.equal(urlRows.length, 3);
    for (const rowsOf of [pidRows, urlRows]) {
      assert.deepEqual(rowsOf.map((c) => c[0]), ['1700000001', '1700000002', '1700000003']);
      assert.deepEqual(rowsOf.map((c) => c[2]), ['10', '20', '30']);
    }
    for (const c of pidRows) {
      assert.match(c[1] ?? '', /^\d+\.\d{3}$/);
      assert.ok(Number(c[4]) > 10, `RSS MB ${c[4]}`);
      assert.match(c[5] ?? '', /^\d+\.\d$/, 'CPU % from the baseline on');
      assert.ok(Number(c[6]) >= 1 && Number(c[7]) >= 3, c.join(','));
      assert.deepEqual([c[8], c[9]], ['', ''], 'no gap; a PID has no scraped series');
    }
    for (const c of urlRows) assert.deepEqual(c.slice(4), ['2.000', '0.0', '', '', '', '3']);
    assert.equal(monitor.samples.length, 6);
    const summary = monitor.summary();
    assert.equal(summary.warm_up_sec, 0);
    assert.deepEqual(summary.sources.map((s) => [s.samples, s.gaps]), [[3, 0], [3, 0]]);
    assert.deepEqual(summary.sources[1]?.metrics, { in_flight: { first: 3, last: 3, min: 3, max: 3 } });
    assert.equal(monitor.summary(), summary, 'no new reading: the summary is not made again');
    assert.deepEqual(monitor.sourceNames, [`pid ${process.pid} (node)`, `http://${host}/metrics`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
