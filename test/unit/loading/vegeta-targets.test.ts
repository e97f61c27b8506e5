/**
 * Vegeta's targets files: the http and json formats as Vegeta reads them (tsenart/vegeta
 * lib/targets.go and lib/targets_test.go), every malformed case on its own, and the places brood
 * is stricter than Vegeta.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ConfigErrors } from '../../../src/core/errors.js';
import { loadVegetaTargets, parseVegetaTargets, type VegetaTarget, type VegetaTargetsFormat } from '../../../src/loading/vegeta-targets.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'vegeta');
const FILE = 't.txt';
const tmp = mkdtempSync(join(tmpdir(), 'brood-vegeta-'));

function parse(text: string, format: VegetaTargetsFormat = 'http', baseDir = FIXTURES): VegetaTarget[] {
  return parseVegetaTargets(text, format, FILE, baseDir);
}

/** Every problem's message; each must be a BAD_TARGETS_FILE ConfigError inside a ConfigErrors. */
function problems(text: string, format: VegetaTargetsFormat = 'http', baseDir = FIXTURES): string[] {
  try {
    parse(text, format, baseDir);
  } catch (e) {
    assert.ok(e instanceof ConfigErrors, String(e));
    for (const p of e.problems) {
      assert.ok(p instanceof ConfigError);
      assert.equal(p.code, 'BAD_TARGETS_FILE');
      assert.match(p.message, /^t\.txt:\d+: \S/, 'starts with file:line');
      assert.ok(!p.message.includes('\n'), `one line: ${p.message}`);
    }
    return e.problems.map((p) => p.message);
  }
  assert.fail(`parsed without a problem: ${JSON.stringify(text)}`);
}

/** The one problem of a file, checked against a pattern. */
function problem(text: string, pattern: RegExp, format: VegetaTargetsFormat = 'http', baseDir = FIXTURES): void {
  const found = problems(text, format, baseDir);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0] ?? '', pattern);
}

const learnBody = readFileSync(join(FIXTURES, 'bodies', 'learn.json'));
const recallBody = readFileSync(join(FIXTURES, 'bodies', 'recall.json'));

test('a realistic targets file (the seed\'s targets/api.txt, against the demo server) loads', () => {
  const path = join(FIXTURES, 'api.txt');
  const targets = loadVegetaTargets(path, 'http');
  const json = 'application/json';
  assert.deepEqual(targets, [
    { method: 'GET', url: 'http://localhost:8000/health', headers: [], body: null, line: 2 },
    { method: 'POST', url: 'http://localhost:8000/learn', headers: [['Content-Type', json]], body: learnBody, line: 4 },
    { method: 'GET', url: 'http://localhost:8000/recall?q=load%20testing&limit=5', headers: [['Accept', json]], body: null, line: 8 },
    { method: 'POST', url: 'http://localhost:8000/recall', headers: [['Content-Type', json]], body: recallBody, line: 11 },
    { method: 'POST', url: 'http://localhost:8000/learn', headers: [['Content-Type', json], ['X-Variant', 'second']], body: learnBody, line: 16 },
  ]);
  assert.equal(targets[1]?.body, targets[4]?.body, 'a body file named twice is read once');
});

test('Vegeta README examples: targets on consecutive lines, headers, bodies, comments', () => {
  const targets = parse(
    [
      'GET http://goku:9090/path/to/dragon?item=ball',
      'GET http://user:password@goku:9090/path/to',
      'HEAD http://goku:9090/path/to/success',
      '',
      '# get a dragon ball',
      'DELETE http://goku:9090/path/to/remove',
      'Confirmation-Token: 90215',
      'Authorization: Token DEADBEEF',
      '',
      'POST http://goku:9090/things',
      'X-Account-ID: 99',
      '@bodies/learn.json',
      'PATCH http://goku:9090/thing/71988591',
      '@bodies/recall.json',
      'SUBSCRIBE http://foobar.org/sub',
    ].join('\n'),
  );
  assert.deepEqual(
    targets.map((t) => [t.line, t.method, t.url, t.headers.length, t.body?.length ?? null]),
    [
      [1, 'GET', 'http://goku:9090/path/to/dragon?item=ball', 0, null],
      [2, 'GET', 'http://user:password@goku:9090/path/to', 0, null],
      [3, 'HEAD', 'http://goku:9090/path/to/success', 0, null],
      [6, 'DELETE', 'http://goku:9090/path/to/remove', 2, null],
      [10, 'POST', 'http://goku:9090/things', 1, learnBody.length],
      [13, 'PATCH', 'http://goku:9090/thing/71988591', 0, recallBody.length],
      [15, 'SUBSCRIBE', 'http://foobar.org/sub', 0, null],
    ],
  );
});

test('headers: split at the first colon, trimmed, names as written, repeated names kept in order', () => {
  const [t] = parse('GET https://a.test/\nX-Header: 1\n x-header :2 \nAuthorization: Basic dTpw:extra\nX-Header:3');
  assert.deepEqual(t?.headers, [
    ['X-Header', '1'],
    ['x-header', '2'],
    ['Authorization', 'Basic dTpw:extra'],
    ['X-Header', '3'],
  ]);
});

test('a line over 64 KiB is read whole (Vegeta\'s line scanner silently stops there)', () => {
  const cookie = 'a'.repeat(70_000);
  const targets = parse(`GET http://a.test/\nCookie: ${cookie}\n\nGET http://b.test/`);
  assert.deepEqual(targets.map((t) => [t.url, t.headers[0]?.[1].length ?? 0]), [['http://a.test/', 70_000], ['http://b.test/', 0]]);
});

test('a Host header is kept as written; a second one (in any case) is an error', () => {
  assert.deepEqual(parse('GET http://10.0.0.1/\nHost: api.test')[0]?.headers, [['Host', 'api.test']]);
  problem('GET http://10.0.0.1/\nHost: a.test\nhost: b.test', /^t\.txt:3: second Host header: a request has one Host; keep one$/);
  problem('{"method":"GET","url":"http://x.test/","header":{"Host":["a","b"]}}', /^t\.txt:1: second Host header/, 'json');
});

test('comments are skipped anywhere: before, between and inside targets, and after @body', () => {
  const targets = parse('# first\n  # indented\nGET http://a.test/\n# inside\nX-A: 1\n# again\nX-B: 2\n@bodies/learn.json\n# after body\nGET http://b.test/\n');
  assert.deepEqual(targets.map((t) => [t.line, t.url, t.headers.length]), [[3, 'http://a.test/', 2], [10, 'http://b.test/', 0]]);
});

test('leading and trailing whitespace and CRLF line endings read as plain lines', () => {
  const targets = parse('  \t\n   GET http://a.test/   \n\tX-A:   1  \n  @bodies/learn.json  \n\n');
  assert.deepEqual(targets, [{ method: 'GET', url: 'http://a.test/', headers: [['X-A', '1']], body: learnBody, line: 2 }]);
  const crlf = loadVegetaTargets(join(FIXTURES, 'crlf.txt'), 'http');
  assert.deepEqual(crlf.map((t) => [t.line, t.method, t.url, t.headers, t.body?.length ?? null]), [
    [1, 'GET', 'http://localhost:8000/health', [['X-Trace', '1']], null],
    [4, 'POST', 'http://localhost:8000/learn', [['Content-Type', 'application/json']], learnBody.length],
  ]);
});

test('@body paths resolve against baseDir; an absolute one is used as is', () => {
  const abs = join(FIXTURES, 'bodies', 'recall.json');
  const [a, b] = parse(`POST http://a.test/\n@learn.json\n\nPOST http://a.test/\n@${abs}`, 'http', join(FIXTURES, 'bodies'));
  assert.deepEqual(a?.body, learnBody);
  assert.deepEqual(b?.body, recallBody);
});

test('an upper-case method Vegeta has never heard of is sent as written, as Vegeta does', () => {
  assert.deepEqual(parse('PURGE http://cache.test/x\nFOO https://a.test/').map((t) => t.method), ['PURGE', 'FOO']);
});

test('target line: each malformed method or URL is its own problem, with the fix', () => {
  problem('get http://a.test/', /^t\.txt:1: method "get" must be upper-case: write GET \(Vegeta refuses lower-case methods\)$/);
  problem('Post http://a.test/', /^t\.txt:1: method "Post" must be upper-case: write POST/);
  problem('DO_WORK http://a.test/', /^t\.txt:1: method "DO_WORK" is not valid: a method is upper-case letters A-Z/);
  problem('GET', /^t\.txt:1: target line "GET" has no URL: expected "METHOD URL", e\.g\. "GET https:\/\/example\.com\/"$/);
  problem('http://a.test/', /^t\.txt:1: target line "http:\/\/a\.test\/" has no method: write "GET http:\/\/a\.test\/"$/);
  problem('GET foobar', /^t\.txt:1: URL "foobar" is not absolute: write the whole URL, e\.g\. https:\/\/example\.com\/foobar$/);
  problem('GET /path?q=1', /^t\.txt:1: URL "\/path\?q=1" is not absolute/);
  problem('GET ftp://a.test/file', /^t\.txt:1: URL "ftp:\/\/a\.test\/file" has the scheme "ftp": only http:\/\/ and https:\/\/ URLs can be targets$/);
  problem('GET localhost:8080/x', /^t\.txt:1: URL "localhost:8080\/x" has the scheme "localhost"/);
  problem('GET http://:6060/', /^t\.txt:1: URL "http:\/\/:6060\/" has no host: write one, e\.g\. http:\/\/localhost:8080\//);
  problem('GET http:///x', /^t\.txt:1: URL "http:\/\/\/x" has no host/);
  problem('GET http:a.test', /^t\.txt:1: URL "http:a\.test" has no host/);
  problem('GET http://a.test/#top', /^t\.txt:1: URL "http:\/\/a\.test\/#top" has a #fragment, which is never sent/);
  problem('GET http://a.test/a\\b', /^t\.txt:1: URL .* holds a backslash/);
  problem('GET http://a.test:99999/', /^t\.txt:1: URL "http:\/\/a\.test:99999\/" is not a valid URL/);
  problem('GET http://a.test/ HTTP/1.1', /^t\.txt:1: URL "http:\/\/a\.test\/ HTTP\/1\.1" holds a space: write it as %20/);
  problem('GET  http://a.test/', /^t\.txt:1: method and URL must be separated by one space/);
  problem('GET\thttp://a.test/', /^t\.txt:1: method and URL must be separated by one space/);
  assert.deepEqual(problems('get foobar'), [
    't.txt:1: method "get" must be upper-case: write GET (Vegeta refuses lower-case methods)',
    't.txt:1: URL "foobar" is not absolute: write the whole URL, e.g. https://example.com/foobar',
  ]);
});

test('header lines: outside a target, without a colon, without a name or value, with a bad name', () => {
  problem('X-A: 1\nGET http://a.test/', /^t\.txt:1: header line outside a target: headers go right under their "METHOD URL" line/);
  problem('GET http://a.test/\n\nX-A: 1\nX-B: 2\nGET http://b.test/', /^t\.txt:3: header line outside a target/);
  assert.deepEqual(problems('GET http://a.test/\n\nX-A: 1\nX-B').map((m) => m.split(': ')[0]), ['t.txt:3', 't.txt:4'], 'the stray block is still checked');
  problem('GET http://a.test/\nAuthorization', /^t\.txt:2: expected a header line "Name: value" \(or a blank line before the next target\), got "Authorization"$/);
  problem('GET http://a.test/\nAuthorization:', /^t\.txt:2: header "Authorization" has no value: Vegeta refuses an empty one/);
  problem('GET http://a.test/\n: 1234', /^t\.txt:2: header line ": 1234" has no name/);
  problem('GET http://a.test/\nX-Y Z: 1', /^t\.txt:2: header name "X-Y Z" is not valid: use letters, digits/);
  problem('GET http://a.test/\nget http://b.test/', /^t\.txt:2: header name "get http" is not valid/);
});

test('a target after headers or comments needs a blank line (Vegeta would read it as a header)', () => {
  problem('GET http://a.test/\nX-A: 1\nPOST http://b.test/', /^t\.txt:3: a target line after headers or comments needs a blank line before it: "POST http:\/\/b\.test\/"$/);
  problem('GET http://a.test/\n# note\nPOST http://b.test/', /^t\.txt:3: a target line after headers or comments needs a blank line/);
});

test('@body lines: missing file, a directory, too big, a second one, misplaced, empty, spaced', () => {
  mkdirSync(join(tmp, 'adir'));
  writeFileSync(join(tmp, 'big.bin'), '');
  truncateSync(join(tmp, 'big.bin'), 64 * 1024 * 1024 + 1);
  writeFileSync(join(tmp, 'ok.bin'), Buffer.from([0, 1, 2, 255]));
  assert.deepEqual(parse('PUT http://a.test/\n@ok.bin', 'http', tmp)[0]?.body, Buffer.from([0, 1, 2, 255]), 'binary bodies are bytes');
  const missing = join(tmp, 'nope.json');
  assert.deepEqual(problems('POST http://a.test/\n@nope.json', 'http', tmp), [
    `t.txt:2: body file ${missing} not found (an @path is relative to the targets file's directory)`,
  ]);
  problem('POST http://a.test/\n@adir', new RegExp(`^t\\.txt:2: body file ${join(tmp, 'adir')} is a directory: an @ line names a file$`), 'http', tmp);
  problem('POST http://a.test/\n@big.bin', new RegExp(`^t\\.txt:2: body file ${join(tmp, 'big.bin')} is over 64 MiB: too big for a request body$`), 'http', tmp);
  problem('POST http://a.test/\n@ok.bin\n@ok.bin', /^t\.txt:3: second @body line: a target has at most one body file, got "@ok\.bin"$/, 'http', tmp);
  problem('POST http://a.test/\n@ok.bin\nX-A: 1', /^t\.txt:3: header after the @body line: the @body line must be its target's last line/, 'http', tmp);
  problem('@ok.bin\nPOST http://a.test/', /^t\.txt:1: @body line outside a target/, 'http', tmp);
  problem('POST http://a.test/\n@', /^t\.txt:2: an @ line needs a file path/, 'http', tmp);
  problem('POST http://a.test/\n@ ok.bin', /^t\.txt:2: write the body path right after @, without a space/, 'http', tmp);
});

test('an empty file, or one of comments only, is an error', () => {
  assert.deepEqual(problems(''), ['t.txt:1: the file is empty: expected at least one "METHOD URL" line, e.g. "GET https://example.com/"']);
  problem(' \n\r\n\t\n', /^t\.txt:1: the file is empty/);
  assert.deepEqual(problems('# nothing yet\n  # still nothing\n'), ['t.txt:1: no targets in the file: expected at least one "METHOD URL" line, e.g. "GET https://example.com/"']);
  problem('', /^t\.txt:1: the file is empty: expected one JSON object per line, e\.g\. \{"method":"GET","url":"https:\/\/example\.com\/"\}$/, 'json');
  problem('\n\n', /^t\.txt:1: the file is empty/, 'json');
});

test('every problem of a file comes back at once, each with its line, and no more than 20', () => {
  const text = ['GET http://ok.test/', 'get http://a.test/', '', 'X-A: 1', '', 'POST /relative', 'Content-Type', '@missing.json', '', 'GET http://ok.test/'].join('\n');
  assert.deepEqual(
    problems(text).map((m) => m.split(': ')[0]),
    ['t.txt:2', 't.txt:4', 't.txt:6', 't.txt:7', 't.txt:8'],
  );
  const many = Array.from({ length: 30 }, (_, i) => `get http://a.test/${i}\n`).join('\n');
  const found = problems(many);
  assert.equal(found.length, 20);
  assert.match(found[19] ?? '', /^t\.txt:39: /);
});

test('json: one object per line, blank lines and whitespace skipped, CRLF, a last line without newline', () => {
  const text = [
    '{"method":"GET","url":"http://localhost:8000/health"}',
    '',
    '  {"method":"POST","url":"http://localhost:8000/learn","header":{"Content-Type":["application/json"],"X-A":["1","2"]},"body":"eyJ0ZXh0IjoiaGkifQ=="}  ',
    '{"url":"https://a.test/","method":"PUT","body":"QQ"}\r',
    '{"method":"DELETE","url":"https://a.test/1","body":"","header":{}}',
  ].join('\n');
  const targets = parse(text, 'json');
  assert.deepEqual(targets, [
    { method: 'GET', url: 'http://localhost:8000/health', headers: [], body: null, line: 1 },
    {
      method: 'POST',
      url: 'http://localhost:8000/learn',
      headers: [['Content-Type', 'application/json'], ['X-A', '1'], ['X-A', '2']],
      body: Buffer.from('{"text":"hi"}'),
      line: 3,
    },
    { method: 'PUT', url: 'https://a.test/', headers: [], body: Buffer.from('A'), line: 4 },
    { method: 'DELETE', url: 'https://a.test/1', headers: [], body: null, line: 5 },
  ]);
  assert.equal(loadVegetaTargets(join(FIXTURES, 'api.jsonl'), 'json').length, 2);
});

test('json: each malformed line is its own problem', () => {
  const ok = '"url":"http://a.test/"';
  problem('{"method":"GET",', /^t\.txt:1: not a JSON object \(.+\): the json format is one object per line/, 'json');
  problem('GET http://a.test/', /^t\.txt:1: not a JSON object/, 'json');
  problem('# comment', /^t\.txt:1: not a JSON object/, 'json');
  problem('{"method":"GET","url":"http://a.test/"} {"method":"GET","url":"http://b.test/"}', /^t\.txt:1: not a JSON object/, 'json');
  problem('[1]', /^t\.txt:1: expected a JSON object like .*, got an array$/, 'json');
  problem('null', /^t\.txt:1: expected a JSON object like .*, got "null"$/, 'json');
  problem(`{${ok}}`, /^t\.txt:1: "method" is required: e\.g\. \{"method":"GET"/, 'json');
  problem(`{"method":"",${ok}}`, /^t\.txt:1: "method" is required/, 'json');
  problem('{"method":"GET"}', /^t\.txt:1: "url" is required/, 'json');
  problem(`{"method":null,${ok}}`, /^t\.txt:1: "method" must be a string, got "null"$/, 'json');
  problem(`{"method":7,${ok}}`, /^t\.txt:1: "method" must be a string, got "7"$/, 'json');
  problem(`{"method":"get",${ok}}`, /^t\.txt:1: method "get" must be upper-case: write GET/, 'json');
  problem('{"method":"GET","url":"/relative"}', /^t\.txt:1: URL "\/relative" is not absolute/, 'json');
  problem('{"method":"GET","url":"ws://a.test/"}', /^t\.txt:1: URL "ws:\/\/a\.test\/" has the scheme "ws"/, 'json');
  problem(`{"method":"GET",${ok},"headers":{"X-A":["1"]}}`, /^t\.txt:1: unknown key "headers": a target has only "method", "url", "body" and "header"$/, 'json');
  problem(`{"method":"GET",${ok},"header":["X-A: 1"]}`, /^t\.txt:1: "header" must be an object of string lists/, 'json');
  problem(`{"method":"GET",${ok},"header":null}`, /^t\.txt:1: "header" must be an object of string lists/, 'json');
  problem(`{"method":"GET",${ok},"header":{"X-A":"1"}}`, /^t\.txt:1: "header" "X-A" must be a list of strings, e\.g\. \{"X-A":\["value"\]\}, got "\\"1\\""$/, 'json');
  problem(`{"method":"GET",${ok},"header":{"X-A":[1]}}`, /^t\.txt:1: "header" "X-A" must be a list of strings/, 'json');
  problem(`{"method":"GET",${ok},"header":{"X-A":null}}`, /^t\.txt:1: "header" "X-A" must be a list of strings/, 'json');
  problem(`{"method":"GET",${ok},"header":{"X A":["1"]}}`, /^t\.txt:1: header name "X A" is not valid/, 'json');
  problem(`{"method":"GET",${ok},"header":{"X-A":["a\\nb"]}}`, /^t\.txt:1: header "X-A" has a control character in its value/, 'json');
  problem(`{"method":"GET",${ok},"body":null}`, /^t\.txt:1: "body" must be a base64 string \(leave the key out for no body\), got "null"$/, 'json');
});

test('json: base64 bodies are checked strictly (padding may be left out)', () => {
  const body = (b64: string) => parse(`{"method":"POST","url":"http://a.test/","body":${JSON.stringify(b64)}}`, 'json')[0]?.body;
  assert.deepEqual(body('QVRUQUNLIQ=='), Buffer.from('ATTACK!'));
  assert.deepEqual(body('QVRUQUNLIQ'), Buffer.from('ATTACK!'));
  assert.deepEqual(body('+/+/'), Buffer.from([0xfb, 0xff, 0xbf]));
  for (const bad of ['NOT BASE64', 'QVRUQUNLIQ=', 'QVRUQUNLIQ===', 'Q', 'QR==', '-_-_', 'QUJD\nREVG', 'QQ==QQ==']) {
    problem(
      `{"method":"POST","url":"http://a.test/","body":${JSON.stringify(bad)}}`,
      /^t\.txt:1: "body" is not valid base64: ".*" \(encode the bytes with standard base64, e\.g\. base64 -w0 file\)$/,
      'json',
    );
  }
});

test('json: several bad lines are reported together with their lines', () => {
  const text = ['{"method":"GET","url":"http://ok.test/"}', '{"method":"GET"}', '', 'not json', '{"url":"http://a.test/","body":"!!"}'].join('\n');
  assert.deepEqual(
    problems(text, 'json').map((m) => m.split(': ')[0]),
    ['t.txt:2', 't.txt:4', 't.txt:5', 't.txt:5'],
  );
});

test('loadVegetaTargets: a missing path or a directory is one line from the text-file reader', () => {
  assert.throws(() => loadVegetaTargets(join(tmp, 'none.txt'), 'http'), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.message, `targets file not found: ${join(tmp, 'none.txt')}`);
    return true;
  });
  assert.throws(() => loadVegetaTargets(FIXTURES, 'http'), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.message, `--targets ${FIXTURES} is a directory, not a targets file`);
    return true;
  });
});
