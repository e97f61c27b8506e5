import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleTempFiles, writeFileAtomic } from '../../../src/report/atomic-write.js';

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

test('leftovers of a killed writer are removed; a live writer\'s and other files are not', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-atomic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A process that has exited: its pid is (almost surely) not alive any more.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(gone.stdout);
  assert.ok(deadPid > 0);
  const files = {
    stale: `.run_stats.csv.tmp-${deadPid}-0a1b2c3d`,
    staleJson: `.run.json.tmp-${deadPid}-ffffffff`,
    live: `.run_stats.csv.tmp-${process.pid}-01234567`,
    otherPrefix: `.other_stats.csv.tmp-${deadPid}-0a1b2c3d`,
    notOurs: `.run_stats.csv.tmp-${deadPid}-zz`,
    real: 'run_stats.csv',
  };
  for (const f of Object.values(files)) writeFileSync(join(dir, f), 'x');
  const removed = removeStaleTempFiles([join(dir, 'run_stats.csv'), join(dir, 'run.json'), join(dir, 'missing', 'run.html')]);
  assert.deepEqual(removed.map((p) => p.slice(dir.length + 1)).sort(), [files.staleJson, files.stale].sort());
  assert.deepEqual(readdirSync(dir).sort(), [files.live, files.otherPrefix, files.notOurs, files.real].sort());
});
