import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigErrorCodes, ErrorCodes, ResponseErrorCodes } from '../../../src/core/error-codes.js';
import { ConfigError, ConfigErrors, isConfigError } from '../../../src/core/errors.js';

test('each code is its own name; the groups are disjoint and ErrorCodes is all of them', () => {
  for (const group of [ConfigErrorCodes, ResponseErrorCodes, ErrorCodes]) {
    assert.ok(Object.isFrozen(group));
    for (const [key, value] of Object.entries(group)) assert.equal(value, key);
  }
  const config = Object.keys(ConfigErrorCodes);
  const response = Object.keys(ResponseErrorCodes);
  assert.deepEqual(config.filter((c) => response.includes(c)), []);
  assert.deepEqual(Object.keys(ErrorCodes).sort(), [...config, 'CONFIG_ERRORS', ...response].sort());
});

test('the codes a ConfigError had before issue 18 are all still there, spelt the same', () => {
  const before = ['BAD_ARGUMENT', 'BAD_DURATION', 'BAD_NUMBER', 'BAD_HOST', 'UNKNOWN_SCENARIO', 'NO_TEST', 'TEST_FILE_MISSING', 'TEST_FILE_SYNTAX',
    'TEST_FILE_IMPORT', 'NO_USER_CLASS', 'BAD_USER_CLASS', 'BAD_TASKS', 'BAD_WAIT_TIME', 'BAD_SHAPE', 'BAD_TARGET', 'OUTPUT_NOT_WRITABLE', 'BAD_TLS_FILE', 'BAD_INPUT'];
  for (const code of before) assert.ok(Object.hasOwn(ConfigErrorCodes, code), code);
});

test('a ConfigError carries its code; ConfigErrors has its own and keeps each problem\'s', () => {
  const one = new ConfigError(ErrorCodes.BAD_HOST, '--host "x" is not a URL');
  assert.equal(one.code, 'BAD_HOST');
  const many = new ConfigErrors([one, new ConfigError('BAD_NUMBER', '-u "x" must be a number')]);
  assert.equal(many.code, 'CONFIG_ERRORS');
  assert.deepEqual(many.problems.map((p) => p.code), ['BAD_HOST', 'BAD_NUMBER']);
  assert.ok(isConfigError(one) && isConfigError(many));
});
