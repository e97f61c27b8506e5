import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedHostNames, basicCredentials, BasicAuthCheck, hostAllowed, hostPart, isLoopback, originAllowed } from '../../../src/web/web-security.js';

test('loopback addresses are the only ones the UI binds without --web-auth', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', 'example.com', 'localhost.example.com', '128.0.0.1']) assert.equal(isLoopback(h), false, h);
});

test('a Host header is compared by its host part, case-insensitively, without the port', () => {
  const cases: Array<[string, string]> = [['127.0.0.1:8089', '127.0.0.1'], ['LocalHost:1', 'localhost'], ['[::1]:8089', '[::1]'], ['::1', '[::1]'], ['example.com', 'example.com']];
  for (const [header, part] of cases) assert.equal(hostPart(header), part, header);
  const loopback = allowedHostNames('127.0.0.1');
  for (const h of ['127.0.0.1:8089', 'localhost:8089', '[::1]:8089', 'LOCALHOST']) assert.equal(hostAllowed(h, loopback, false), true, h);
  for (const h of ['evil.example', 'evil.example:8089', '127.0.0.1.evil.example', '', undefined]) assert.equal(hostAllowed(h, loopback, false), false, String(h));
  const named = allowedHostNames('10.0.0.5');
  assert.equal(hostAllowed('10.0.0.5:9000', named, false), true);
  assert.equal(hostAllowed('localhost:9000', named, false), false, 'bound elsewhere, localhost is not this UI');
  assert.equal(hostAllowed('any.name:9000', named, true), true, 'bound to every interface (with --web-auth): any name reaching it');
  assert.equal(hostAllowed(undefined, named, true), false, 'a request with no Host at all is refused');
});

test('a POST is accepted only from the UI\'s own origin (Origin, else Referer)', () => {
  const host = '127.0.0.1:8089';
  assert.equal(originAllowed('http://127.0.0.1:8089', undefined, host, 'http'), true);
  assert.equal(originAllowed(undefined, 'http://127.0.0.1:8089/some/page?x=1', host, 'http'), true);
  for (const [origin, referer] of [
    ['http://evil.example', undefined],
    ['http://127.0.0.1:8090', undefined],
    ['http://127.0.0.1:8089.evil.example', undefined],
    ['null', undefined],
    [undefined, 'http://evil.example/http://127.0.0.1:8089/'],
    [undefined, undefined],
    ['not a url', undefined],
    ['http://evil.example', 'http://127.0.0.1:8089/'],
  ] as const) assert.equal(originAllowed(origin, referer, host, 'http'), false, `${String(origin)} ${String(referer)}`);
});

test('basic auth: only the exact user:password passes; anything else, or nothing, does not', () => {
  const auth = new BasicAuthCheck('admin:s3:cret');
  const b64 = (s: string): string => `Basic ${Buffer.from(s).toString('base64')}`;
  assert.equal(auth.accepts(b64('admin:s3:cret')), true, 'a colon in the password is part of it');
  assert.equal(auth.accepts(`basic   ${Buffer.from('admin:s3:cret').toString('base64')}`), true);
  for (const h of [undefined, '', b64('admin:s3:cre'), b64('admin:s3:cret '), b64('Admin:s3:cret'), 'Bearer abc', b64(''), 'Basic !!!']) assert.equal(auth.accepts(h), false, String(h));
  assert.equal(basicCredentials(b64('a:b')), 'a:b');
  assert.equal(basicCredentials('Digest x'), null);
});
