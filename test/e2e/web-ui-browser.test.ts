/**
 * The live web UI in a real browser (Debian's Chromium, driven by playwright-core), against a real
 * `run-load-tests --web-ui` and a real target: start from the form, watch the table and charts
 * move, raise the user count and see it reached, stop, download a CSV, start a second run. No
 * console error or CSP violation, no request to any other origin, injected markup inert; a
 * screenshot is kept in test-artifacts/ (CI keeps what a failing run looked like).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';
import { startWebUi, type WebUiProcess } from '../helpers/web-ui.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const dir = mkdtempSync(join(tmpdir(), 'brood-web-browser-'));
let target: TargetServer;
let ui: WebUiProcess;
let browser: Browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `chromium not installed: .ci/run installs it with apt-get install chromium (${CHROMIUM} is missing)`);
  target = await startTargetServer({ status: (req) => (req.url === '/fail' ? 500 : 200), delayMs: () => 1 });
  ui = await startWebUi(['-f', 'test/fixtures/web/web-users.mjs', '-H', target.url, '-u', '3', '-r', '30', '--csv', join(dir, 'b')]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
});

after(async () => {
  await browser?.close();
  await ui?.stop();
  await target?.close();
});

interface Watched {
  page: Page;
  problems: string[];
  foreign: string[];
}

async function openPage(width: number, height: number): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  context.on('request', (r) => {
    if (new URL(r.url()).origin !== ui.origin) foreign.push(r.url());
  });
  await page.goto(ui.url, { waitUntil: 'load' });
  return { page, problems, foreign };
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

/** Polls the element's text from here (the page's CSP forbids the string eval waitForFunction uses). */
async function waitText(page: Page, selector: string, pattern: RegExp, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = (await page.locator(selector).first().textContent({ timeout: 1000 }).catch(() => '')) ?? '';
    if (pattern.test(last.trim())) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`${selector} never matched ${pattern} (last: "${last.trim()}")`);
}

/** The Aggregated row's "# Requests" cell, as a number. */
async function aggregatedRequests(page: Page): Promise<number> {
  const cells = page.locator('#stats-table tbody tr[data-name="Aggregated"] td');
  return Number((await cells.nth(2).textContent())?.replace(/[^\d]/g, '') ?? 'NaN');
}

/** How many pixels of a canvas are drawn on (not transparent). */
async function inkedPixels(page: Page, selector: string): Promise<number> {
  return page.evaluate(`(() => {
    const c = document.querySelector(${JSON.stringify(selector)});
    if (!c || c.width === 0 || c.height === 0) return 0;
    // Read a copy (made for reading), not the page's canvas: no readback warning on the page's own.
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(c, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  })()`);
}

test('start, watch, steer, stop, download and start again, all from the page', { timeout: 120_000 }, async () => {
  const { page, problems, foreign } = await openPage(1280, 900);
  await waitText(page, '#state', /^ready$/);
  assert.equal(await page.locator('#user_count').inputValue(), '3', 'the form is filled from the command line');
  assert.equal(await page.locator('input[name="user_classes"]').count(), 2);

  await page.locator('#user_count').fill('4');
  await page.locator('#spawn_rate').fill('40');
  await page.locator('#start-button').click();
  await waitText(page, '#state', /^running$/);
  await waitText(page, '#user-count', /^4$/);
  await page.waitForSelector('#stats-table tbody tr[data-name="Aggregated"]');
  const first = await aggregatedRequests(page);
  await page.waitForTimeout(2200);
  const later = await aggregatedRequests(page);
  assert.ok(later > first && first >= 0, `the table updates live: ${first} then ${later}`);
  // The hostile endpoint name is in the table, as text; its markup never ran.
  assert.equal(await page.locator('#stats-table tbody tr td', { hasText: '<img src=x onerror=window.__pwned=1>' }).count() > 0, true);
  assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');

  // Sorting by "# Requests", largest first: the Aggregated row stays last.
  const requestsHeader = page.locator('#stats-table thead th').nth(2).locator('button');
  await requestsHeader.click();
  await requestsHeader.click();
  const counts = await page.locator('#stats-table tbody tr').evaluateAll((rows: Array<{ getAttribute(name: string): string | null; children: ArrayLike<{ textContent: string | null }> }>) => rows.map((r) => [r.getAttribute('data-name'), Number((r.children[2]?.textContent ?? '').replace(/[^\d]/g, ''))] as const));
  assert.equal(counts.at(-1)?.[0], 'Aggregated');
  const body = counts.slice(0, -1).map(([, n]) => n);
  assert.deepEqual(body, [...body].sort((a, b) => b - a), `sorted by # Requests, descending: ${JSON.stringify(counts)}`);

  await page.locator('[data-tab="charts"]').click();
  await page.waitForTimeout(1500);
  for (const chart of ['#chart-rps', '#chart-latency', '#chart-users']) assert.ok((await inkedPixels(page, chart)) > 500, `${chart} is drawn`);
  await page.locator('#chart-endpoint').selectOption('GET /items/[id]');
  await page.waitForTimeout(300);
  assert.ok((await inkedPixels(page, '#chart-latency')) > 500, 'one endpoint\'s latency chart is drawn');
  await page.locator('#chart-endpoint').selectOption('');

  // The other tabs, each with this run's own figures, all text.
  await page.locator('[data-tab="failures"]').click();
  assert.ok((await page.locator('#failures-table tbody tr', { hasText: '/fail' }).count()) === 1, 'the failing endpoint in Failures');
  await page.locator('[data-tab="exceptions"]').click();
  assert.ok((await page.locator('#exceptions-table', { hasText: 'synthetic <b>task</b> exception' }).count()) === 1, 'the exception, its markup as text');
  assert.equal(await page.locator('#exceptions-table b').count(), 0);
  await page.locator('[data-tab="metrics"]').click();
  assert.ok((await page.locator('#metrics-table tbody tr', { hasText: 'items_seen' }).count()) === 1, 'the custom metric');
  await page.locator('[data-tab="ratio"]').click();
  assert.match(await text(page, '#ratio'), /Reader[\s\S]*read[\s\S]*Writer[\s\S]*Browse/);
  await page.locator('[data-tab="logs"]').click();
  assert.match(await text(page, '#log'), /Ramping to 4 users/);
  assert.match(await text(page, '#targets'), /P95 latency/);

  await page.locator('[data-tab="stats"]').click();
  await page.locator('#edit_user_count').fill('7');
  await page.locator('#edit_spawn_rate').fill('50');
  await page.locator('#edit-button').click();
  await waitText(page, '#user-count', /^7$/);
  await waitText(page, '#state', /^running$/);

  await page.locator('#stop-button').click();
  await waitText(page, '#state', /^stopped$/);
  const report = page.locator('#report-link');
  await report.first().waitFor({ state: 'visible' });
  assert.match((await report.first().getAttribute('href')) ?? '', /^stats\/report/);
  assert.ok(existsSync(join(dir, 'b.html')), 'the run wrote its report when it stopped');

  await page.locator('[data-tab="downloads"]').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#downloads a', { hasText: /Statistics \(CSV\)/ }).first().click()]);
  const csv = readFileSync((await download.path()) ?? '', 'utf8');
  assert.match(csv, /^Type,Name,Request Count,Failure Count,Median Response Time/);
  assert.match(csv, /\n,Aggregated,\d+,/);

  // A second run from the same page, ended by its run time.
  await page.locator('#new-run-button').click().catch(() => undefined);
  await page.locator('#user_count').fill('2');
  await page.locator('#run_time').fill('2s');
  await page.locator('#start-button').click();
  await waitText(page, '#state', /^(spawning|running)$/);
  await waitText(page, '#state', /^stopped$/, 20_000);
  assert.ok(existsSync(join(dir, 'b_run2.html')), 'the second run wrote its own files');

  mkdirSync(ARTIFACTS, { recursive: true });
  const shot = join(ARTIFACTS, 'web-ui.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(readFileSync(shot).length > 10_000, 'a non-trivial screenshot');
  process.stdout.write(`# web UI screenshot: ${shot}\n`);
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, [], 'no request to any other host');
});

test('a narrow window (360 px) shows the state, the controls and the table without overflowing the page', { timeout: 30_000 }, async () => {
  const { page, problems, foreign } = await openPage(360, 800);
  await page.waitForSelector('#state');
  assert.match(await text(page, '#state'), /^(ready|stopped|running|spawning)$/);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  assert.ok(overflow <= 1, `the page itself does not scroll sideways (${overflow} px)`);
  const controls = (await page.locator('#start-button').isVisible()) || (await page.locator('#stop-button').isVisible());
  assert.ok(controls, 'the run\'s controls are on screen');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'web-ui-narrow.png'), fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
});
