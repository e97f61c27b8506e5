/**
 * Opens a self-contained HTML report from disk in a real Chromium page, recording every request
 * the page makes (Playwright's view and the DevTools protocol's, which also sees requests
 * Playwright would not route) and every console error, page error and CSP violation.
 */
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export interface OpenedReport {
  page: Page;
  problems: string[];
  requests: string[];
}

export async function openReport(browser: Browser | null, path: string): Promise<OpenedReport> {
  assert.ok(browser, 'browser launched');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    // A CSP violation (a script or resource the policy blocked) is logged as an error too.
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  context.on('request', (r) => requests.push(r.url()));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e: { request: { url: string } }) => requests.push(e.request.url));
  // Chromium logs a blocked script or resource as a console error; this says which rule did it.
  await page.addInitScript("document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective))");
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  await page.waitForTimeout(300); // anything lazy (fonts, images, prefetch) would have started by now
  return { page, problems, requests };
}
