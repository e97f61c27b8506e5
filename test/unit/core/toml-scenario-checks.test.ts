/**
 * Every key of every table of a TOML scenario (issue 17 item 6 and 7): out-of-range values, wrong
 * types, NaN and infinity, absurd sizes are refused, each with one message naming the table and
 * key; unusual values that mean something run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { parse } from 'smol-toml';
import { ConfigErrors } from '../../../src/core/errors.js';
import { DATA_LIMITS, parseTomlScenario, type TomlScenario } from '../../../src/core/toml-scenario.js';
import { MAX_ARRIVAL_RATE } from '../../../src/core/arrival-spec-check.js';
import { createArrivalPattern } from '../../../src/core/arrival-pattern.js';
import { loadTomlScenario, SHIPPED_TOML_DIR } from '../../../src/loading/load-toml-scenario.js';
import { tomlKeyLine } from '../../../src/loading/toml-key-line.js';

const BASE = `name = "t"
description = "d"
[duration]
total_seconds = 60
[arrival]
pattern = "constant"
rate = 100.0
[operations]
store_weight = 1.0
recall_weight = 1.0
embedding_search_weight = 1.0
[data]
num_nodes = 1000
embedding_dim = 768
memory_spaces = 1
[data.embedding_distribution]
type = "clustered"
num_clusters = 10
std_dev = 0.1
[validation]
expected_p99_latency_ms = 10.0
expected_throughput_ops_sec = 100.0
max_error_rate = 0.01
`;

/** BASE with `key = …` set to `value` (keys are unique across BASE's tables). */
function set(key: string, value: string, doc = BASE): string {
  const line = new RegExp(`^${key} = .*$`, 'm');
  assert.match(doc, line, `BASE has no ${key}`);
  return doc.replace(line, `${key} = ${value}`);
}

/** BASE with the [arrival] table's body replaced. */
const arrival = (body: string): string => BASE.replace('pattern = "constant"\nrate = 100.0', body);

function messages(toml: string): string[] {
  try {
    parseTomlScenario(parse(toml), 's.toml');
    return [];
  } catch (e) {
    if (e instanceof ConfigErrors) return e.problems.map((p) => p.message.replace(/^s\.toml: /, ''));
    throw e;
  }
}

const REFUSED: Array<[string, string, string]> = [
  // [duration]
  ['total_seconds = 0', set('total_seconds', '0'), '[duration] total_seconds must be a number > 0 and at most 31536000, got 0'],
  ['total_seconds negative', set('total_seconds', '-5'), '[duration] total_seconds must be a number > 0 and at most 31536000, got -5'],
  ['total_seconds as text', set('total_seconds', '"30m"'), '[duration] total_seconds must be a number > 0 and at most 31536000, got "30m"'],
  ['total_seconds nan', set('total_seconds', 'nan'), '[duration] total_seconds must be a number > 0 and at most 31536000, got nan'],
  ['total_seconds past a year', set('total_seconds', '1e12'), '[duration] total_seconds must be a number > 0 and at most 31536000, got 1000000000000'],
  ['[duration] not a table', BASE.replace('[duration]\ntotal_seconds = 60', 'duration = 60'), '[duration] must be a table, got 60'],
  // [arrival], constant
  ['rate = 0 (ran at 0 ops/s)', set('rate', '0'), '[arrival] rate must be a number > 0 and at most 1000000, got 0'],
  ['rate negative', set('rate', '-10.0'), '[arrival] rate must be a number > 0 and at most 1000000, got -10'],
  ['rate as text', set('rate', '"ten"'), '[arrival] rate must be a number > 0 and at most 1000000, got "ten"'],
  ['rate nan', set('rate', 'nan'), '[arrival] rate must be a number > 0 and at most 1000000, got nan'],
  ['rate inf', set('rate', 'inf'), '[arrival] rate must be a number > 0 and at most 1000000, got inf'],
  ['rate absurd', set('rate', '2e6'), '[arrival] rate must be a number > 0 and at most 1000000, got 2000000'],
  ['rate a boolean', set('rate', 'true'), '[arrival] rate must be a number > 0 and at most 1000000, got true'],
  ['rate missing', arrival('pattern = "constant"'), '[arrival] rate is required for pattern "constant"'],
  ['pattern missing', arrival('rate = 5.0'), '[arrival] pattern is missing: use one of constant, poisson, bursty, periodic, periodic_burst, ramp'],
  ['pattern unknown', arrival('pattern = "sawtooth"\nrate = 5.0'), '[arrival] pattern must be one of constant, poisson, bursty, periodic, periodic_burst, ramp, got "sawtooth"'],
  ['pattern a number', arrival('pattern = 5'), '[arrival] pattern must be one of constant, poisson, bursty, periodic, periodic_burst, ramp, got 5'],
  ['a key of another pattern', arrival('pattern = "constant"\nrate = 5.0\nburst_factor = 2.0'), '[arrival] burst_factor does not apply to pattern "constant" (pattern "constant" takes rate, and max_users, pre_allocated_users)'],
  ['an unknown key', arrival('pattern = "constant"\nrate = 5.0\nspeed = 3'), '[arrival] speed is not an arrival key (pattern "constant" takes rate, and max_users, pre_allocated_users)'],
  ['[arrival] not a table', `arrival = 5\n${BASE.replace('[arrival]\npattern = "constant"\nrate = 100.0\n', '')}`, '[arrival] must be a table, got 5'],
  // poisson, bursty
  ['lambda = 0 named as written', arrival('pattern = "poisson"\nlambda = 0'), '[arrival] lambda must be a number > 0 and at most 1000000, got 0'],
  ['lambda and mean_rate both', arrival('pattern = "poisson"\nlambda = 5.0\nmean_rate = 5.0'), '[arrival] give mean_rate once (lambda is another name for mean_rate)'],
  ['burst_factor below 1', arrival('pattern = "bursty"\nmean_rate = 5.0\nburst_factor = 0.5\nburst_probability = 0.1'), '[arrival] burst_factor must be a number from 1 to 1000, got 0.5'],
  ['burst_probability above 1', arrival('pattern = "bursty"\nmean_rate = 5.0\nburst_factor = 2.0\nburst_probability = 1.5'), '[arrival] burst_probability must be a number from 0 to 1, got 1.5'],
  ['bursts that cannot keep the mean', arrival('pattern = "bursty"\nmean_rate = 5.0\nburst_factor = 4.0\nburst_probability = 0.5'), '[arrival] burst_probability × burst_factor must be at most 1 (so the quiet seconds can keep the mean)'],
  // periodic, periodic_burst
  ['amplitude above base_rate', arrival('pattern = "periodic"\nbase_rate = 5.0\namplitude = 6.0\nperiod_secs = 10'), '[arrival] amplitude 6 must be at most base_rate 5 (a rate cannot go negative)'],
  ['period_secs = 0', arrival('pattern = "periodic"\nbase_rate = 5.0\namplitude = 1.0\nperiod_secs = 0'), '[arrival] period_secs must be a number > 0 and at most 31536000, got 0'],
  ['periodic base_rate = 0', arrival('pattern = "periodic"\nbase_rate = 0\namplitude = 0\nperiod_secs = 10'), '[arrival] base_rate must be a number > 0 and at most 1000000, got 0'],
  ['burst longer than its period', arrival('pattern = "periodic_burst"\nbase_rate = 10.0\nburst_rate = 20.0\nburst_duration_sec = 30\nburst_period_sec = 10'), '[arrival] burst_duration_sec 30 must be at most burst_period_sec 10'],
  ['periodic_burst that sends nothing', arrival('pattern = "periodic_burst"\nbase_rate = 0\nburst_rate = 0\nburst_duration_sec = 1\nburst_period_sec = 10'), '[arrival] this periodic_burst sends nothing: give base_rate or burst_rate (with burst_duration_sec) a rate > 0'],
  ['burst_period_sec = 0 (was "must be a number >= 5e-324")', arrival('pattern = "periodic_burst"\nbase_rate = 1.0\nburst_rate = 2.0\nburst_duration_sec = 0\nburst_period_sec = 0'), '[arrival] burst_period_sec must be a number > 0 and at most 31536000, got 0'],
  // ramp
  ['ramp over = 0', arrival('pattern = "ramp"\nfrom = 1.0\nto = 10.0\nover = 0'), '[arrival] over must be a number > 0 and at most 31536000, got 0'],
  ['ramp to 0', arrival('pattern = "ramp"\nfrom = 10.0\nto = 0\nover = 5'), '[arrival] to must be a number > 0 and at most 1000000, got 0'],
  ['ramp from negative', arrival('pattern = "ramp"\nfrom = -1.0\nto = 10.0\nover = 5'), '[arrival] from must be a number from 0 to 1000000, got -1'],
  ['max_users absurd', arrival('pattern = "constant"\nrate = 5.0\nmax_users = 1e9'), '[arrival] max_users must be a whole number from 1 to 1000000, got 1000000000'],
  // [operations]
  ['a negative weight', set('store_weight', '-1.0'), '[operations] store_weight must be a number from 0 to 1000000, got -1'],
  ['a weight as text', set('store_weight', '"x"'), '[operations] store_weight must be a number from 0 to 1000000, got "x"'],
  ['an absurd weight', set('store_weight', '1e300'), '[operations] store_weight must be a number from 0 to 1000000, got 1e+300'],
  ['every weight 0', set('embedding_search_weight', '0.0', set('recall_weight', '0.0', set('store_weight', '0.0'))), '[operations] needs at least one weight > 0 (store_weight, recall_weight, embedding_search_weight, pattern_completion_weight, consolidation_weight)'],
  ['[operations] an array', `operations = []\n${BASE.replace('[operations]\nstore_weight = 1.0\nrecall_weight = 1.0\nembedding_search_weight = 1.0\n', '')}`, '[operations] must be a table, got an array'],
  // [data]
  ['embedding_dim absurd (ran a minute past -t)', set('embedding_dim', '100_000_000'), `[data] embedding_dim must be a whole number from 32 to ${DATA_LIMITS.embeddingDim.max}, got 100000000`],
  ['embedding_dim too small', set('embedding_dim', '16'), `[data] embedding_dim must be a whole number from 32 to ${DATA_LIMITS.embeddingDim.max}, got 16`],
  ['embedding_dim not whole', set('embedding_dim', '768.5'), `[data] embedding_dim must be a whole number from 32 to ${DATA_LIMITS.embeddingDim.max}, got 768.5`],
  ['num_nodes = 0', set('num_nodes', '0'), '[data] num_nodes must be a whole number from 1 to 1000000000, got 0'],
  ['num_nodes negative', set('num_nodes', '-5'), '[data] num_nodes must be a whole number from 1 to 1000000000, got -5'],
  ['memory_spaces = 0', set('memory_spaces', '0'), '[data] memory_spaces must be a whole number from 1 to 100, got 0'],
  ['memory_spaces absurd', set('memory_spaces', '1_000_000'), '[data] memory_spaces must be a whole number from 1 to 100, got 1000000'],
  ['num_clusters = 0', set('num_clusters', '0'), '[data.embedding_distribution] num_clusters must be a whole number from 1 to 100000, got 0'],
  ['std_dev negative', set('std_dev', '-0.1'), '[data.embedding_distribution] std_dev must be a number from 0 to 100, got -0.1'],
  ['distribution type unknown', set('type', '"gaussian"'), '[data.embedding_distribution] type must be one of uniform, clustered, normal, got "gaussian"'],
  ['distribution type a number', set('type', '5'), '[data.embedding_distribution] type must be a string, got 5'],
  // [validation]
  ['p99 negative', set('expected_p99_latency_ms', '-5.0'), '[validation] expected_p99_latency_ms must be a number > 0 and at most 3600000, got -5'],
  ['p99 = 0', set('expected_p99_latency_ms', '0'), '[validation] expected_p99_latency_ms must be a number > 0 and at most 3600000, got 0'],
  ['throughput = 0', set('expected_throughput_ops_sec', '0'), '[validation] expected_throughput_ops_sec must be a number > 0 and at most 1000000, got 0'],
  ['error rate above 1', set('max_error_rate', '5.0'), '[validation] max_error_rate must be a number from 0 to 1, got 5'],
  ['error rate as text', set('max_error_rate', '"low"'), '[validation] max_error_rate must be a number from 0 to 1, got "low"'],
  // top level
  ['an empty name', set('name', '""'), 'name must be one line of 1 to 500 characters'],
  ['a name that is a number', set('name', '5'), 'name must be a string, got 5'],
  ['a description on two lines', set('description', '"""a\nb"""'), 'description must be one line of 0 to 500 characters'],
  ['an unknown top-level key', `speed = 3\n${BASE}`, 'unknown key speed (known: name, description, duration, arrival, operations, data, validation)'],
];

for (const [name, toml, expected] of REFUSED) {
  test(`refused, one message naming table and key: ${name}`, () => {
    assert.deepEqual(messages(toml), [expected]);
  });
}

const ACCEPTED: Array<[string, string, (sc: TomlScenario) => void]> = [
  ['a ramp up from 0', arrival('pattern = "ramp"\nfrom = 0\nto = 50.0\nover = 10'), (sc) => assert.deepEqual(sc.arrival, { pattern: 'ramp', from: 0, to: 50, over: 10 })],
  ['bursts on silence (base_rate 0)', arrival('pattern = "periodic_burst"\nbase_rate = 0\nburst_rate = 100.0\nburst_duration_sec = 1\nburst_period_sec = 10'), () => {}],
  ['a pause each period (burst_rate 0)', arrival('pattern = "periodic_burst"\nbase_rate = 5.0\nburst_rate = 0\nburst_duration_sec = 2\nburst_period_sec = 10'), () => {}],
  ['a flat periodic (amplitude 0)', arrival('pattern = "periodic"\nbase_rate = 5.0\namplitude = 0\nperiod_secs = 0.5'), () => {}],
  ['bursty with no bursts', arrival('pattern = "bursty"\nmean_rate = 5.0\nburst_factor = 1\nburst_probability = 0'), () => {}],
  ['the seed\'s lambda', arrival('pattern = "poisson"\nlambda = 12.5'), (sc) => assert.deepEqual(sc.arrival, { pattern: 'poisson', mean_rate: 12.5 })],
  ['the highest rate', set('rate', '1_000_000'), (sc) => assert.deepEqual(sc.arrival, { pattern: 'constant', rate: 1_000_000 })],
  ['a fraction of a second', set('total_seconds', '0.5'), (sc) => assert.equal(sc.durationSec, 0.5)],
  ['embedding_dim written as a float', set('embedding_dim', '768.0'), (sc) => assert.equal(sc.data.embeddingDim, 768)],
  ['the largest embedding_dim, one cluster', set('embedding_dim', String(DATA_LIMITS.embeddingDim.max), set('num_clusters', '1')), (sc) => assert.equal(sc.data.embeddingDim, DATA_LIMITS.embeddingDim.max)],
  ['the smallest embedding_dim', set('embedding_dim', '32'), (sc) => assert.equal(sc.data.embeddingDim, 32)],
  ['std_dev 0 (every vector a centre)', set('std_dev', '0'), (sc) => assert.equal(sc.data.distribution.stdDev, 0)],
  ['100 memory spaces', set('memory_spaces', '100'), (sc) => assert.equal(sc.data.memorySpaces, 100)],
  ['no errors allowed, or all', set('max_error_rate', '0'), (sc) => assert.equal(sc.validation.maxErrorRate, 0)],
  ['an empty description', set('description', '""'), (sc) => assert.equal(sc.description, '')],
  ['no [arrival] (resolve-test asks for --target-rate)', BASE.replace('[arrival]\npattern = "constant"\nrate = 100.0\n', ''), (sc) => assert.equal(sc.arrival, null)],
];

for (const [name, toml, more] of ACCEPTED) {
  test(`accepted: ${name}`, () => {
    assert.deepEqual(messages(toml), []);
    const sc = parseTomlScenario(parse(toml), 's.toml');
    if (sc.arrival) {
      const pattern = createArrivalPattern(sc.arrival);
      assert.ok(pattern.meanRate() > 0 && pattern.cumulative(60) > 0, 'the pattern sends something');
    }
    more(sc);
  });
}

test('a scenario with many mistakes gets one message for each, each with its own line', () => {
  const toml = set('rate', '0', set('embedding_dim', '1e9', set('max_error_rate', '2.0')));
  assert.equal(messages(toml).length, 3);
  assert.throws(() => parseTomlScenario(parse(toml), 's.toml', (path) => tomlKeyLine(toml, path)), (e: unknown) => {
    assert.ok(e instanceof ConfigErrors);
    assert.deepEqual(e.problems.map((p) => p.message), [
      's.toml:7: [arrival] rate must be a number > 0 and at most 1000000, got 0',
      `s.toml:14: [data] embedding_dim must be a whole number from 32 to ${DATA_LIMITS.embeddingDim.max}, got 1000000000`,
      's.toml:23: [validation] max_error_rate must be a number from 0 to 1, got 2',
    ]);
    return true;
  });
});

test('the shipped scenarios fit the bounds comfortably (a quarter of each, or less)', () => {
  const files = readdirSync(SHIPPED_TOML_DIR).filter((f) => f.endsWith('.toml'));
  assert.ok(files.length >= 7);
  for (const f of files) {
    const sc = loadTomlScenario(`${SHIPPED_TOML_DIR}${f}`);
    assert.ok(sc.data.embeddingDim * 4 <= DATA_LIMITS.embeddingDim.max, f);
    assert.ok(sc.data.numNodes * 4 <= DATA_LIMITS.numNodes, f);
    assert.ok(sc.data.memorySpaces * 4 <= DATA_LIMITS.memorySpaces, f);
    assert.ok(sc.data.distribution.numClusters * 4 <= DATA_LIMITS.numClusters, f);
    assert.ok(sc.arrival !== null, f);
    const pattern = createArrivalPattern(sc.arrival);
    assert.ok(Math.max(pattern.rateAt(0), pattern.rateAt(100), pattern.meanRate()) * 4 <= MAX_ARRIVAL_RATE, f);
  }
});
