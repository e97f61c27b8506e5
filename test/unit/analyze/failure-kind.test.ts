import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureKind, type FailureKind } from '../../../analyze/failure-kind.js';

const cases: Array<[string, FailureKind]> = [
  ['ECONNREFUSED', 'connection'],
  ["ConnectionRefusedError(111, 'Connection refused')", 'connection'],
  ['connection closed by server (UND_ERR_SOCKET)', 'connection'],
  ['EMFILE', 'connection'],
  ['timeout after 30000 ms', 'timeout'],
  ["ReadTimeout(ReadTimeoutError(\"HTTPConnectionPool: Read timed out.\"))", 'timeout'],
  ['HTTP 503', 'overload'],
  ["HTTPError('429 Client Error: Too Many Requests for url: /x')", 'overload'],
  ['HTTP 500', 'server-error'],
  ["HTTPError('502 Server Error: Bad Gateway for url: /x')", 'server-error'],
  ['HTTP 504', 'server-error'],
  ['HTTP 404', 'not-found'],
  ['HTTP 400', 'client-error'],
  ["CatchResponseError('custom check failed: cart looked empty')", 'check'],
];

for (const [message, kind] of cases) {
  test(`failure kind of ${message}`, () => assert.equal(failureKind(message), kind));
}
