import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readCsvFile } from '../helpers/reliability.js';

let server: Server | null = null;
after(() => new Promise<void>((resolve) => {
  server?.closeAllConnections();
  server?.close(() => resolve());
}));

const SERVER_BODY = '=cmd|\' /C calc\'!A0 <script>alert(2)</script>\x1b]0;owned\x07\r\nsecond';

/** Answers 200 on /ok, and on /hostile a 500 with a crafted reason phrase and a hostile body. */
async function hostileTarget(): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/hostile')) {
      res.writeHead(500, '<script>alert(3)</script>', { 'content-type': 'text/plain' });
      res.end(SERVER_BODY);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const TEXT_COLUMNS = new Set(['Method', 'Name', 'Error', 'Message', 'Traceback', 'Type']);
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
// Terminal controls: C0 except LF, DEL, C1 (ESC, CR, BEL included).
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

test('hostile names, failure texts, server bodies and exceptions: CSV neutralised and quoted, HTML escaped, console clean', async () => {
  const host = await hostileTarget();
  const dir = mkdtempSync(join(tmpdir(), 'brood-hostile-'));
  const prefix = join(dir, 'run');
  const r = await runCli(['-f', 'test/fixtures/reliability/hostile-users.mjs', '-H', host, '-u', '2', '-r', '50', '-t', '3s', '--csv', prefix, '--csv-full-history', '--json', join(dir, 'r.json'), '--html', join(dir, 'r.html')]);
  assert.equal(r.code, 1, r.stderr);

  // CSV: every file parses back strictly (quoting right: commas, quotes, CR and LF stay inside cells)…
  const cells: string[] = [];
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.csv'))) {
    const { header, rows } = readCsvFile(join(dir, f));
    header.forEach((h, i) => {
      if (TEXT_COLUMNS.has(h)) for (const row of rows) cells.push(row[i] ?? '');
    });
  }
  // …no text cell starts with a formula character…
  for (const c of cells) assert.doesNotMatch(c, FORMULA_START, `neutralised: ${JSON.stringify(c)}`);
  // …and the hostile texts are there, prefixed with ' and otherwise intact.
  for (const expected of ["'=HYPERLINK(\"http://x\")", "'+cmd", "'@SUM(1)", "'-2+3", '<script>alert(1)</script>', 'multi\nline, "quoted"', "'@failing", "'+server"]) {
    assert.ok(cells.includes(expected), `a cell ${JSON.stringify(expected)}`);
  }
  assert.ok(cells.some((c) => c.startsWith("'=HYPERLINK(\"http://x\") <script>alert(1)</script>")), 'the catchResponse failure text');
  assert.ok(cells.some((c) => c.startsWith("'=cmd|' /C calc'!A0")), 'the server body used as a failure reason');
  assert.ok(cells.some((c) => c.startsWith("'-exception =HYPERLINK")), 'the exception message');

  // HTML: escaped, never raw.
  const html = readFileSync(join(dir, 'r.html'), 'utf8');
  assert.doesNotMatch(html, /<script>alert/i);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the hostile name is shown, escaped');

  // JSON: still valid, strings intact (JSON escaping is enough there).
  const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { failures: unknown[] };
  assert.ok(Array.isArray(json.failures));

  // Console and log: no control characters at all (the summary tables show the names and errors).
  assert.match(r.stdout, /HYPERLINK/);
  assert.doesNotMatch(r.stdout, CONTROL, `stdout has a control character: ${JSON.stringify(r.stdout.match(CONTROL)?.[0])}`);
  assert.doesNotMatch(r.stderr, CONTROL);
  assert.doesNotMatch(readFileSync(`${prefix}.log`, 'utf8'), CONTROL);
});
