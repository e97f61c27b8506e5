/**
 * The HTML report in a real browser: reports written by real brood runs against a real local
 * server, opened from disk in headless Chromium (Debian's package, driven by playwright-core).
 * Checks what a unit test cannot: the page makes no request of any kind, its scripts run under
 * its own CSP without errors, injected markup does not execute, and the charts and controls work.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readJsonRun } from '../../analyze/json-run-reader.js';
import { runCli } from '../helpers/cli.js';
import { openReport, type OpenedReport } from '../helpers/report-page.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const CHROMIUM = '/usr/bin/chromium';
const FIXTURE = 'test/fixtures/report/browser-report.mjs';
const HOSTILE_NAME = '/search?q=<script>window.__pwned=1</script>';

const dir = mkdtempSync(join(tmpdir(), 'brood-html-browser-'));
let target: TargetServer | null = null;
let browser: Browser | null = null;
const reports = { plain: join(dir, 'plain.html'), step: join(dir, 'step.html') };

before(async () => {
  // Never skip silently: a CI machine without Chromium must say why the test cannot run.
  assert.ok(existsSync(CHROMIUM), `chromium not installed: .ci/run installs it with apt-get install chromium (${CHROMIUM} is missing)`);
  const server = await startTargetServer({
    status: (req) => (req.url === '/fail' ? 500 : 200),
    delayMs: (req) => (req.url?.startsWith('/item') ? 2 + Math.round(Math.random() * 8) : 1),
  });
  target = server;
  const common = ['-f', FIXTURE, '-H', server.url, '--seed', '7', '--headless', '--only-summary'];
  const [plain, step] = await Promise.all([
    runCli([...common, '-u', '5', '-r', '50', '-t', '5s', '--html', reports.plain, '--csv', join(dir, 'plain')]),
    // Failures above 5% from the start: the step shape finds its breaking point within seconds.
    runCli([...common, '--shape', 'step', '--step-users', '2', '--step-time', '2s', '-u', '6', '-t', '8s', '--html', reports.step, '--csv', join(dir, 'step')]),
  ]);
  for (const [name, r] of Object.entries({ plain, step })) {
    assert.ok(existsSync(reports[name as keyof typeof reports]), `${name} report written; exit ${r.code}; stderr: ${r.stderr}`);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await target?.close();
});

type Opened = OpenedReport;

function open(path: string): Promise<Opened> {
  return openReport(browser, path);
}

function onlyTheDocument(requests: readonly string[], path: string): void {
  const self = pathToFileURL(path).href;
  const others = [...new Set(requests)].filter((u) => u !== self);
  assert.deepEqual(others, [], `requests besides the report itself: ${others.join(', ')}`);
  assert.ok(requests.includes(self), 'the request listeners saw the document itself (they work)');
}

/** Points per drawn line: counts the path's coordinates pairs, plus its rendered length. */
async function drawnLines(page: Page, scope: string): Promise<Array<{ series: string; points: number; length: number; width: number }>> {
  const lines = page.locator(`${scope} path.line`);
  const out: Array<{ series: string; points: number; length: number; width: number }> = [];
  for (let i = 0; i < (await lines.count()); i++) {
    const line = lines.nth(i);
    const d = (await line.getAttribute('d')) ?? '';
    const box = await line.boundingBox();
    const length = await line.evaluate((p: { getTotalLength(): number }) => p.getTotalLength());
    out.push({ series: (await line.getAttribute('data-series')) ?? '', points: (d.match(/-?\d+(\.\d+)?/g)?.length ?? 0) / 2, length, width: box?.width ?? 0 });
  }
  return out;
}

async function visiblePanel(page: Page): Promise<string> {
  const panels = page.locator('.endpoint-panel:visible');
  assert.equal(await panels.count(), 1, 'exactly one endpoint panel is shown');
  return (await panels.getAttribute('data-endpoint')) ?? '';
}

test('a real run\'s report opens offline: no request, no error, injected markup inert', async () => {
  const { page, problems, requests } = await open(reports.plain);
  assert.deepEqual(problems, []);
  onlyTheDocument(requests, reports.plain);
  assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined', 'injected script ran');
  // The hostile strings are there, as text.
  assert.ok((await page.locator('#stats td.name', { hasText: HOSTILE_NAME }).count()) === 1);
  assert.ok((await page.locator('#failures', { hasText: 'bad result <script>window.__pwned=1</script>' }).count()) === 1);
  assert.equal(await page.locator('script').count(), 2, 'only brood\'s own scripts are in the DOM');
  await page.close();
});

test('charts are drawn with data, the endpoint selector switches charts, tables sort, tracebacks expand', async () => {
  const { page, problems } = await open(reports.plain);
  const overview = await drawnLines(page, '#charts');
  assert.deepEqual(overview.map((l) => l.series), ['requests/s', 'failures/s', 'p50', 'p95', 'p99', 'users']);
  for (const l of overview) {
    assert.ok(l.points >= 3, `${l.series}: ${l.points} points`);
    assert.ok(l.width > 300 && l.length > 300, `${l.series} spans the chart: width ${l.width}, length ${l.length}`);
  }
  // Endpoint selector: the first endpoint shows; choosing the hostile one shows its charts instead.
  const first = await visiblePanel(page);
  const options = await page.locator('#endpoint-select option').allTextContents();
  assert.ok(options.length >= 5, options.join(' | '));
  await page.selectOption('#endpoint-select', { label: `GET ${HOSTILE_NAME}` });
  const chosen = await visiblePanel(page);
  assert.notEqual(chosen, first);
  assert.equal(await page.locator('.endpoint-panel:visible h3').textContent(), `GET ${HOSTILE_NAME}`);
  const endpointLines = await drawnLines(page, '.endpoint-panel:visible');
  assert.equal(endpointLines.length, 5);
  assert.ok(endpointLines.every((l) => l.points >= 3 && l.width > 300), JSON.stringify(endpointLines));
  // A click on a name in the statistics table selects that endpoint's charts.
  await page.locator('#stats a.endpoint-link', { hasText: '/list' }).click();
  assert.equal(await page.locator('#endpoint-select option:checked').textContent(), 'GET /list');
  assert.equal(await visiblePanel(page), await page.locator('#endpoint-select').inputValue());
  // Sorting: "# reqs" ascending, then descending.
  const counts = async (): Promise<number[]> => (await page.locator('#stats tbody tr td:nth-child(3)').allTextContents()).map(Number);
  await page.locator('#stats th', { hasText: '# reqs' }).click();
  const asc = await counts();
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
  await page.locator('#stats th', { hasText: '# reqs' }).click();
  const desc = await counts();
  assert.deepEqual(desc, [...asc].sort((a, b) => b - a));
  assert.notDeepEqual(asc, desc, 'the counts differ, so the order changed');
  // Tracebacks are collapsed until asked for.
  const traceback = page.locator('#exceptions pre').first();
  assert.equal(await traceback.isVisible(), false);
  await page.locator('#exceptions summary').first().click();
  assert.equal(await traceback.isVisible(), true);
  assert.match((await traceback.textContent()) ?? '', /synthetic exception <img src=x/);
  assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
  assert.deepEqual(problems, []);
  const shot = join(dir, 'report.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(readFileSync(shot).length > 10_000, 'a non-trivial screenshot');
  process.stdout.write(`# report screenshot: ${shot}\n`);
  await page.close();
});

test('a step run\'s report marks the stages on the charts and calls out the breaking point', async () => {
  const { page, problems, requests } = await open(reports.step);
  assert.deepEqual(problems, []);
  onlyTheDocument(requests, reports.step);
  const callout = (await page.locator('#breaking-point').textContent()) ?? '';
  assert.match(callout, /^Breaking point found\.\s*step \d+ at \d+ users \(failures [\d.]+% > 5%\)$/);
  // The JSON says the same in its own field, beside the stop reason.
  const json = JSON.parse(readFileSync(join(dir, 'step.json'), 'utf8')) as { run: { stop_reason: string; breaking_point: string | null } };
  assert.equal(json.run.stop_reason, `breaking point: ${json.run.breaking_point ?? '(none)'}`);
  assert.equal(callout.replace(/^Breaking point found\.\s*/, ''), json.run.breaking_point);
  // The analyzer reads it back, and finds it in the stop reason of a file written before the field existed.
  assert.equal(readJsonRun(join(dir, 'step.json')).meta.breakingPoint, json.run.breaking_point);
  const old = JSON.parse(readFileSync(join(dir, 'step.json'), 'utf8')) as { run: Record<string, unknown> };
  delete old.run['breaking_point'];
  writeFileSync(join(dir, 'step-old.json'), JSON.stringify(old));
  assert.equal(readJsonRun(join(dir, 'step-old.json')).meta.breakingPoint, json.run.breaking_point);
  const markers = page.locator('#charts svg.chart').first().locator('line.marker');
  assert.ok((await markers.count()) >= 2, 'stage markers on the requests chart');
  assert.match((await page.locator('#charts .marker-label').first().textContent()) ?? '', /^step 1/);
  const shot = join(dir, 'step-report.png');
  await page.locator('#charts').screenshot({ path: shot });
  process.stdout.write(`# step report charts screenshot: ${shot}\n`);
  await page.close();
});
