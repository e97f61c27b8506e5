/** The errors a response throws into a task carry their stable codes (README "Error codes"). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ErrorCodes } from '../../../src/core/error-codes.js';
import { UnsupportedEncodingError } from '../../../src/http/content-decoding.js';
import { CONNECT_TIMEOUT_REASON, timeoutFailureReason } from '../../../src/http/failure-reason.js';
import { BodyTooLargeError, BroodResponse, HttpError } from '../../../src/http/response.js';

function response(status: number, error: string | null, cap = 1024): BroodResponse {
  const r = new BroodResponse('GET', '/x', 'http://127.0.0.1:1', '/x', cap, false);
  r.status = status;
  r.error = error;
  return r;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e: unknown) {
    return e;
  }
  assert.fail('nothing thrown');
}

test('raiseForStatus: HTTP_STATUS on a status >= 400, REQUEST_TIMEOUT when time ran out, NO_RESPONSE otherwise', () => {
  const cases: Array<[BroodResponse, string]> = [
    [response(500, 'HTTP 500'), ErrorCodes.HTTP_STATUS],
    [response(404, null), ErrorCodes.HTTP_STATUS],
    [response(0, timeoutFailureReason(500)), ErrorCodes.REQUEST_TIMEOUT],
    [response(0, CONNECT_TIMEOUT_REASON), ErrorCodes.REQUEST_TIMEOUT],
    [response(0, 'ECONNREFUSED'), ErrorCodes.NO_RESPONSE],
    [response(0, null), ErrorCodes.NO_RESPONSE],
  ];
  for (const [r, code] of cases) {
    const e = thrown(() => r.raiseForStatus());
    assert.ok(e instanceof HttpError);
    assert.equal(e.code, code, `${r.status} ${r.error}`);
  }
});

test('reading the body: BODY_TOO_LARGE, BODY_NOT_JSON (still a SyntaxError), UNSUPPORTED_ENCODING', () => {
  const big = response(200, null, 4);
  big.keep(Buffer.from('0123456789'));
  const tooLarge = thrown(() => big.text());
  assert.ok(tooLarge instanceof BodyTooLargeError);
  assert.equal(tooLarge.code, ErrorCodes.BODY_TOO_LARGE);

  const html = response(200, null);
  html.keep(Buffer.from('<html>'));
  const notJson = thrown(() => html.json());
  assert.ok(notJson instanceof SyntaxError);
  assert.equal(notJson.name, 'SyntaxError');
  assert.equal((notJson as SyntaxError & { code?: unknown }).code, ErrorCodes.BODY_NOT_JSON);

  const zipped = response(200, null);
  zipped.setRawHeaders([Buffer.from('content-encoding'), Buffer.from('compress')]);
  zipped.keep(gzipSync('x'));
  const encoding = thrown(() => zipped.text());
  assert.ok(encoding instanceof UnsupportedEncodingError);
  assert.equal(encoding.code, ErrorCodes.UNSUPPORTED_ENCODING);
});
