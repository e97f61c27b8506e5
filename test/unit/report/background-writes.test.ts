import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundWrites, DISK_OPS, type BackgroundFileOps } from '../../../src/report/background-writes.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'brood-background-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The real disk writes, each flush held until the test lets it go (a slow disk, on demand). */
function heldDisk(): { ops: BackgroundFileOps; flushes: Array<() => void>; written: string[] } {
  const flushes: Array<() => void> = [];
  const written: string[] = [];
  return {
    flushes,
    written,
    ops: {
      async writeDurably(tmp, data) {
        await DISK_OPS.writeDurably(tmp, data);
        written.push(data);
        await new Promise<void>((resolve) => flushes.push(resolve));
      },
    },
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  assert.ok(check(), 'condition not reached within 1 s');
}

test('a rewrite replaces the whole file off the main thread and leaves no temporary file', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'run_stats.csv');
  writeFileSync(path, 'old\r\n');
  const errors: unknown[] = [];
  const w = new BackgroundWrites((_, e) => errors.push(e));
  w.write(path, 'new, longer\r\n');
  assert.equal(readFileSync(path, 'utf8'), 'old\r\n', 'write() returned before the file was replaced');
  await w.settled();
  assert.equal(readFileSync(path, 'utf8'), 'new, longer\r\n');
  assert.deepEqual(readdirSync(dir), ['run_stats.csv']);
  assert.deepEqual(errors, []);
});

test('the main thread keeps running while the disk flushes; the file changes only once the flush ended', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'run_failures.csv');
  writeFileSync(path, 'v0');
  const disk = heldDisk();
  const w = new BackgroundWrites(() => {}, disk.ops);
  w.write(path, 'v1');
  await until(() => disk.flushes.length === 1);
  // The flush is outstanding: timers still fire and the old complete file is what a reader sees.
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  await new Promise((resolve) => setTimeout(resolve, 30));
  clearInterval(timer);
  assert.ok(ticks >= 5, `the event loop stalled (${ticks} ticks in 30 ms)`);
  assert.equal(readFileSync(path, 'utf8'), 'v0');
  disk.flushes.shift()?.();
  await w.settled();
  assert.equal(readFileSync(path, 'utf8'), 'v1');
});

test('rewrites asked for during a slow flush collapse into the newest one', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'run_exceptions.csv');
  const disk = heldDisk();
  const w = new BackgroundWrites(() => {}, disk.ops);
  w.write(path, 'a');
  await until(() => disk.flushes.length === 1);
  w.write(path, 'b');
  w.write(path, 'c');
  disk.flushes.shift()?.();
  await until(() => disk.flushes.length === 1);
  assert.equal(readFileSync(path, 'utf8'), 'a');
  disk.flushes.shift()?.();
  await w.settled();
  assert.deepEqual(disk.written, ['a', 'c'], '"b" was replaced by "c" while it waited');
  assert.equal(readFileSync(path, 'utf8'), 'c');
  assert.deepEqual(readdirSync(dir), ['run_exceptions.csv']);
});

test('writeNow() wins over a background rewrite still in flight: the older content is never renamed over it', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'run_stats.csv');
  const disk = heldDisk();
  const w = new BackgroundWrites(() => {}, disk.ops);
  w.write(path, 'interval');
  await until(() => disk.flushes.length === 1);
  w.write(path, 'interval, waiting');
  w.writeNow(path, 'final');
  assert.equal(readFileSync(path, 'utf8'), 'final');
  disk.flushes.shift()?.();
  await w.settled();
  await turn();
  assert.equal(readFileSync(path, 'utf8'), 'final');
  assert.deepEqual(disk.written, ['interval'], 'the waiting rewrite was dropped');
  assert.deepEqual(readdirSync(dir), ['run_stats.csv'], 'the dropped file was removed');
});

test('a failed rewrite is reported with its path, leaves the last complete file, and later rewrites still work', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'run_stats.csv');
  writeFileSync(path, 'complete');
  const errors: Array<[string, string]> = [];
  let fail = true;
  const w = new BackgroundWrites((p, e) => errors.push([p, (e as Error).message]), {
    async writeDurably(tmp, data) {
      await DISK_OPS.writeDurably(tmp, data);
      if (fail) throw new Error('ENOSPC: no space left on device');
    },
  });
  w.write(path, 'half');
  await w.settled();
  assert.deepEqual(errors, [[path, 'ENOSPC: no space left on device']]);
  assert.equal(readFileSync(path, 'utf8'), 'complete');
  assert.deepEqual(readdirSync(dir), ['run_stats.csv'], 'the temporary file was removed');
  fail = false;
  w.write(path, 'next');
  await w.settled();
  assert.equal(readFileSync(path, 'utf8'), 'next');
});

test('a symlink is followed and kept; a directory in the way is refused, not replaced', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'real'));
  const real = join(dir, 'real', 'stats.csv');
  const link = join(dir, 'link.csv');
  symlinkSync(real, link);
  const errors: string[] = [];
  const w = new BackgroundWrites((_, e) => errors.push((e as Error).message));
  w.write(link, 'through the link');
  const blocked = join(dir, 'blocked.csv');
  mkdirSync(blocked);
  w.write(blocked, 'never');
  await w.settled();
  assert.equal(readFileSync(real, 'utf8'), 'through the link');
  assert.equal(readFileSync(link, 'utf8'), 'through the link');
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /directory/);
  assert.deepEqual(readdirSync(blocked), [], 'the directory is still there, empty');
});
