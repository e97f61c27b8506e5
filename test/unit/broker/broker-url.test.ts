import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPassword, parseBrokerUrl } from '../../../src/broker/broker-url.js';
import { ConfigError } from '../../../src/core/errors.js';

test('redis:// and rediss:// are accepted; the password never shows', () => {
  const u = parseBrokerUrl('redis://:s3cret@10.0.0.5:6379/2', '--broker');
  assert.equal(u.url, 'redis://:s3cret@10.0.0.5:6379/2');
  assert.equal(u.shown, 'redis://:***@10.0.0.5:6379/2');
  assert.equal(u.tls, false);
  const t = parseBrokerUrl('rediss://default:pw@redis.example:6380', '--broker');
  assert.equal(t.tls, true);
  assert.equal(t.shown, 'rediss://default:***@redis.example:6380');
});

test('anything else is one ConfigError naming where it came from, the password masked', () => {
  const cases: Array<[string, RegExp]> = [
    ['http://127.0.0.1:6379', /BROOD_BROKER http:\/\/127\.0\.0\.1:6379: the broker is Redis/],
    ['redis', /not a URL/],
    ['ftp://u:hunter2@host', /ftp:\/\/u:\*\*\*@host/],
    ['redis://host:6379/abc', /database number/],
  ];
  for (const [text, line] of cases) {
    assert.throws(() => parseBrokerUrl(text, 'BROOD_BROKER'), (e: unknown) => e instanceof ConfigError && e.code === 'BAD_BROKER' && line.test(e.message) && !e.message.includes('hunter2'), text);
  }
});

test('maskPassword leaves URLs without a password alone', () => {
  assert.equal(maskPassword('redis://host:6379'), 'redis://host:6379');
  assert.equal(maskPassword('redis://user@host'), 'redis://user@host');
  assert.equal(maskPassword('redis://user:p%40ss@host'), 'redis://user:***@host');
});
