import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputFileProblem, realOutputPath } from '../../../src/report/output-target.js';
import { writeFileAtomic } from '../../../src/report/atomic-write.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'brood-target-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A character device made by the test (same numbers as /dev/null), so no real device is at stake. */
function makeDevice(path: string): boolean {
  try {
    execFileSync('mknod', [path, 'c', '1', '3'], { stdio: 'ignore' });
    return statSync(path).isCharacterDevice();
  } catch {
    return false; // not root: the caller skips
  }
}

test('a new path and a regular file are fine; a symlink resolves to its final target', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'real.html'), 'old');
  symlinkSync('real.html', join(dir, 'link1'));
  symlinkSync(join(dir, 'link1'), join(dir, 'link2'));
  symlinkSync('missing/new.html', join(dir, 'dangling'));
  assert.equal(outputFileProblem(join(dir, 'new.html')), null);
  assert.equal(outputFileProblem(join(dir, 'real.html')), null);
  assert.equal(outputFileProblem(join(dir, 'link2')), null);
  assert.equal(outputFileProblem(join(dir, 'dangling')), null);
  assert.equal(realOutputPath(join(dir, 'link2')), join(dir, 'real.html'));
  assert.equal(realOutputPath(join(dir, 'dangling')), join(dir, 'missing', 'new.html'));
  assert.equal(realOutputPath(join(dir, 'new.html')), join(dir, 'new.html'));
});

test('directories, FIFOs, sockets, devices, loops, stdout and - are refused, each in one line', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'adir'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(dir, 'sock'), resolve));
  t.after(() => server.close());
  symlinkSync('loop-b', join(dir, 'loop-a'));
  symlinkSync('loop-a', join(dir, 'loop-b'));
  symlinkSync('fifo', join(dir, 'to-fifo'));
  const cases: Array<[string, RegExp]> = [
    [join(dir, 'adir'), /adir is a directory, not a regular file: give the path of a file to write$/],
    [join(dir, 'fifo'), /fifo is a named pipe \(FIFO\), not a regular file/],
    [join(dir, 'sock'), /sock is a socket, not a regular file/],
    [join(dir, 'loop-a'), /loop-a is a symlink loop/],
    [join(dir, 'to-fifo'), /to-fifo \(→ .*fifo\) is a named pipe/],
    ['/dev/stdout', /^output file \/dev\/stdout is an open file of a process \(\/proc\/self\/fd\/1\)/],
    ['-', /^output file '-' \(standard output\) is not supported/],
  ];
  if (makeDevice(join(dir, 'null'))) cases.push([join(dir, 'null'), /null is a character device, not a regular file/]);
  for (const [path, message] of cases) {
    const problem = outputFileProblem(path);
    assert.ok(problem !== null, `${path} refused`);
    assert.match(problem, message);
    assert.doesNotMatch(problem, /\n/);
  }
});

test('writeFileAtomic writes through a symlink (the link stays) and never replaces a device', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'real.json'), 'old');
  symlinkSync('real.json', join(dir, 'link.json'));
  writeFileAtomic(join(dir, 'link.json'), 'new');
  assert.ok(lstatSync(join(dir, 'link.json')).isSymbolicLink(), 'the link is still a link');
  assert.equal(readFileSync(join(dir, 'real.json'), 'utf8'), 'new');
  symlinkSync('sub/made.json', join(dir, 'dangling.json'));
  mkdirSync(join(dir, 'sub'));
  writeFileAtomic(join(dir, 'dangling.json'), 'made');
  assert.equal(readFileSync(join(dir, 'sub', 'made.json'), 'utf8'), 'made');
  assert.ok(lstatSync(join(dir, 'dangling.json')).isSymbolicLink());

  const device = join(dir, 'null');
  if (!makeDevice(device)) {
    t.diagnostic('mknod needs root: device case skipped');
    return;
  }
  assert.throws(() => writeFileAtomic(device, 'x'), /is a character device/);
  assert.ok(statSync(device).isCharacterDevice(), 'still a device');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'no temporary file left');
});
