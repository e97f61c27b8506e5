import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHooks } from '../../../../src/core/hooks.js';
import { StatsRegistry } from '../../../../src/stats/registry.js';
import { buildRunEnvironment } from '../../../../src/runner/thread/run-environment.js';
import { runStatsView } from '../../../../src/runner/closed/run-stats-view.js';
import { noMessages, STATE_INIT, STATE_RUNNING, STATE_SPAWNING, type RunnerState } from '../../../../src/core/runner-view.js';

const RUNNER = { quit: () => {}, userCount: () => 0, state: (): RunnerState => STATE_RUNNING, workerIndex: 0, ...noMessages('this test') };

/** A registry whose clock reads `at.now`; 10 s after its start by default. */
function registry(): { stats: StatsRegistry; at: { now: number } } {
  const at = { now: 1_000_000 };
  const stats = new StatsRegistry(() => at.now);
  stats.startAt(1_000_000);
  at.now = 1_010_000;
  return { stats, at };
}

test('environment.stats reads Locust\'s StatsEntry fields (and camelCase) from the live registry, as the reports compute them', () => {
  const { stats } = registry();
  for (let i = 1; i <= 100; i++) stats.recordSuccess('GET', '/a', i, 10, 200);
  stats.recordFailure('POST', '/b', 1000, 0, 'HTTP 500', 500);
  const view = runStatsView(stats);
  const total = view.total;
  assert.equal(total.num_requests, 101);
  assert.equal(total.numRequests, 101);
  assert.equal(total.num_failures, 1);
  assert.equal(total.fail_ratio, 1 / 101);
  assert.equal(total.failRatio, 1 / 101);
  assert.equal(total.avg_response_time, (5050 + 1000) / 101);
  assert.equal(total.max_response_time, 1000);
  assert.equal(total.min_response_time, 1);
  assert.equal(total.name, 'Aggregated');
  // Locust's total rate: requests over the run's start to its last request (10 s here).
  assert.equal(total.total_rps, 101 / 10);
  const a = view.get('/a', 'GET');
  assert.equal(a.num_requests, 100);
  assert.equal(a.fail_ratio, 0);
  assert.ok(Math.abs(a.get_response_time_percentile(0.95) - 95) <= 0.1, String(a.get_response_time_percentile(0.95)));
  assert.equal(a.getResponseTimePercentile(1), 100, '1 is the exact max');
  assert.ok(Math.abs(a.median_response_time - 50) <= 0.1);
  assert.equal(a.total_rps, 100 / 10, 'a row divides by the whole run\'s window, as the CSV');
  assert.equal(view.num_requests, 101);
  // A row with no requests (yet) reads as zeros, as Locust's stats.get() does.
  const none = view.get('/never', 'GET');
  assert.deepEqual([none.num_requests, none.fail_ratio, none.avg_response_time, none.get_response_time_percentile(0.99)], [0, 0, 0, 0]);
  // Read when asked: the view follows the registry.
  stats.recordSuccess('GET', '/a', 1, 10, 200);
  assert.equal(a.num_requests, 101);
});

test("environment.stats.entries and .errors are Locust's dicts as a port iterates them: rows by 'GET /a', values(), keys(), items() with (name, method); a key they have not got throws", () => {
  const { stats } = registry();
  const view = runStatsView(stats);
  assert.deepEqual([view.entries.values(), view.errors.items()], [[], []]);
  assert.throws(() => view.entries['GET /a'], /^TypeError: environment\.stats\.entries has no "GET \/a" \(it has: no rows yet; and values\(\), keys\(\), items\(\)\)$/);
  stats.recordSuccess('GET', '/b', 10, 1, 200);
  stats.recordSuccess('GET', '/a', 10, 1, 200);
  stats.recordFailure('POST', '/a', 30, 0, 'HTTP 500', 500);
  stats.recordFailure('POST', '/a', 50, 0, 'HTTP 500', 500);
  const entries = view.entries;
  assert.deepEqual(entries.keys(), ['GET /a', 'POST /a', 'GET /b']);
  assert.deepEqual(Object.keys(entries), ['GET /a', 'POST /a', 'GET /b'], 'Object.values/keys/entries work too');
  assert.deepEqual(entries.items().map(([[name, method], e]) => [name, method, e.num_requests]), [['/a', 'GET', 1], ['/a', 'POST', 2], ['/b', 'GET', 1]]);
  assert.equal(entries['POST /a']?.fail_ratio, 1);
  assert.equal(entries.values().filter((e) => e.avg_response_time > 20).map((e) => `${e.method} ${e.name}`).join(), 'POST /a');
  assert.throws(() => entries['/a'], /environment\.stats\.entries has no "\/a" \(it has: "GET \/a", "POST \/a", "GET \/b"; and values\(\), keys\(\), items\(\)\)/);
  const errors = view.errors;
  assert.deepEqual(errors.values().map((e) => ({ ...e })), [{ method: 'POST', name: '/a', error: 'HTTP 500', occurrences: 2 }]);
  assert.deepEqual(errors.keys(), ['POST /a: HTTP 500']);
  assert.throws(() => (errors.values()[0] as unknown as Record<string, unknown>).occurences, /has no 'occurences' \(brood has: method, name, error, occurrences\)/);
  assert.throws(() => {
    (entries as unknown as Record<string, unknown>)['GET /c'] = 1;
  }, TypeError, 'frozen');
});

test('a field environment.stats has not got throws, naming those it has; await and JSON still work; a bad percentile or get() is refused', async () => {
  const { stats } = registry();
  const view = runStatsView(stats);
  assert.throws(() => (view.total as unknown as Record<string, unknown>).fail_ration, /^TypeError: environment\.stats\.total has no 'fail_ration' \(brood has: method, name, get_response_time_percentile, num_requests, .*; each also in camelCase\)$/);
  assert.throws(() => (view as unknown as Record<string, unknown>).entry, /^TypeError: environment\.stats has no 'entry' \(brood has: total, entries, errors, get, num_requests, num_failures;/);
  assert.throws(() => (view.get('/x', 'GET') as unknown as Record<string, unknown>).errors, /environment\.stats\.get\("\/x", "GET"\) has no 'errors'/);
  assert.equal(await Promise.resolve(view.total).then((t) => t.num_requests), 0);
  assert.equal((JSON.parse(JSON.stringify(view.total)) as { fail_ratio: number }).fail_ratio, 0);
  assert.throws(() => view.total.get_response_time_percentile(95), /a fraction from 0 to 1, e\.g\. 0\.95 \(got 95\)/);
  assert.throws(() => view.get('GET', undefined as unknown as string), /both are strings/);
});

test('environment.process_exit_code (or processExitCode) is a whole number 0-255 or null; the environment takes no other new field', () => {
  const { stats } = registry();
  const built = buildRunEnvironment({ host: 'http://h', options: {}, parsedOptions: {}, worker: null, events: createHooks(), stats, runner: RUNNER });
  const env = built.environment;
  assert.equal(built.exitCodeSet(), null);
  env.process_exit_code = 3;
  assert.deepEqual([built.exitCodeSet(), env.processExitCode], [3, 3]);
  env.processExitCode = 0;
  assert.equal(built.exitCodeSet(), 0);
  env.process_exit_code = null;
  assert.equal(built.exitCodeSet(), null);
  for (const bad of [-1, 256, 1.5, '1', true]) {
    assert.throws(() => {
      (env as unknown as Record<string, unknown>).process_exit_code = bad;
    }, /must be a whole number from 0 to 255, or null/);
  }
  assert.throws(() => {
    (env as unknown as Record<string, unknown>).process_exitcode = 1;
  }, TypeError, 'a misspelt setting is not silently added');
  // Locust's runner and environment fields brood has not got throw instead of reading undefined.
  assert.throws(() => (env.runner as unknown as Record<string, unknown>).greenlet, /^TypeError: environment\.runner has no 'greenlet' \(brood has: quit, user_count, state, stats, worker_index, worker_count, send_message, register_message\)$/);
  assert.throws(() => (env as unknown as Record<string, unknown>).web_ui, /^TypeError: environment has no 'web_ui' \(brood has: host, options, parsed_options, worker, events, runner, stats, process_exit_code\)$/);
  assert.equal(typeof env.runner.quit, 'function');
});

test('environment.runner reads the run when asked: user_count, state, stats (the environment\'s), worker_index; quit() reaches the run', () => {
  const { stats } = registry();
  let users = 3;
  let state: RunnerState = STATE_INIT;
  const quits: (string | undefined)[] = [];
  const runner = { quit: (reason?: string) => void quits.push(reason), userCount: () => users, state: () => state, workerIndex: null, ...noMessages('this test') };
  const env = buildRunEnvironment({ host: 'http://h', options: {}, parsedOptions: { myArgument: 'x' }, worker: null, events: createHooks(), stats, runner }).environment;
  assert.deepEqual([env.runner.user_count, env.runner.userCount, env.runner.state], [3, 3, 'ready']);
  users = 7;
  state = STATE_SPAWNING;
  assert.deepEqual([env.runner.user_count, env.runner.state], [7, 'spawning']);
  assert.equal(env.runner.stats, env.stats, "Locust's runner.stats is the environment's");
  assert.equal(env.parsed_options, env.parsedOptions);
  // The main process of a run with workers has no worker_index, as Locust's master.
  assert.throws(() => env.runner.worker_index, /environment\.runner has no 'worker_index' \(brood has: quit, user_count, state, stats, worker_count, send_message, register_message\)/);
  env.runner.quit('enough');
  assert.deepEqual(quits, ['enough']);
  assert.throws(() => {
    (env.runner as unknown as Record<string, unknown>).user_count = 1;
  }, TypeError, 'a runner field is read-only');
  const alone = buildRunEnvironment({ host: 'http://h', options: {}, parsedOptions: {}, worker: null, events: createHooks(), stats, runner: { ...runner, workerIndex: 0 } }).environment;
  assert.deepEqual([alone.runner.worker_index, alone.runner.workerIndex], [0, 0]);
});
