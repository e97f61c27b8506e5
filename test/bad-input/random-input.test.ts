/**
 * Random flag values and random TOML scenarios (fast-check, issue 17): whatever comes in, brood
 * either refuses it as promised (exit 2, one "error: " line per problem, no stack trace, nothing
 * written) or runs
 * it to the end with its files written, and never prints a stack trace, an internal error or
 * Node's TimeoutOverflowWarning. The seed is fixed so CI is repeatable; BROOD_FC_SEED explores others.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runCase, type CaseRun, type InputCase } from './input-case.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const SEED = Number(process.env.BROOD_FC_SEED ?? '17');
const RUNS = Number(process.env.BROOD_FC_RUNS ?? '25');

let live: RecordingServer | null = null;
before(async () => {
  live = await startRecordingServer();
});
after(async () => live?.close());

const USER = `import { HttpUser, constant } from 'brood';
export class Reader extends HttpUser {
  waitTime = constant(0.01);
  static tasks = ['read'];
  async read() { await this.client.get('/'); }
}
`;

/** What every outcome must satisfy; null when it does. */
function promiseKept(run: CaseRun): string | null {
  const { result, created } = run;
  const all = result.stdout + result.stderr;
  if (/^\s+at .+:\d+:\d+\)?$/m.test(all)) return 'a stack trace';
  if (/internal error|a brood bug/i.test(all)) return 'an internal error';
  if (/TimeoutOverflowWarning|Warning:/.test(result.stderr)) return 'a Node warning';
  if (result.code === 2) {
    // A random document may break several rules at once: one line per problem, each its own error.
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) return 'refused without a word';
    if (!lines.every((l) => /^error: /.test(l))) return 'a refusal line does not start with "error: "';
    if (new Set(lines).size !== lines.length) return 'a refusal line repeated';
    if (created.length > 0) return `refused but left ${created.join(', ')}`;
    return null;
  }
  if (result.code === null) return `killed (${String(result.signal)}): the run did not end by itself`;
  if (!/^Results: /m.test(result.stdout)) return `exit ${result.code} without the Results line`;
  return null;
}

const oddText = fc.constantFrom('', ' ', '0', '-0', '-1', '1e400', '-1e400', 'NaN', 'Infinity', '0x10', '1_000', ' 5', '5 ', '٣', '1e-300', '2147483648', '99999999999999999999', '1.5', '3m', '1h', '10x', '5m-3s', '365d', '367d');
const value = fc.oneof(oddText, fc.string({ maxLength: 8 }), fc.integer({ min: -5, max: 100_000 }).map(String), fc.double({ noNaN: false }).map(String));

// Each flag goes last, so it beats the base's own value; -i 1 and -t 2s bound every run that starts.
const FLAGS = ['-u', '-r', '-t', '--stop-timeout', '--request-timeout', '--max-redirects', '--max-body-size', '--exit-code-on-error', '-i', '--seed', '--connection-pool', '-L', '--step-users', '--step-time'] as const;

test('random flag values: refused as promised or run to the end', { timeout: 600_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...FLAGS), value, async (flag, v) => {
      const shape = flag.startsWith('--step-') ? ['--shape', 'step'] : [];
      const c: InputCase = { name: `${flag} ${JSON.stringify(v)}`, args: ['-f', 'u.mjs', '-H', '{HOST}', '-u', '1', '-r', '100', '-t', '2s', '-i', '1', ...shape, flag, v], files: { 'u.mjs': USER }, line: /./ };
      const run = await runCase(c, live?.url ?? 'http://127.0.0.1:9');
      const broken = promiseKept(run);
      assert.equal(broken, null, `${c.name}: ${broken}\nstderr: ${run.result.stderr.slice(0, 300)}\nstdout: ${run.result.stdout.slice(-300)}`);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
  );
});

/** A TOML value: mostly sensible numbers, sometimes anything. */
const tomlNumber = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 0.5, max: 200, noNaN: true }).map((x) => x.toFixed(2)) },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', '0.0', '1e9', '100_000_000', '"ten"', 'true', '[1, 2]', 'inf', 'nan', '-inf') },
);
const PATTERNS = ['constant', 'poisson', 'periodic_burst', 'ramp', 'sawtooth', ''];

const tomlDoc = fc.record({
  seconds: tomlNumber,
  pattern: fc.constantFrom(...PATTERNS),
  arrival: fc.subarray(['rate', 'mean_rate', 'base_rate', 'burst_rate', 'burst_duration_sec', 'burst_period_sec', 'start_rate', 'end_rate', 'speed']).chain((keys) => fc.tuple(...keys.map((k) => tomlNumber.map((v) => `${k} = ${v}`)))),
  weights: fc.subarray(['store_weight', 'recall_weight', 'embedding_search_weight', 'delete_weight']).chain((keys) => fc.tuple(...keys.map((k) => tomlNumber.map((v) => `${k} = ${v}`)))),
  data: fc.subarray(['num_nodes', 'embedding_dim', 'memory_spaces']).chain((keys) => fc.tuple(...keys.map((k) => tomlNumber.map((v) => `${k} = ${v}`)))),
  validation: fc.subarray(['expected_p99_latency_ms', 'max_error_rate']).chain((keys) => fc.tuple(...keys.map((k) => tomlNumber.map((v) => `${k} = ${v}`)))),
});

test('random TOML scenarios: refused as promised or run to the end', { timeout: 600_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(tomlDoc, async (d) => {
      const text = [
        'name = "random"',
        '[duration]', `total_seconds = ${d.seconds}`,
        '[arrival]', ...(d.pattern === '' ? [] : [`pattern = "${d.pattern}"`]), ...d.arrival,
        '[operations]', ...d.weights,
        ...(d.data.length > 0 ? ['[data]', ...d.data] : []),
        ...(d.validation.length > 0 ? ['[validation]', ...d.validation] : []),
      ].join('\n');
      const c: InputCase = { name: 'random TOML', args: ['--scenario', 's.toml', '-H', '{HOST}', '-t', '1s', '--stop-timeout', '2s'], files: { 's.toml': `${text}\n` }, line: /./ };
      const run = await runCase(c, live?.url ?? 'http://127.0.0.1:9');
      const broken = promiseKept(run);
      assert.equal(broken, null, `${broken}\n--- s.toml\n${text}\n---\nstderr: ${run.result.stderr.slice(0, 300)}\nstdout: ${run.result.stdout.slice(-300)}`);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
  );
});
