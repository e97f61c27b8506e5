/**
 * The report's "Server resources" section (issue 23) in real headless Chromium (Debian's package,
 * driven by playwright-core, as html-report-browser.test.ts does): rendered from plain data with a
 * hostile source name, it shows its table and charts on the load charts' time axis, under the
 * report's own CSP, with no request and no error; a report without a monitor has no such section.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BYTES_PER_MB, type ResourceSample } from '../../src/monitor/resource-sample.js';
import { summarizeResources } from '../../src/monitor/resource-summary.js';
import { renderHtmlReport, type HtmlReportInput } from '../../src/report/html-report.js';
import type { ResourcesReport } from '../../src/report/resources-report.js';
import { entry, historyPoint, runInfo } from '../unit/report/report-fixtures.js';
import { openReport, type OpenedReport } from '../helpers/report-page.js';

const CHROMIUM = '/usr/bin/chromium';
const HOSTILE_SOURCE = 'http://api:9100/<script>window.__pwned=1</script>';
const T0 = 1_700_000_000;
const SECONDS = 90;

const dir = mkdtempSync(join(tmpdir(), 'brood-html-resources-'));
const reports = { monitored: join(dir, 'monitored.html'), plain: join(dir, 'plain.html') };
let browser: Browser | null = null;

/** Two sources a second for SECONDS: a PID growing 2 MB/s (gone for 5 s) and a hostile-named URL. */
function resources(): ResourcesReport {
  const sources = ['pid 4242 (node)', HOSTILE_SOURCE];
  const samples: ResourceSample[] = [];
  for (let i = 1; i <= SECONDS; i++) {
    const gone = i > 40 && i <= 45;
    samples.push({
      timestamp: T0 + i, elapsedSec: i, userCount: 20, source: 0,
      rssBytes: gone ? null : (80 + 2 * i) * BYTES_PER_MB, cpuPercent: gone ? null : 40 + (i % 7) * 6,
      threads: gone ? null : 11, openFiles: gone ? null : 30 + (i % 3), metrics: [null], gap: gone ? 'process 4242 is gone' : null,
    });
    samples.push({
      timestamp: T0 + i, elapsedSec: i, userCount: 20, source: 1,
      rssBytes: 300 * BYTES_PER_MB, cpuPercent: 90, threads: null, openFiles: null, metrics: [i * 3], gap: null,
    });
  }
  const infos = [{ name: sources[0] ?? '', kind: 'pid' as const }, { name: HOSTILE_SOURCE, kind: 'url' as const }];
  return { summary: summarizeResources(infos, samples, ['queue_depth'], null), samples, sources, metricNames: ['queue_depth'] };
}

function input(withResources: boolean): HtmlReportInput {
  const aggregated = entry('', 'Aggregated', 900, 5);
  return {
    run: runInfo({ startWallMs: T0 * 1000, endWallMs: (T0 + SECONDS) * 1000, durationSecs: SECONDS }),
    entries: [entry('GET', '/items', 900, 5)],
    aggregated,
    failures: [],
    exceptions: [],
    metrics: [],
    targets: [],
    history: Array.from({ length: SECONDS }, (_, k) => historyPoint(T0 + k + 1, aggregated, { userCount: Math.min(20, k + 1), rps: 10 })),
    stages: [{ startSec: 0, label: 'step 1', users: 10 }, { startSec: 30, label: 'step 2', users: 20 }],
    resources: withResources ? resources() : null,
  };
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `chromium not installed: .ci/run installs it with apt-get install chromium (${CHROMIUM} is missing)`);
  writeFileSync(reports.monitored, renderHtmlReport(input(true)));
  writeFileSync(reports.plain, renderHtmlReport(input(false)));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

/** The report opened in Chromium; it must ask for nothing besides itself. */
async function open(path: string): Promise<OpenedReport> {
  const opened = await openReport(browser, path);
  const others = [...new Set(opened.requests)].filter((u) => u !== pathToFileURL(path).href);
  assert.deepEqual(others, [], `requests besides the report itself: ${others.join(', ')}`);
  return opened;
}

async function xTicks(page: Page, chart: string): Promise<string[]> {
  const ticks = page.locator(`${chart} text.xtick`);
  const out: string[] = [];
  for (let i = 0; i < (await ticks.count()); i++) out.push(`${await ticks.nth(i).getAttribute('x')}=${await ticks.nth(i).textContent()}`);
  return out;
}

test('the Server resources section shows its table and charts, under the CSP, offline, hostile names inert', async () => {
  const { page, problems } = await open(reports.monitored);
  const section = page.locator('section#resources');
  assert.equal(await section.isVisible(), true);
  assert.equal(await section.locator('h2').textContent(), 'Server resources');
  assert.equal(await page.locator('nav a[href="#resources"]').count(), 1);
  // Under the load charts.
  const order: string[] = [];
  for (const s of await page.locator('main > section').all()) order.push((await s.getAttribute('id')) ?? '');
  assert.equal(order.indexOf('resources'), order.indexOf('charts') + 1, order.join(' '));
  const rows = section.locator('tbody tr');
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(1).locator('td.name').textContent(), HOSTILE_SOURCE);
  const first = (await rows.nth(0).locator('td').allTextContents()).map((c) => c.trim());
  assert.equal(first[0], 'pid 4242 (node)');
  assert.deepEqual(first.slice(1, 3), ['90', '5']);
  const summary = resources().summary.sources[0];
  assert.equal(summary?.growth_verdict, 'leak');
  assert.equal(first[5], `leak: ${summary.growth_reason}`);
  assert.match(first[4] ?? '', /^\+120\.0 \(r² 1\.00\)$/);
  assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined', 'injected script ran');
  assert.equal(await page.locator('script').count(), 2, 'only brood\'s own scripts are in the DOM');
  // RSS, CPU, threads, open files, one metric: each drawn at a real size with real lines.
  const charts = section.locator('svg.chart');
  assert.equal(await charts.count(), 5);
  for (let i = 0; i < 5; i++) {
    const box = await charts.nth(i).boundingBox();
    assert.ok(box !== null && box.width > 300 && box.height > 100, `chart ${i}: ${JSON.stringify(box)}`);
    const lengths = await charts.nth(i).locator('path.line').evaluateAll((ps) => ps.map((p) => (p as unknown as { getTotalLength(): number }).getTotalLength()));
    assert.ok(lengths.length > 0 && lengths.every((l) => l > 20), `chart ${i} lines: ${lengths.join(', ')}`);
  }
  // The PID's RSS line breaks at its 5 s gap; its fit is dashed; the markers are the load charts'.
  const rss = charts.nth(0);
  assert.equal(((await rss.locator('path[data-series="pid 4242 (node)"]').getAttribute('d')) ?? '').split('M').length - 1, 2);
  assert.equal(await rss.locator('path[data-series="growth fit 1"]').getAttribute('stroke-dasharray'), '6 4');
  assert.equal(await rss.locator('line.marker').count(), 3, 'two stages and the end of the warm-up');
  assert.ok((await rss.locator('text.marker-label').allTextContents()).includes('warm-up endgrowth fitted after'));
  // The same time axis as the requests chart above.
  assert.deepEqual(await xTicks(page, '#resources svg.chart >> nth=0'), await xTicks(page, '#charts svg.chart >> nth=0'));
  assert.deepEqual(problems, []);
  const shot = join(dir, 'resources.png');
  await section.screenshot({ path: shot });
  process.stdout.write(`# resources section screenshot: ${shot}\n`);
  await page.close();
});

test('a report without a monitor has no Server resources section', async () => {
  const { page, problems } = await open(reports.plain);
  assert.equal(await page.locator('#resources').count(), 0);
  assert.equal(await page.locator('nav a[href="#resources"]').count(), 0);
  assert.equal(await page.getByText('Server resources').count(), 0);
  assert.equal(await page.locator('#charts svg.chart').count(), 3, 'the load charts are still there');
  assert.deepEqual(problems, []);
  await page.close();
});
