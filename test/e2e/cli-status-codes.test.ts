/**
 * Responses per HTTP status code (issue 22: Vegeta's status_codes): each HTTP row of the JSON
 * report counts its responses by code, 0 for a request that got no response, the Aggregated row
 * all of them, exactly as many as the server answered, in one process or merged from workers; the
 * HTML report shows them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const dir = mkdtempSync(join(tmpdir(), 'brood-status-codes-'));
const servers: RecordingServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

interface JsonRow { method: string; name: string; num_requests: number; status_codes?: Record<string, number> }

for (const processes of ['1', '2']) {
  test(`status codes per row and in all, as the server answered (--processes ${processes})`, { timeout: 60_000 }, async () => {
    const srv = await startRecordingServer((req, res) => {
      res.writeHead(req.url === '/missing' ? 404 : req.url === '/boom' ? 500 : req.url === '/moved' ? 302 : 200, req.url === '/moved' ? { location: '/ok' } : {});
      res.end();
    });
    servers.push(srv);
    // Port 1 refuses: those requests get no response (status 0).
    const file = join(dir, `t${processes}.txt`);
    writeFileSync(file, [`GET ${srv.url}/ok`, `GET ${srv.url}/missing`, `GET ${srv.url}/boom`, 'GET http://127.0.0.1:1/gone', `GET ${srv.url}/moved`].join('\n\n'));
    const prefix = join(dir, `run${processes}`);
    const r = await runCli(['--targets', file, '--target-rate', '50', '-t', '2s', '--processes', processes, '--csv', prefix, '--only-summary'], { timeoutMs: 45_000 });
    // Nothing declared about failures (no targets, no --max-error-rate): failures fail the run, even
    // though the open model's own throughput check is met.
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as { stats: JsonRow[] };
    const row = (name: string): JsonRow => {
      const found = json.stats.find((s) => s.name === name);
      assert.ok(found, `${name} among ${json.stats.map((s) => s.name).join(' | ')}`);
      return found;
    };
    const served = (path: string): number => srv.requests.filter((q) => q.url === path).length;
    assert.deepEqual(row('/ok').status_codes, { '200': served('/ok') - served('/moved') });
    assert.deepEqual(row('/missing').status_codes, { '404': served('/missing') });
    assert.deepEqual(row('/boom').status_codes, { '500': served('/boom') });
    assert.deepEqual(row('/gone').status_codes, { '0': row('/gone').num_requests }, 'refused: no response, code 0');
    // A redirect followed is one request, counted by its final response (as Vegeta does).
    assert.deepEqual(row('/moved').status_codes, { '200': served('/moved') });
    const all = row('Aggregated').status_codes ?? {};
    assert.equal(Object.values(all).reduce((a, b) => a + b, 0), row('Aggregated').num_requests, 'every request has its code');
    assert.equal(all['404'], served('/missing'));
    const html = readFileSync(`${prefix}.html`, 'utf8');
    assert.match(html, /<h2>Responses by status code<\/h2>/);
    assert.match(html, new RegExp(`<td class="name">/gone</td><td>no response: ${row('/gone').num_requests}</td>`));
  });
}
