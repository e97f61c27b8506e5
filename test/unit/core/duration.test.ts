import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DURATION_SEC, parseDuration } from '../../../src/core/duration.js';
import { parseTrace } from '../../../src/core/trace-records.js';

test('parseDuration: days beside h/m/s, up to the 365-day bound', () => {
  const ok: Array<[string, number]> = [
    ['1d', 86_400], ['2d12h', 216_000], ['1d 1h 1m 1s', 90_061], ['0.5d', 43_200], ['597h', 2_149_200],
    ['365d', MAX_DURATION_SEC], [String(MAX_DURATION_SEC), MAX_DURATION_SEC], ['364d24h', MAX_DURATION_SEC],
  ];
  for (const [text, seconds] of ok) assert.equal(parseDuration(text), seconds, text);
});

test('parseDuration: longer than 365 days is refused in one line naming the flag and the bound', () => {
  const tooLong = ['99999999999999999999', '366d', '365d1s', '8761h', '99999999999', '9'.repeat(400)];
  for (const text of tooLong) {
    assert.throws(() => parseDuration(text, '--stop-timeout'), (e: Error) => {
      assert.match(e.message, /^--stop-timeout ".*" is longer than the longest duration brood accepts \(365d\)$/);
      assert.ok(!e.message.includes('\n'));
      return true;
    }, text);
  }
});

test('parseDuration: what is not a finite positive duration stays "not a duration"', () => {
  for (const bad of ['1e400', 'Infinity', 'NaN', '0d', '-1d', '1w', 'd', '1dd']) {
    assert.throws(() => parseDuration(bad), /--time ".*" is not a duration: .*2d/, bad);
  }
});

test('a trace record whose offset is past 365 days is refused naming TRACE:LINE', () => {
  const text = ['{"t":0,"method":"GET","path":"/a"}', '{"t":1e10,"method":"GET","path":"/b"}'].join('\n');
  assert.throws(() => parseTrace(text, 'trace.jsonl'), /^ConfigError: trace\.jsonl:2: "t" 10000000000 is later than the longest run brood accepts \(365d/);
  assert.equal(parseTrace(`{"t":${MAX_DURATION_SEC},"method":"GET","path":"/a"}`, 'trace.jsonl').length, 1);
});
