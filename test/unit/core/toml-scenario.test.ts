import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { parse } from 'smol-toml';
import { ConfigErrors } from '../../../src/core/errors.js';
import { parseTomlScenario } from '../../../src/core/toml-scenario.js';
import { createArrivalPattern } from '../../../src/core/arrival-pattern.js';
import { loadTomlScenario, SHIPPED_TOML_DIR } from '../../../src/loading/load-toml-scenario.js';
import { evaluateOpenModel } from '../../../src/core/open-model-criteria.js';

const VALID = `
name = "My Custom Workload"
description = "Production traffic pattern"
[duration]
total_seconds = 7200
[arrival]
pattern = "poisson"
lambda = 15000.0
[operations]
store_weight = 30.0
recall_weight = 60.0
embedding_search_weight = 10.0
pattern_completion_weight = 0.0
[data]
num_nodes = 2_000_000
embedding_dim = 768
memory_spaces = 8
[data.embedding_distribution]
type = "clustered"
num_clusters = 20
std_dev = 0.15
[validation]
expected_p99_latency_ms = 10.0
expected_throughput_ops_sec = 15000.0
max_error_rate = 0.001
`;

test("the seed's custom scenario parses (lambda is the poisson mean)", () => {
  const sc = parseTomlScenario(parse(VALID), 'my.toml');
  assert.equal(sc.name, 'My Custom Workload');
  assert.equal(sc.durationSec, 7200);
  assert.deepEqual(sc.arrival, { pattern: 'poisson', mean_rate: 15000 });
  assert.deepEqual(sc.operations, { store: 30, recall: 60, embedding_search: 10, pattern_completion: 0, consolidation: 0 });
  assert.deepEqual(sc.data, { numNodes: 2_000_000, embeddingDim: 768, memorySpaces: 8, distribution: { type: 'clustered', numClusters: 20, stdDev: 0.15 } });
  assert.deepEqual(sc.validation, { p99Ms: 10, throughputOpsSec: 15000, maxErrorRate: 0.001 });
});

test('unknown keys and wrong types are errors naming the key, all at once', () => {
  const bad = VALID.replace('num_nodes = 2_000_000', 'num_nodes = "many"').replace('[validation]', '[validation]\nexpected_p50 = 3').replace('store_weight = 30.0', 'store_weight = 30.0\nstroe_weight = 1');
  try {
    parseTomlScenario(parse(bad), 'bad.toml');
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof ConfigErrors);
    const messages = e.problems.map((p) => p.message);
    assert.deepEqual(messages, [
      'bad.toml: unknown key [operations] stroe_weight (known: store_weight, recall_weight, embedding_search_weight, pattern_completion_weight, consolidation_weight)',
      'bad.toml: [data] num_nodes must be a whole number from 1 to 1000000000, got "many"',
      'bad.toml: unknown key [validation] expected_p50 (known: expected_p99_latency_ms, expected_throughput_ops_sec, max_error_rate)',
    ]);
  }
  assert.throws(() => parseTomlScenario(parse('[arrival]\npattern = "bursty"\nmean_rate = 1.0\n[operations]\nstore_weight = 1.0'), 'b.toml'), /\[arrival\] burst_factor is required for pattern "bursty"/);
  assert.throws(() => parseTomlScenario(parse('[arrival]\npattern = "wave"\n[operations]\nstore_weight = 1.0'), 'w.toml'), /\[arrival\] pattern must be one of/);
  assert.throws(() => parseTomlScenario(parse('name = "x"'), 'n.toml'), /\[operations\] needs at least one weight > 0/);
});

test('[arrival] max_users and pre_allocated_users bound the pool; absent they are null; bad ones are named, once each', () => {
  assert.deepEqual(parseTomlScenario(parse(VALID), 'my.toml').pool, { maxUsers: null, preAllocatedUsers: null });
  const withPool = VALID.replace('lambda = 15000.0', 'lambda = 15000.0\nmax_users = 3000\npre_allocated_users = 0');
  const sc = parseTomlScenario(parse(withPool), 'my.toml');
  assert.deepEqual(sc.pool, { maxUsers: 3000, preAllocatedUsers: 0 });
  assert.deepEqual(sc.arrival, { pattern: 'poisson', mean_rate: 15000 }, 'the pattern stays the pattern');
  const problems = (toml: string): string[] => {
    try {
      parseTomlScenario(parse(toml), 'p.toml');
    } catch (e) {
      if (e instanceof ConfigErrors) return e.problems.map((p) => p.message);
    }
    return [];
  };
  assert.deepEqual(problems(VALID.replace('lambda = 15000.0', 'lambda = 15000.0\nmax_users = 0\npre_allocated_users = 1.5')), [
    'p.toml: [arrival] max_users must be a whole number from 1 to 1000000, got 0',
    'p.toml: [arrival] pre_allocated_users must be a whole number from 0 to 1000000, got 1.5',
  ]);
  assert.deepEqual(problems(VALID.replace('lambda = 15000.0', 'lambda = 15000.0\nmax_users = "lots"')), ['p.toml: [arrival] max_users must be a whole number from 1 to 1000000, got "lots"']);
  assert.deepEqual(problems(VALID.replace('lambda = 15000.0', 'lambda = 15000.0\npre_allocated_users = 2_000_000')), ['p.toml: [arrival] pre_allocated_users must be a whole number from 0 to 1000000, got 2000000']);
  assert.deepEqual(problems(VALID.replace('lambda = 15000.0', 'lambda = 15000.0\nmax_users = 10\npre_allocated_users = 11')), ['p.toml: [arrival] pre_allocated_users 11 is more than max_users 10']);
});

test("the seven shipped scenario files load, with the seed's patterns and mixes", () => {
  const files = readdirSync(SHIPPED_TOML_DIR).filter((f) => f.endsWith('.toml')).sort();
  assert.deepEqual(files, ['burst_traffic.toml', 'consolidation.toml', 'embeddings_search.toml', 'mixed_balanced.toml', 'multi_tenant.toml', 'read_heavy.toml', 'write_heavy.toml']);
  const loaded = Object.fromEntries(files.map((f) => [f, loadTomlScenario(`${SHIPPED_TOML_DIR}${f}`)]));
  assert.deepEqual(loaded['write_heavy.toml']?.operations, { store: 80, recall: 15, embedding_search: 5, pattern_completion: 0, consolidation: 0 });
  assert.equal(loaded['read_heavy.toml']?.arrival?.pattern, 'constant');
  assert.equal(loaded['multi_tenant.toml']?.data.memorySpaces, 4);
  const burst = loaded['burst_traffic.toml']?.arrival;
  assert.ok(burst);
  assert.equal(createArrivalPattern(burst).rateAt(10), 15000);
  assert.equal(createArrivalPattern(burst).rateAt(100), 2000);
});

test('open-model criteria: every window must reach 95% of its schedule; P99 judged after the first window', () => {
  const w = (completed: number, p99: number | null, start: number) => ({ startSec: start, endSec: start + 60, scheduled: 1000, completed, failed: 0, dropped: 0, achievedRate: completed / 60, scheduledRate: 1000 / 60, p99Ms: p99, p99ByOperation: {} });
  const criteria = { minThroughputRatio: 0.95, p99Ms: 10, maxErrorRate: 0.01, expectedThroughput: null };
  const pass = evaluateOpenModel([w(990, 50, 0), w(960, 9, 60)], 60, criteria, { operations: 1950, failed: 1 });
  assert.deepEqual(pass.map((t) => t.met), [true, true, true], 'a slow warm-up window does not fail the steady-state P99');
  const fail = evaluateOpenModel([w(990, 5, 0), w(940, 11, 60), w(300, 1, 120)], 60, criteria, { operations: 2230, failed: 100 });
  assert.deepEqual(fail.map((t) => t.met), [false, false, false]);
  assert.equal(fail[0]?.measured, 0.3, 'the worst window is reported');
  const partial = evaluateOpenModel([w(1000, 5, 0), { ...w(1, 5, 60), endSec: 70 }], 60, criteria, { operations: 1001, failed: 0 });
  assert.equal(partial[0]?.met, true, 'a last window shorter than half a window is not judged');
  const short = evaluateOpenModel([{ ...w(40, 5, 0), endSec: 3, scheduled: 50 }], 60, criteria, { operations: 40, failed: 0 });
  assert.equal(short[0]?.measured, 0.8, 'a run shorter than one window judges its only window');
});
