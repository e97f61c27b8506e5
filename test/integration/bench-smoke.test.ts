import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The benchmarks still run (tiny sizes, a few seconds each) and print their ratio line. Never a
 * gate on the figures themselves: those depend on the machine (bench/RESULTS.md has the real runs).
 */
function runBench(script: string, args: readonly string[]): Promise<{ code: number | null; out: string }> {
  const file = fileURLToPath(new URL(`../../bench/${script}`, import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

test('bench/throughput runs the three generators and prints the ratios', { timeout: 60_000 }, async () => {
  const r = await runBench('throughput.js', ['--duration', '2', '--rounds', '1', '--connections', '4', '--undici-floor']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /ratio brood\/autocannon req\/s: /);
  assert.match(r.out, /round 1 undici .* 0 failures/);
  assert.match(r.out, /brood\/undici req\/s \d/);
});

test('bench/throughput --together runs the generators at once over one shared span and prints their ratios', { timeout: 90_000 }, async () => {
  // 8 s: the shared span needs the tools to start within 0.4 x the duration of each other (brood's start-up on a shared core).
  const r = await runBench('throughput.js', ['--duration', '8', '--rounds', '1', '--connections', '4', '--undici-floor', '--together']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /rounds all tools at once/);
  assert.match(r.out, /brood\/autocannon requests per CPU-second, same seconds on one core: per round \d\.\d{3}; median \d/);
  assert.match(r.out, /brood\/undici requests per CPU-second: median \d/);
});

test('bench/side-by-side runs two builds at once and prints their CPU-per-request ratio', { timeout: 60_000 }, async () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const r = await runBench('side-by-side.js', ['--a', root, '--duration', '2', '--rounds', '1', '--users', '3']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /B\/A CPU per request: median \d/);
});

test('bench/undici-handoff runs its two pairs of bare undici loops and prints their ratios', { timeout: 60_000 }, async () => {
  const r = await runBench('undici-handoff.js', ['--duration', '2', '--rounds', '1', '--connections', '3']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /microtask\/inside CPU per request: median \d/);
  assert.match(r.out, /awaited\/microtask CPU per request: median \d/);
});

test('bench/cookie-cost runs brood with and without a session cookie and prints the ratio', { timeout: 60_000 }, async () => {
  const r = await runBench('cookie-cost.js', ['--duration', '2', '--rounds', '1', '--connections', '4']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /ratio with\/without cookie CPU per request: /);
});

test('bench/cookie-jar compares the session jar with bare tough-cookie and prints the ratio', { timeout: 60_000 }, async () => {
  const r = await runBench('cookie-jar.js', ['--rounds', '1', '--calls', '5000']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /ratio \d/);
});

test('bench/memory-per-user runs brood and the undici floor and prints the ratio', { timeout: 90_000 }, async () => {
  const r = await runBench('memory-per-user.js', ['--low', '10', '--high', '60', '--spawn-rate', '1000', '--settle', '1', '--no-socket-users', '500']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /ratio brood\/floor: /);
  assert.match(r.out, /undici Clients with undici's defaults: /);
});

test('bench/spawn ramps users and prints the latency ratio', { timeout: 60_000 }, async () => {
  const r = await runBench('spawn.js', ['--users', '100', '--spawn-rate', '100', '--steady', '2', '--pin', 'all']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /ratio first-request p50 \/ steady p50: /);
});

test('bench/startup times --help and the first request against bare-node peers and prints ratios', { timeout: 60_000 }, async () => {
  const r = await runBench('startup.js', ['--rounds', '1']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /--help: +brood \d+ ms vs bare node \d+ ms \(ratio [\d.]+\)/);
  assert.match(r.out, /first request: +brood \d+ ms vs bare undici script \d+ ms \(ratio [\d.]+\)/);
});

test('bench/processes compares 1 and 2 worker threads with exact counts and prints the ratio', { timeout: 60_000 }, async () => {
  const r = await runBench('processes.js', ['--duration', '2', '--rounds', '1', '--users', '4']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /ratio 2\/1 [\d.]+/);
});

test('bench/processes --model open compares 1 and 2 worker threads for the open model and prints the coordinator cost', { timeout: 60_000 }, async () => {
  const r = await runBench('processes.js', ['--duration', '2', '--rounds', '1', '--model', 'open', '--rate', '300']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /--processes 2: \d+ req\/s \(\d+ requests, counts exact\); \d+ arrivals, \d+ dropped/);
  assert.match(r.out, /main thread [\d.]+ µs per arrival with --processes 2/);
  assert.match(r.out, /ratio 2\/1 [\d.]+/);
});

test('bench/open-start compares a steep open-model start without and with --pre-allocated-users', { timeout: 60_000 }, async () => {
  const r = await runBench('open-start.js', ['--duration', '2', '--rounds', '1', '--rate', '300', '--pre-allocated', '20', '--delay-ms', '20']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /round 1 --pre-allocated-users 20: \d+ arrivals, \d+ dropped .*pool \d+; P99 first second [\d.]+ ms/);
  assert.match(r.out, /without pre-allocation \d+ dropped, connections \d+, first-second P99 [\d.]+ ms \/ steady P99 [\d.]+ ms = [\d.]+; with --pre-allocated-users 20: \d+ dropped/);
});

test('bench/wake-queue runs both timer strategies and prints the ratio', { timeout: 60_000 }, async () => {
  const r = await runBench('wake-queue.js', ['--sleepers', '200', '--seconds', '1', '--rounds', '1']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /ratio setTimeout\/queue CPU per wake: \d/);
});

test('bench/distributed compares master + 2 workers with a local --processes 2 run (exact counts) and prints the merge cost', { timeout: 90_000 }, async () => {
  const r = await runBench('distributed.js', ['--duration', '2', '--rounds', '1', '--users', '4', '--merge-secs', '2', '--workers', '5', '--endpoints', '5']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /ratio distributed\/local \d/);
  assert.match(r.out, /master CPU [\d.]+ % of one core .* merge lag p50 \d+ ms/);
});

test('bench/web-ui runs brood headless and with the web UI and a browser on the page and prints the ratio', { timeout: 90_000 }, async () => {
  // Never skip silently: without Chromium the UI side cannot be measured.
  assert.ok(existsSync('/usr/bin/chromium'), 'chromium not installed: .ci/run installs it with apt-get install chromium (/usr/bin/chromium is missing)');
  const r = await runBench('web-ui.js', ['--duration', '3', '--rounds', '1', '--users', '5']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /round 1 headless +\d+ req\/s \(brood's count, .*\); whole run \d+ req\/s \(\d+ requests in [\d.]+ s, counts exact\)/);
  assert.match(r.out, /round 1 web UI +\d+ req\/s .*; page: shown \d+ ms after the URL, [1-9]\d* live updates, Statistics then Charts/);
  assert.match(r.out, /ratio web UI \/ headless: [\d.]+/);
});

test('bench/ws compares WebSocketUser round trips and idle memory with bare ws clients and prints both ratios', { timeout: 90_000 }, async () => {
  const r = await runBench('ws.js', ['--duration', '2', '--rounds', '1', '--connections', '4', '--low', '10', '--high', '60', '--spawn-rate', '1000', '--settle', '1', '--memory-rounds', '1']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /round 1 brood +\d+ round trips\/s/);
  assert.match(r.out, /ws round trips brood \/ bare ws: [\d.]+/);
  assert.match(r.out, /ws memory per idle connection brood \/ bare ws: -?[\d.]+/);
});

test('bench/grpc compares GrpcUser unary calls with a bare grpc-js loop and prints the ratio', { timeout: 60_000 }, async () => {
  const r = await runBench('grpc.js', ['--duration', '2', '--rounds', '1', '--connections', '4']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /round 1 bare grpc-js +\d+ calls\/s .*0 failures\)/);
  assert.match(r.out, /grpc unary brood \/ bare grpc-js: [\d.]+/);
});
