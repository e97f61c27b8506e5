/**
 * `analyze-results RUN.json --format vegeta` (issue 22) on a real run: a Vegeta targets file sent at
 * --target-rate to a real node:http server answering 200, 404 and 20 ms late, then Vegeta's JSON
 * report checked against what the server itself saw (requests, status codes, body bytes both ways)
 * and against the run's own JSON (min, max, mean); the jq-style check of the issue; and the text
 * report's lines.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { startRecordingServer } from '../helpers/recording-server.js';

const ANALYZE = join(REPO_ROOT, 'bin', 'analyze-results.js');
const dir = mkdtempSync(join(tmpdir(), 'brood-analyze-vegeta-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface VegetaReport {
  latencies: Record<'total' | 'mean' | '50th' | '90th' | '95th' | '99th' | 'max' | 'min', number>;
  bytes_in: { total: number; mean: number };
  bytes_out: { total: number; mean: number };
  earliest: string;
  latest: string;
  end: string;
  duration: number;
  wait: number;
  requests: number;
  rate: number;
  throughput: number;
  success: number;
  status_codes: Record<string, number>;
  errors: string[];
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

test('--format vegeta on a real run matches what the server saw; --format vegeta-text prints Vegeta\'s lines', { timeout: 90_000 }, async () => {
  const answered = new Map<number, number>();
  let bytesSent = 0;
  const srv = await startRecordingServer((req, res) => {
    const reply = (status: number, body: string): void => {
      answered.set(status, (answered.get(status) ?? 0) + 1);
      bytesSent += Buffer.byteLength(body);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    };
    if (req.url === '/missing') reply(404, 'not found');
    else if (req.url === '/slow') setTimeout(() => reply(200, 'slow answer'), 20);
    else reply(200, '{"ok":true}');
  });
  try {
    writeFileSync(join(dir, 'body.json'), '{"text":"Alice met Bob"}');
    const targets = join(dir, 'targets.txt');
    writeFileSync(targets, [`GET ${srv.url}/ok`, '', `POST ${srv.url}/ok`, 'Content-Type: application/json', '@body.json', '', `GET ${srv.url}/missing`, '', `GET ${srv.url}/slow`, ''].join('\n'));
    const prefix = join(dir, 'run');
    const load = await runCli(['--targets', targets, '--target-rate', '40', '-t', '2s', '--csv', prefix, '--only-summary'], { timeoutMs: 60_000 });
    assert.ok(load.code === 0 || load.code === 1, load.stderr + load.stdout);

    const r = await runCli([`${prefix}.json`, '--format', 'vegeta'], { bin: ANALYZE });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').length, 2, 'one JSON line');
    const v = JSON.parse(r.stdout) as VegetaReport;
    assert.ok(v.latencies['99th'] < 5e8, 'jq \'.latencies."99th" < 500000000\'');

    // What the server saw.
    const received = srv.requests;
    assert.ok(received.length >= 70, `40/s for 2 s: ${received.length}`);
    assert.equal(v.requests, received.length);
    assert.deepEqual(v.status_codes, Object.fromEntries([...answered].map(([code, n]) => [String(code), n])));
    assert.equal(v.bytes_out.total, received.reduce((sum, q) => sum + q.body.length, 0));
    assert.ok(v.bytes_out.total > 0, 'the POST bodies');
    assert.equal(v.bytes_in.total, bytesSent);
    assert.equal(v.success, (answered.get(200) ?? 0) / received.length, 'success: the 2xx share');
    assert.deepEqual(v.errors, ['HTTP 404']);

    // The run's own numbers, in ns.
    const run = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as { run: { start_wall_ms: number; end_wall_ms: number }; snapshot: { aggregated: { minResponseTimeMs: number; maxResponseTimeMs: number; totalResponseTimeMs: number } } };
    const agg = run.snapshot.aggregated;
    assert.equal(v.latencies.min, Math.round(agg.minResponseTimeMs * 1e6));
    assert.equal(v.latencies.max, Math.round(agg.maxResponseTimeMs * 1e6));
    assert.equal(v.latencies.total, Math.round(agg.totalResponseTimeMs * 1e6));
    assert.equal(v.latencies.mean, Math.trunc(v.latencies.total / v.requests));
    assert.ok(v.latencies['99th'] >= 20e6, `a quarter of the requests waited 20 ms: 99th ${v.latencies['99th']} ns`);
    assert.ok(v.latencies.min <= v.latencies['50th'] && v.latencies['50th'] <= v.latencies['90th'] && v.latencies['99th'] <= v.latencies.max);

    // Times: RFC 3339, in order, within the run; send times are whole ms of a 1 ms clock (±1 ms).
    for (const t of [v.earliest, v.latest, v.end]) assert.match(t, RFC3339);
    const [earliest, latest, end] = [v.earliest, v.latest, v.end].map((t) => Date.parse(t)) as [number, number, number];
    assert.ok(run.run.start_wall_ms - 1 <= earliest && earliest <= latest && latest <= end && end <= run.run.end_wall_ms, `${run.run.start_wall_ms} ≤ ${earliest} ≤ ${latest} ≤ ${end} ≤ ${run.run.end_wall_ms}`);
    assert.equal(v.duration, (latest - earliest) * 1e6);
    assert.equal(v.wait, (end - latest) * 1e6);
    assert.ok(Math.abs(v.rate - v.requests / (v.duration / 1e9)) < 1e-9, `rate ${v.rate}`);
    assert.ok(v.rate > 35 && v.rate < 46, `about the --target-rate: ${v.rate}`);

    const text = await runCli([`${prefix}.json`, '--format', 'vegeta-text'], { bin: ANALYZE });
    assert.equal(text.code, 0, text.stderr);
    const labels = text.stdout.split('\n').map((l) => /^(Requests|Duration|Latencies|Bytes In|Bytes Out|Success|Status Codes|Error Set:)/.exec(l)?.[1]);
    assert.deepEqual(labels.slice(0, 8), ['Requests', 'Duration', 'Latencies', 'Bytes In', 'Bytes Out', 'Success', 'Status Codes', 'Error Set:']);
    assert.match(text.stdout, new RegExp(`^Requests {6}\\[total, rate, throughput\\] {9}${v.requests}, \\d+\\.\\d\\d, \\d+\\.\\d\\d$`, 'm'));
    assert.match(text.stdout, new RegExp(`^Status Codes {2}\\[code:count\\] {22}200:${answered.get(200)} {2}404:${answered.get(404)} {2}$`, 'm'));
    assert.match(text.stdout, /^Error Set:\nHTTP 404\n$/m);
  } finally {
    await srv.close();
  }
});
