import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Inbox } from '../../../src/broker/stream-link.js';

test('each message is taken once, in order: repeats (a resend) are dropped, the new tail of an overlapping entry is kept', () => {
  const inbox = new Inbox();
  assert.deepEqual(inbox.accept(1, ['a', 'b']), ['a', 'b']);
  assert.deepEqual(inbox.accept(1, ['a', 'b', 'c']), ['c'], 'a resend of 1..3 after 1..2 arrived');
  assert.deepEqual(inbox.accept(2, ['b', 'c']), [], 'all seen');
  assert.equal(inbox.last, 3);
});

test('an entry past a gap waits for the resend (the broker lost what came between)', () => {
  const inbox = new Inbox();
  inbox.accept(1, ['a']);
  assert.deepEqual(inbox.accept(4, ['d']), [], '2 and 3 are missing');
  assert.equal(inbox.last, 1);
  assert.deepEqual(inbox.accept(2, ['b', 'c', 'd']), ['b', 'c', 'd']);
  assert.equal(inbox.last, 4);
});

test('an empty entry (an ack carrier) takes nothing and moves nothing', () => {
  const inbox = new Inbox();
  inbox.accept(1, ['a']);
  assert.deepEqual(inbox.accept(2, []), []);
  assert.equal(inbox.last, 1);
});
