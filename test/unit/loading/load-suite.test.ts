/**
 * Suite files (issue 22): read as strictly as TOML scenarios. Every malformed case is one line
 * `FILE:LINE: …` (the key's line, or its table's when the key is missing), every problem of a file
 * is reported at once, in the file's order; the shipped suite holds the seed's four levels.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ConfigErrors } from '../../../src/core/errors.js';
import { loadSuite, suitePath, suiteRunTest } from '../../../src/loading/load-suite.js';
import { tomlIndexedKeyLine } from '../../../src/loading/toml-key-line.js';

const dir = mkdtempSync(join(tmpdir(), 'brood-suite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'api.txt'), 'GET http://localhost:8000/health\n\nGET http://localhost:8000/stats\n');

const HEAD = 'name = "s"\ntargets = "api.txt"\n';
const RUN = '[[run]]\nname = "light"\nrate = 10\nduration = "30s"\n';

/** Every problem's message for a suite file holding `text` (none: []). */
function problems(text: string, file = 'suite.toml'): string[] {
  writeFileSync(join(dir, file), text);
  try {
    loadSuite(join(dir, file), dir);
    return [];
  } catch (e) {
    if (e instanceof ConfigErrors) return e.problems.map((p) => p.message);
    if (e instanceof ConfigError) return [e.message];
    throw e;
  }
}

test('a well-formed suite: rates as numbers, strings and Vegeta\'s N/PERIOD; durations; targets; json format', () => {
  writeFileSync(join(dir, 'api.json'), '{"method":"GET","url":"http://localhost:8000/health"}\n');
  writeFileSync(join(dir, 'ok.toml'), [
    'name = "nightly_api-2"', 'description = "levels"', 'targets = "api.json"', 'targets_format = "json"',
    '[[run]]', 'name = "a"', 'rate = "600/1m"', 'duration = "1m30s"',
    '[[run]]', 'name = "b"', 'rate = "25"', 'duration = 45',
    '[[run.target]]', 'label = "fast"', 'metric = "p99"', 'comparator = "<"', 'threshold = 500',
    '[[run.target]]', 'metric = "error_rate"', 'comparator = "<="', 'threshold = 0', 'endpoints = ["GET /health"]',
    '[[run]]', 'name = "c"', 'rate = 0.5', 'duration = "2s"',
  ].join('\n'));
  const suite = loadSuite(join(dir, 'ok.toml'), dir);
  assert.equal(suite.name, 'nightly_api-2');
  assert.equal(suite.file, 'ok.toml');
  assert.equal(suite.targetsShown, 'api.json');
  assert.equal(suite.targetList.length, 1);
  assert.deepEqual(suite.runs.map((r) => [r.name, r.rate, r.durationSec, r.targets.length]), [['a', 10, 90, 0], ['b', 25, 45, 2], ['c', 0.5, 2, 0]]);
  assert.deepEqual(suite.runs[1]?.targets, [
    { label: 'fast', metric: 'p99', comparator: '<', threshold: 500 },
    { metric: 'error_rate', comparator: '<=', threshold: 0, endpoints: ['GET /health'] },
  ]);
  const second = suite.runs[1];
  assert.ok(second);
  const test0 = suiteRunTest(suite, second, 3);
  assert.equal(test0.runTimeSec, 3);
  assert.equal(test0.scenario, 'nightly_api-2/b');
  assert.equal(test0.targets.length, 2);
  // Every target goes to the run's host (the demo server or -H), never to the file's localhost:8000.
  assert.equal((test0.userClasses[0] as { host?: string }).host, undefined);
});

test('the shipped suite: the seed\'s four levels, in order, with its baselines as targets', () => {
  const suite = loadSuite(suitePath('vegeta-api'));
  assert.equal(suite.file, 'scenarios/suites/vegeta-api.toml');
  assert.deepEqual(suite.runs.map((r) => [r.name, r.rate, r.durationSec]), [['light', 10, 30], ['medium', 50, 60], ['heavy', 100, 60], ['stress', 200, 120]]);
  assert.deepEqual(suite.runs.map((r) => r.targets.map((t) => `${t.metric} ${t.comparator} ${t.threshold}`)), [[], ['p99 < 1000'], ['p99 < 500'], ['error_rate < 0.2']]);
  assert.deepEqual(suite.targetList.map((t) => `${t.method} ${new URL(t.url).pathname}`), ['GET /health', 'GET /stats', 'POST /learn', 'POST /recall', 'GET /recall', 'GET /entities']);
  assert.ok(suite.targetList.filter((t) => t.method === 'POST').every((t) => t.body !== null && t.body.length > 0), 'the POST bodies are read');
});

test('a suite by name or by path: .toml is a file; an unknown name lists the shipped suites', () => {
  assert.equal(suitePath('x/y.toml', '/base'), '/base/x/y.toml');
  assert.throws(() => suitePath('nope'), /suite "nope" is neither a \.toml file nor a shipped suite \(shipped: vegeta-api\)/);
  assert.throws(() => suitePath('../vegeta-api'), /neither a \.toml file/);
});

test('every malformed case is one line naming FILE:LINE and the key', () => {
  const cases: Array<[string, string | RegExp]> = [
    [`${HEAD}colour = 1\n${RUN}`, 'suite.toml:3: unknown key colour (known: name, description, targets, targets_format, run)'],
    [`name = "a b"\ntargets = "api.txt"\n${RUN}`, 'suite.toml:1: name "a b" must be 1 to 64 letters, digits, dashes or underscores (it names the output files)'],
    [`name = 3\ntargets = "api.txt"\n${RUN}`, 'suite.toml:1: name must be a string, got 3'],
    [`targets = "api.txt"\n${RUN}`, 'suite.toml: name is required'],
    [`name = "s"\n${RUN}`, 'suite.toml: targets is required'],
    [`${HEAD}description = """\ntwo\nlines"""\n${RUN}`, 'suite.toml:3: description must be one line of 1 to 500 characters'],
    [`${HEAD}targets_format = "xml"\n${RUN}`, 'suite.toml:3: targets_format must be "http" (Vegeta\'s default) or "json", got "xml"'],
    [HEAD, 'suite.toml: the file has no [[run]] table: add at least one, e.g. [[run]] with name = "light", rate = 10, duration = "30s"'],
    [`${HEAD}run = []\n`, 'suite.toml:3: run is empty: add at least one [[run]] table'],
    [`${HEAD}[run]\nname = "a"\n`, 'suite.toml:3: run must be [[run]] tables (an array, double brackets), got a table'],
    [`${HEAD}${RUN}speed = 2\n`, 'suite.toml:7: unknown key [[run]] "light" speed (known: name, rate, duration, target)'],
    [`${HEAD}[[run]]\nrate = 1\nduration = 1\n`, 'suite.toml:3: [[run]] #1 name is required'],
    [`${HEAD}[[run]]\nname = "a.b"\nrate = 1\nduration = 1\n`, 'suite.toml:4: [[run]] #1 name "a.b" must be 1 to 64 letters, digits, dashes or underscores (it names the output files)'],
    [`${HEAD}${RUN}${RUN}`, 'suite.toml:8: [[run]] "light" name is used by [[run]] #1 too: each run needs its own name'],
    [`${HEAD}[[run]]\nname = "a"\nduration = 1\n`, 'suite.toml:3: [[run]] "a" rate is required: arrivals per second (50) or Vegeta\'s "50/1s"'],
    [`${HEAD}[[run]]\nname = "a"\nrate = 0\nduration = 1\n`, 'suite.toml:5: [[run]] "a" rate must be a number > 0 and at most 1000000 (arrivals per second) or Vegeta\'s "N/PERIOD" ("50/1s"), got 0'],
    [`${HEAD}[[run]]\nname = "a"\nrate = nan\nduration = 1\n`, 'suite.toml:5: [[run]] "a" rate must be a number > 0 and at most 1000000 (arrivals per second) or Vegeta\'s "N/PERIOD" ("50/1s"), got nan'],
    [`${HEAD}[[run]]\nname = "a"\nrate = "50/fortnight"\nduration = 1\n`, 'suite.toml:5: [[run]] "a" rate "50/fortnight" is not a rate: give N/PERIOD as Vegeta does (50/1s, 600/1m, 5/500ms) or operations per second (50)'],
    [`${HEAD}[[run]]\nname = "a"\nrate = "0/1s"\nduration = 1\n`, 'suite.toml:5: [[run]] "a" rate "0/1s" must be more than 0 per a period longer than 0 (Vegeta\'s 0, as fast as possible, is not an arrival rate): give N/PERIOD as Vegeta does (50/1s, 600/1m, 5/500ms) or operations per second (50)'],
    [`${HEAD}[[run]]\nname = "a"\nrate = true\nduration = 1\n`, 'suite.toml:5: [[run]] "a" rate must be a number > 0 and at most 1000000 (arrivals per second) or Vegeta\'s "N/PERIOD" ("50/1s"), got true'],
    [`${HEAD}[[run]]\nname = "a"\nrate = 1\n`, 'suite.toml:3: [[run]] "a" duration is required, e.g. duration = "30s"'],
    [`${HEAD}[[run]]\nname = "a"\nrate = 1\nduration = "3x"\n`, 'suite.toml:6: [[run]] "a" duration "3x" is not a duration: use a positive number of seconds or units like 30s, 10m, 1h30m, 2d'],
    [`${HEAD}[[run]]\nname = "a"\nrate = 1\nduration = "400d"\n`, 'suite.toml:6: [[run]] "a" duration "400d" is longer than the longest duration brood accepts (365d)'],
    [`${HEAD}[[run]]\nname = "a"\nrate = 1\nduration = -1\n`, 'suite.toml:6: [[run]] "a" duration must be a duration such as "30s" or "2m", or seconds > 0 and at most 31536000, got -1'],
    [`${HEAD}${RUN}target = 5\n`, 'suite.toml:7: [[run]] "light" target must be [[run.target]] tables (an array), got 5'],
    [`${HEAD}${RUN}target = [1]\n`, 'suite.toml:7: [[run]] "light" target #1 must be a table, got 1'],
    [`${HEAD}${RUN}[[run.target]]\nmetric = "p99"\ncomparator = "<"\nthreshold = 5\ncolour = "red"\n`, 'suite.toml:11: unknown key [[run]] "light" target #1 colour (known: label, metric, comparator, threshold, endpoints)'],
    [`${HEAD}${RUN}[[run.target]]\nmetric = "p42"\ncomparator = "<"\nthreshold = 5\n`, 'suite.toml:8: [[run]] "light" target #1: metric must be one of p50, p66, p75, p80, p90, p95, p98, p99, p99.9, max, avg, error_rate, rps, requests_per_minute, memory_growth_mb_per_min, cpu_percent, cpu_percent_p95, rss_mb'],
    [`${HEAD}${RUN}[[run.target]]\nmetric = "p99"\ncomparator = "=="\nthreshold = 5\n`, 'suite.toml:9: [[run]] "light" target #1: comparator must be <, <=, > or >='],
    [`${HEAD}${RUN}[[run.target]]\nmetric = "p99"\ncomparator = "<"\nthreshold = "fast"\n`, 'suite.toml:10: [[run]] "light" target #1: threshold must be a number'],
    [`${HEAD}${RUN}[[run.target]]\nmetric = "error_rate"\ncomparator = "<"\nthreshold = 5\n`, 'suite.toml:10: [[run]] "light" target #1: error_rate < 5 is not a fraction: error_rate thresholds go from 0 to 1 (0.01 = 1%)'],
    [`${HEAD}${RUN}[[run.target]]\nmetric = "p99"\ncomparator = "<"\n`, 'suite.toml:7: [[run]] "light" target #1: threshold must be a number'],
    [`${HEAD}${RUN}[[run.target]]\nmetric = "p99"\ncomparator = "<"\nthreshold = 1\nendpoints = "GET /x"\n`, 'suite.toml:11: [[run]] "light" target #1: endpoints must be an array of names'],
    [`${HEAD}${RUN}[[run.target]]\nlabel = 7\nmetric = "p99"\ncomparator = "<"\nthreshold = 1\n`, 'suite.toml:8: [[run]] "light" target #1 label must be a string, got 7'],
    [`name = "s"\ntargets = "gone.txt"\n${RUN}`, `suite.toml:2: targets "gone.txt" not found (${join(dir, 'gone.txt')}): a Vegeta targets file, relative to the suite file's directory`],
    [`name = "s"\ntargets = "."\n${RUN}`, `suite.toml:2: targets ${dir} is a directory, not a targets file`],
    // smol-toml's own words follow FILE:LINE:COL.
    ['name = "s"\ntargets = "api.txt\n', /^suite\.toml:2:\d+: TOML syntax error: [^\n]+$/],
    ['[[run]\n', /^suite\.toml:1:\d+: TOML syntax error: [^\n]+$/],
  ];
  for (const [text, expected] of cases) {
    const found = problems(text);
    assert.equal(found.length, 1, `${text}\n${found.join('\n')}`);
    if (typeof expected === 'string') assert.equal(found[0], expected, text);
    else assert.match(found[0] ?? '', expected, text);
  }
});

test('every problem of a file is reported at once, in the file\'s order, each on its own line', () => {
  const text = [
    'name = "my suite"', 'targets = "api.txt"', 'typo = 1',
    '[[run]]', 'name = "light"', 'rate = "10/fortnight"', 'duration = "3x"',
    '[[run]]', 'name = "light"', 'rate = 0', 'duration = 1',
    '[[run.target]]', 'metric = "p99"', 'comparator = "=="', 'threshold = 1',
  ].join('\n');
  const found = problems(text);
  assert.deepEqual(found.map((m) => m.split(':').slice(0, 2).join(':')), [1, 3, 6, 7, 9, 10, 14].map((n) => `suite.toml:${n}`), found.join('\n'));
  assert.ok(found.every((m) => !m.includes('\n')));
});

test('the targets file\'s own problems name its FILE:LINE', () => {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'sub', 'bad.txt'), 'GET /relative\n');
  assert.deepEqual(problems(`name = "s"\ntargets = "sub/bad.txt"\n${RUN}`), ['sub/bad.txt:1: URL "/relative" is not absolute: write the whole URL, e.g. https://example.com/relative']);
});

test('the line of a key in arrays of tables: each [[run]] and its [[run.target]] by index', () => {
  const text = 'name = "s"\n[[run]]\nname = "a"\n[[run.target]]\nmetric = "p99"\n[[run]]\nname = "b"\n[[run.target]]\nmetric = "p50"\n[[run.target]]\nmetric = "max"\n';
  const cases: Array<[Array<string | number>, number | null]> = [
    [['name'], 1], [['run', 0], 2], [['run', 0, 'name'], 3], [['run', 0, 'target', 0], 4], [['run', 0, 'target', 0, 'metric'], 5],
    [['run', 1], 6], [['run', 1, 'name'], 7], [['run', 1, 'target', 0, 'metric'], 9], [['run', 1, 'target', 1], 10],
    [['run', 1, 'target', 1, 'metric'], 11], [['run', 2], null], [['run', 0, 'target', 1], null],
  ];
  for (const [path, line] of cases) assert.equal(tomlIndexedKeyLine(text, path), line, path.join('.'));
});
