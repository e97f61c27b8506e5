/**
 * deploy/grafana/ and deploy/prometheus/ (issue 23): every dashboard query names only series that
 * brood (or the system under test's client library) exports, with their own labels; promtool accepts
 * the rules and the config and its unit tests pass; and a real Prometheus, scraping a real brood run
 * with the shipped config and rules, holds the counts that the run's _stats.csv reports.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { freePort, promtool, requireBinary, startPrometheus, type PrometheusServer, type QueryResult } from '../helpers/prometheus-server.js';

const GRAFANA = join(REPO_ROOT, 'deploy/grafana');
const PROMETHEUS = join(REPO_ROOT, 'deploy/prometheus');
const PING_USER = join(REPO_ROOT, 'test/fixtures/monitor/ping-user.mjs');

/** brood's series as src/report/prometheus-exposition.ts declares them (TYPE and labels); checked against a real scrape below. */
const BROOD_SERIES: Readonly<Record<string, { type: string; labels: readonly string[] }>> = {
  brood_requests_total: { type: 'counter', labels: ['method', 'name'] },
  brood_failures_total: { type: 'counter', labels: ['method', 'name', 'error'] },
  brood_response_time_seconds: { type: 'histogram', labels: ['method', 'name'] },
  brood_users: { type: 'gauge', labels: [] },
  brood_user_count: { type: 'gauge', labels: ['class'] },
  brood_custom_metric: { type: 'gauge', labels: ['name'] },
  brood_generator_cpu_percent: { type: 'gauge', labels: [] },
  brood_custom_metric_values: { type: 'summary', labels: ['name'] },
};
/** The system under test's: any client library's process_* metrics, and the built-in demo server's counter. */
const SUT_SERIES: Readonly<Record<string, readonly string[]>> = { continuum_http_requests_total: ['method', 'route', 'status'] };
/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ['job', 'instance'];

/** The labels a series name may carry, or null when brood and the system under test export no such series. */
function labelsOf(metric: string): readonly string[] | null {
  const histogram = /^(.*)_(bucket|sum|count)$/.exec(metric);
  const base = histogram?.[1] ?? '';
  if (BROOD_SERIES[base]?.type === 'histogram') return [...(BROOD_SERIES[base]?.labels ?? []), ...(histogram?.[2] === 'bucket' ? ['le'] : [])];
  if (BROOD_SERIES[base]?.type === 'summary' && histogram?.[2] !== 'bucket') return [...(BROOD_SERIES[base]?.labels ?? [])];
  if (BROOD_SERIES[metric]?.type === 'summary') return [...(BROOD_SERIES[metric]?.labels ?? []), 'quantile'];
  if (BROOD_SERIES[metric]?.type === 'histogram') return null; // the bare name selects nothing (the seed's bug)
  const known = BROOD_SERIES[metric]?.labels ?? SUT_SERIES[metric] ?? (/^process_[a-z_]+$/.test(metric) ? [] : null);
  return known === null ? null : [...known];
}

/**
 * The series names a PromQL expression selects (Grafana variables allowed in strings and ranges);
 * throws when it names a series that neither brood nor the system under test exports, a label that
 * series lacks, a selector without a name, or groups by a label none of its series has.
 */
function checkExpr(expr: string): string[] {
  const groupings: string[] = [];
  let rest = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, labels: string) => (groupings.push(...labels.split(',').map((l) => l.trim()).filter((l) => l !== '')), ' '))
    .replace(/\[[^\]]*\]/g, ' ');
  // Selectors with matchers first (so that label names inside braces are not read as series), then bare names.
  const selectors: Array<[string, string]> = [];
  rest = rest.replace(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g, (_, name: string, matchers: string) => (selectors.push([name, matchers]), ' '));
  if (/[{}]/.test(rest)) throw new Error(`${JSON.stringify(expr)} has a selector without a metric name`);
  for (const [, name, call] of rest.matchAll(/(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (name !== undefined && call === undefined && !['and', 'or', 'unless', 'bool', 'offset'].includes(name)) selectors.push([name, '']);
  }
  const allowed = new Set(TARGET_LABELS);
  for (const [name, matchers] of selectors) {
    const labels = labelsOf(name);
    if (labels === null) throw new Error(`${JSON.stringify(expr)} selects ${name}, which neither brood nor the system under test exports`);
    for (const [, label] of matchers.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) {
      if (label !== undefined && !labels.includes(label) && !TARGET_LABELS.includes(label)) throw new Error(`${JSON.stringify(expr)}: ${name} has no label ${label}`);
    }
    for (const l of labels) allowed.add(l);
  }
  for (const label of groupings) if (!allowed.has(label)) throw new Error(`${JSON.stringify(expr)} groups by ${label}, which none of its series has`);
  return selectors.map(([name]) => name);
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: unknown;
  targets?: Array<{ expr?: string; refId?: string; datasource?: unknown }>;
}
interface Variable {
  name: string;
  type: string;
  query: unknown;
  datasource?: unknown;
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  __inputs?: unknown;
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboard = JSON.parse(readFileSync(join(GRAFANA, 'brood-dashboard.json'), 'utf8')) as Dashboard;
const DATASOURCE = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };
const LABEL_VALUES = /^label_values\((.+),\s*([a-zA-Z_]\w*)\)$/;
const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
const queryVariables = dashboard.templating.list.filter((v) => v.type === 'query');

test('the checker of dashboard queries refuses unknown series, foreign labels and bare histograms', () => {
  assert.deepEqual(checkExpr('sum by (le) (rate(brood_response_time_seconds_bucket{name=~"$name"}[$__rate_interval]))'), ['brood_response_time_seconds_bucket']);
  assert.throws(() => checkExpr('sum(rate(brood_request_total[1m]))'), /brood_request_total/);
  assert.throws(() => checkExpr('brood_users{name="/a"}'), /no label name/);
  assert.throws(() => checkExpr('sum by (class) (rate(brood_requests_total[1m]))'), /groups by class/);
  assert.throws(() => checkExpr('histogram_quantile(0.95, brood_response_time_seconds)'), /brood_response_time_seconds/);
  assert.throws(() => checkExpr('{__name__=~"brood_.*"}'), /without a metric name/);
});

test('the dashboard: a templated Prometheus data source on every panel, queries of brood series only, valid variables', () => {
  assert.ok(dashboard.schemaVersion >= 36 && dashboard.uid !== '' && dashboard.title !== '');
  assert.equal(dashboard.__inputs, undefined, 'no __inputs: file provisioning would leave ${DS_PROMETHEUS} unfilled');
  const source = dashboard.templating.list.find((v) => v.name === 'DS_PROMETHEUS');
  assert.deepEqual([source?.type, source?.query], ['datasource', 'prometheus']);
  const ids = new Set<number>();
  const cells = new Set<string>();
  for (const panel of dashboard.panels) {
    assert.ok(!ids.has(panel.id), `panel id ${panel.id} twice`);
    ids.add(panel.id);
    const { x, y, w, h } = panel.gridPos;
    assert.ok(x >= 0 && w > 0 && x + w <= 24 && h > 0, `${panel.title}: inside the 24-column grid`);
    for (let i = x; i < x + w; i++) for (let j = y; j < y + h; j++) {
      assert.ok(!cells.has(`${i},${j}`), `${panel.title} overlaps another panel at ${i},${j}`);
      cells.add(`${i},${j}`);
    }
    if (panel.type === 'row') continue;
    assert.deepEqual(panel.datasource, DATASOURCE, `${panel.title}: datasource`);
    assert.ok((panel.targets ?? []).length > 0, `${panel.title}: no query`);
    const refIds = new Set((panel.targets ?? []).map((t) => t.refId));
    assert.equal(refIds.size, panel.targets?.length, `${panel.title}: refIds unique`);
    for (const t of panel.targets ?? []) {
      assert.deepEqual(t.datasource ?? DATASOURCE, DATASOURCE, `${panel.title}: target datasource`);
      assert.doesNotThrow(() => checkExpr(t.expr ?? ''), `${panel.title}`);
    }
  }
  // What the issue asks the dashboard to show.
  const used = new Set(exprs.flatMap(checkExpr));
  for (const series of ['brood_requests_total', 'brood_failures_total', 'brood_response_time_seconds_bucket', 'brood_users', 'brood_user_count', 'brood_generator_cpu_percent', 'process_resident_memory_bytes', 'process_cpu_seconds_total']) {
    assert.ok(used.has(series), `no panel shows ${series}`);
  }
  for (const q of ['0.5', '0.95', '0.99']) assert.ok(exprs.some((e) => e.startsWith(`histogram_quantile(${q},`)), `no P${Number(q) * 100}`);
  assert.ok(exprs.some((e) => e.startsWith('deriv(process_resident_memory_bytes') && e.endsWith('* 60 / 1048576')), 'RSS growth in MB/min');

  assert.deepEqual(queryVariables.map((v) => v.name), ['method', 'name', 'sut']);
  for (const v of queryVariables) {
    assert.deepEqual(v.datasource, DATASOURCE, `$${v.name}: datasource`);
    const m = LABEL_VALUES.exec(String(v.query));
    assert.ok(m, `$${v.name}: ${String(v.query)} is label_values(series, label)`);
    const [metric] = checkExpr(m[1] ?? '');
    assert.ok(labelsOf(metric ?? '')?.includes(m[2] ?? '') || TARGET_LABELS.includes(m[2] ?? ''), `$${v.name}: ${metric} has no label ${m[2]}`);
  }
  assert.match(String(queryVariables[1]?.query), /^label_values\(brood_requests_total\{method=~"\$method"\}, name\)$/);
});

interface RuleFile {
  groups: Array<{ name: string; interval: string; rules: Array<{ alert: string; expr: string; for: string }> }>;
}

test('promtool accepts the rules and the example config, and the rules pass their unit tests', () => {
  for (const args of [['check', 'rules', 'brood-alerts.yml'], ['check', 'config', 'prometheus.yml'], ['test', 'rules', 'brood-alerts.test.yml']]) {
    const run = promtool(args, PROMETHEUS);
    assert.equal(run.code, 0, `promtool ${args.join(' ')}:\n${run.output}`);
  }
  const rules = parseYaml(readFileSync(join(PROMETHEUS, 'brood-alerts.yml'), 'utf8')) as RuleFile;
  const alerts = rules.groups.flatMap((g) => g.rules);
  assert.deepEqual(alerts.map((r) => [r.alert, r.for]), [['HighLatency', '1m'], ['HighErrorRate', '1m'], ['MemoryLeak', '5m'], ['GeneratorSaturated', '1m']]);
  for (const r of alerts) assert.doesNotThrow(() => checkExpr(r.expr), r.alert);
  const config = parseYaml(readFileSync(join(PROMETHEUS, 'prometheus.yml'), 'utf8')) as { scrape_configs: Array<{ job_name: string; scrape_interval: string; static_configs: Array<{ targets: string[] }> }> };
  const brood = config.scrape_configs.find((c) => c.job_name === 'brood');
  assert.deepEqual(brood?.static_configs[0]?.targets, ['127.0.0.1:9646']);
  assert.ok(['1s', '2s', '3s', '4s', '5s'].includes(brood?.scrape_interval ?? ''), `scrape_interval ${brood?.scrape_interval}`);
});

/**
 * The system under test: every 10th request answers after 30 ms (so the P95 is above 25 ms), every
 * 10th another one 500 (10 % errors); /metrics serves its process_* figures. `freeze()` makes it hold
 * every new request unanswered, so that brood's counts stop moving while the run goes on.
 */
async function startSut(): Promise<{ port: number; answered: () => number; failed: () => number; freeze: () => void; close: () => Promise<void> }> {
  let received = 0;
  let answered = 0;
  let failed = 0;
  let frozen = false;
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    if (req.url === '/metrics') {
      const cpu = process.cpuUsage();
      res.end(`process_resident_memory_bytes ${process.memoryUsage.rss()}\nprocess_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}\n`);
      return;
    }
    if (frozen) return void held.push(res);
    const n = ++received;
    const answer = (status: number): void => {
      answered++;
      if (status >= 400) failed++;
      res.writeHead(status).end('ok');
    };
    if (n % 10 === 0) setTimeout(() => answer(200), 30);
    else answer(n % 10 === 5 ? 500 : 200);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    answered: () => answered,
    failed: () => failed,
    freeze: () => (frozen = true),
    close: () => new Promise<void>((resolve) => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Polls `probe` every 250 ms until it returns a value (not undefined); fails after `ms` with `what`. */
async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${ms / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The single number of a query's result (NaN when it has none). */
function single(r: QueryResult): number {
  if (r.resultType === 'scalar') return Number(r.result[1]);
  return r.result.length === 1 ? Number(r.result[0]?.value[1]) : Number.NaN;
}

interface RulesData {
  groups: Array<{ rules: Array<{ name: string; state?: string; health: string; lastError?: string }> }>;
}

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test('a real Prometheus scrapes a real brood run: its counts are _stats.csv\'s, the P95 and every dashboard query evaluate, the alerts go pending', { timeout: 60_000 }, async () => {
  requireBinary('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'brood-prometheus-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  const sut = await startSut();
  cleanups.push(() => sut.close());
  const broodPort = await freePort();

  // The shipped rules, evaluated every second instead of every 10 s so the test waits less.
  const rulesText = readFileSync(join(PROMETHEUS, 'brood-alerts.yml'), 'utf8');
  assert.equal(rulesText.match(/^ {4}interval: 10s$/gm)?.length, 1);
  writeFileSync(join(dir, 'brood-alerts.yml'), rulesText.replace(/^ {4}interval: 10s$/m, '    interval: 1s'));
  // The shipped config, pointed at this run's ports, with the system under test's job uncommented.
  const config = parseYaml(readFileSync(join(PROMETHEUS, 'prometheus.yml'), 'utf8')) as { scrape_configs: Array<Record<string, unknown>> };
  const broodJob = config.scrape_configs.find((c) => c.job_name === 'brood');
  assert.ok(broodJob);
  broodJob.static_configs = [{ targets: [`127.0.0.1:${broodPort}`] }];
  config.scrape_configs.push({ job_name: 'system-under-test', scrape_interval: '1s', scrape_timeout: '1s', static_configs: [{ targets: [`127.0.0.1:${sut.port}`] }] });
  writeFileSync(join(dir, 'prometheus.yml'), stringifyYaml(config));

  const prometheus: PrometheusServer = await startPrometheus({ configFile: join(dir, 'prometheus.yml'), storageDir: join(dir, 'data') });
  cleanups.push(() => prometheus.stop());
  let brood: ChildProcess | undefined;
  const run = runCli(['-f', PING_USER, '-H', `http://127.0.0.1:${sut.port}`, '-u', '5', '-r', '5', '-t', '45s', '--stop-timeout', '1s', '--only-summary', '--metrics-port', String(broodPort), '--csv', join(dir, 'run')], {
    timeoutMs: 55_000,
    onStdout: (_, child) => (brood = child),
  });
  cleanups.push(() => void brood?.kill('SIGKILL'));

  // Both alerts whose conditions the system under test meets go pending (they fire only after `for`).
  const states = async (): Promise<Map<string, { state?: string; health: string; lastError?: string }>> =>
    new Map(((await prometheus.api('rules')) as RulesData).groups.flatMap((g) => g.rules.map((r) => [r.name, r] as const)));
  await waitFor('HighLatency and HighErrorRate to go pending', 25_000, async () => {
    const s = await states();
    return s.get('HighLatency')?.state === 'pending' && s.get('HighErrorRate')?.state === 'pending' ? true : undefined;
  });
  const rules = await states();
  assert.deepEqual([...rules.keys()], ['HighLatency', 'HighErrorRate', 'MemoryLeak', 'GeneratorSaturated']);
  for (const [name, r] of rules) assert.equal(r.health, 'ok', `${name}: ${r.lastError ?? ''}`);

  // 10 % of the requests take 30 ms: more than 5 % are above 25 ms, so the P95 is.
  const p95 = single(await prometheus.query('histogram_quantile(0.95, sum by (le) (rate(brood_response_time_seconds_bucket[30s])))'));
  assert.ok(p95 > 0.025 && p95 < 1, `P95 ${p95} s`);

  // The series and types brood really exports are the ones the dashboard check allows.
  const exposition = await (await fetch(`http://127.0.0.1:${broodPort}/metrics`)).text();
  const types: Record<string, string> = {};
  for (const [, name = '', type = ''] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types[name] = type;
  assert.deepEqual(types, Object.fromEntries(Object.entries(BROOD_SERIES).map(([name, s]) => [name, s.type])));

  // Every dashboard query runs, with Grafana's variables as "All"; those on series this run has return data.
  const withData = ['brood_requests_total', 'brood_failures_total', 'brood_response_time_seconds_bucket', 'brood_response_time_seconds_sum', 'brood_response_time_seconds_count', 'brood_users', 'brood_user_count', 'brood_generator_cpu_percent', 'process_resident_memory_bytes', 'process_cpu_seconds_total'];
  await waitFor('brood_generator_cpu_percent, and two scrapes of the system under test (for rate and deriv)', 10_000, async () => {
    const cpu = single(await prometheus.query('brood_generator_cpu_percent'));
    const sutScrapes = single(await prometheus.query('count_over_time(process_resident_memory_bytes[1m])'));
    return cpu >= 0 && sutScrapes >= 2 ? true : undefined;
  });
  for (const expr of exprs) {
    const result = await prometheus.query(expr.replaceAll('$__rate_interval', '30s').replace(/\$(method|name|sut)\b/g, '.*'));
    if (checkExpr(expr).every((m) => withData.includes(m))) assert.ok(result.resultType === 'vector' && result.result.length > 0, `no data for ${expr}`);
  }
  for (const v of queryVariables) {
    const [, selector = '', label = ''] = LABEL_VALUES.exec(String(v.query)) ?? [];
    const values = (await prometheus.api(`label/${label}/values?match[]=${encodeURIComponent(selector.replace('$method', '.*'))}`)) as string[];
    assert.deepEqual(values, { method: ['GET'], name: ['/'], sut: ['system-under-test'] }[v.name], `$${v.name}`);
  }

  // Freeze the server: brood's counts stop once the requests already answering (30 ms at most) are
  // in, and a scrape that starts half a second later holds exactly what the server answered.
  sut.freeze();
  const frozenAt = Date.now() / 1000;
  await waitFor('a scrape of brood 0.5 s after the freeze', 10_000, async () => (single(await prometheus.query('timestamp(brood_users)')) > frozenAt + 0.5 ? true : undefined));
  const scraped = [single(await prometheus.query('sum(brood_requests_total)')), single(await prometheus.query('sum(brood_failures_total)'))];
  assert.deepEqual(scraped, [sut.answered(), sut.failed()]);
  assert.ok(brood);
  brood.kill('SIGINT');
  const result = await run;
  const statsCsv = join(dir, 'run_stats.csv');
  assert.ok(existsSync(statsCsv), `no _stats.csv; brood said:\n${result.stdout}\n${result.stderr}`);
  const total = parseCsv<Record<string, string>>(readFileSync(statsCsv, 'utf8'), { columns: true }).find((r) => r.Name === 'Aggregated');
  assert.ok(total, `no Aggregated row; brood said:\n${result.stdout}\n${result.stderr}`);

  // The requests held at the stop are cut and counted nowhere (as in Locust), so the last scrape,
  // taken after the freeze, equals the CSV exactly: no request completed after it.
  const csv = [Number(total['Request Count']), Number(total['Failure Count'])];
  assert.deepEqual(csv, [sut.answered(), sut.failed()]);
  const last = [
    single(await prometheus.query('sum(last_over_time(brood_requests_total[1m]))')),
    single(await prometheus.query('sum(last_over_time(brood_failures_total[1m]))')),
  ];
  assert.deepEqual(last, csv, 'the last scrape before brood stopped');
  assert.ok(csv[0] !== undefined && csv[0] > 100 && csv[1] !== undefined && csv[1] > 0, `a run too short to mean anything: ${csv}`);
});
