import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../src/report/atomic-write.js';

test('writes and replaces the whole file, leaving no temporary file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-atomic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'run_stats.csv');
  writeFileAtomic(path, 'first\r\n');
  writeFileAtomic(path, 'second, longer\r\n');
  writeFileAtomic(path, Buffer.from('third\r\n'));
  assert.equal(readFileSync(path, 'utf8'), 'third\r\n');
  assert.deepEqual(readdirSync(dir), ['run_stats.csv']);
});

test('a failed rename removes the temporary file and throws', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-atomic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const target = join(dir, 'taken');
  mkdirSync(join(target, 'child'), { recursive: true }); // a non-empty directory cannot be renamed over
  assert.throws(() => writeFileAtomic(target, 'data'));
  assert.deepEqual(readdirSync(dir), ['taken']);
});
