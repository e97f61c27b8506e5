import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestFramer } from '../../../src/http/request-framer.js';

const STREAM =
  'GET / HTTP/1.1\r\nhost: x\r\n\r\n' +
  'POST /learn HTTP/1.1\r\nhost: x\r\ncontent-length: 12\r\n\r\n{"a":"\r\n\r\n"}' + // a body that contains a blank line
  'PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc' + // name not in lower case
  'GET /last HTTP/1.1\r\nhost: x\r\n\r\n';

test('requests are counted whatever the chunking, bodies (even with a blank line inside) skipped by Content-Length', () => {
  const bytes = Buffer.from(STREAM, 'latin1');
  for (const size of [1, 2, 3, 5, 7, 16, 31, 64, bytes.length]) {
    const framer = new RequestFramer();
    let total = 0;
    for (let i = 0; i < bytes.length; i += size) total += framer.feed(bytes.subarray(i, i + size));
    assert.equal(total, 4, `chunks of ${size}`);
  }
});

test('a request is not counted before its head is complete', () => {
  const framer = new RequestFramer();
  assert.equal(framer.feed(Buffer.from('GET / HTTP/1.1\r\nhost: x\r\n')), 0);
  assert.equal(framer.feed(Buffer.from('\r\n')), 1);
});
