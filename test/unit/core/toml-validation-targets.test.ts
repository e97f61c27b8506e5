import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import { ConfigErrors } from '../../../src/core/errors.js';
import { parseTomlScenario } from '../../../src/core/toml-scenario.js';

const BASE = `
name = "t"
[arrival]
pattern = "constant"
rate = 10.0
[operations]
store_weight = 1.0
`;

function problems(validation: string): string[] {
  try {
    parseTomlScenario(parse(`${BASE}[validation]\n${validation}\n`), 's.toml');
    return [];
  } catch (e) {
    if (e instanceof ConfigErrors) return e.problems.map((p) => p.message);
    throw e;
  }
}

test('[validation] targets of 0 or less are refused (a P99 of at most 0 ms can never be met; a throughput of 0 was silently not judged)', () => {
  const one = (text: string, re: RegExp): void => {
    const got = problems(text);
    assert.equal(got.length, 1, got.join('\n'));
    assert.match(got[0] ?? '', re);
  };
  one('expected_p99_latency_ms = 0.0', /^s\.toml(:\d+)?: \[validation\] expected_p99_latency_ms must be .*> 0/);
  one('expected_p99_latency_ms = -5.0', /^s\.toml(:\d+)?: \[validation\] expected_p99_latency_ms must be .*> 0/);
  one('expected_throughput_ops_sec = 0.0', /^s\.toml(:\d+)?: \[validation\] expected_throughput_ops_sec must be .*> 0/);
  one('max_error_rate = -0.1', /^s\.toml(:\d+)?: \[validation\] max_error_rate must be /);
});

test('[validation] max_error_rate = 0 (no errors allowed) and positive targets are accepted', () => {
  assert.deepEqual(problems('max_error_rate = 0.0\nexpected_p99_latency_ms = 10.0\nexpected_throughput_ops_sec = 100.0'), []);
});
