import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirectories } from '../../../src/report/make-directories.js';

test('creates every missing level, and is fine when the directory exists', () => {
  const root = mkdtempSync(join(tmpdir(), 'brood-mkdir-'));
  const deep = join(root, 'a', 'b', 'c');
  makeDirectories(deep);
  assert.ok(statSync(deep).isDirectory());
  makeDirectories(deep);
  makeDirectories(root);
});

test('fails with the OS code instead of spinning: under a file (ENOTDIR), under /proc (ENOENT)', () => {
  const root = mkdtempSync(join(tmpdir(), 'brood-mkdir-'));
  const file = join(root, 'file');
  writeFileSync(file, 'x');
  assert.throws(() => makeDirectories(join(file, 'sub', 'deeper')), { code: 'ENOTDIR' });
  assert.throws(() => makeDirectories(file), { code: 'ENOTDIR' });
  // fs.mkdirSync(…, { recursive: true }) never returns here on Node 20.
  assert.throws(() => makeDirectories('/proc/brood-test/x'), { code: 'ENOENT' });
});
