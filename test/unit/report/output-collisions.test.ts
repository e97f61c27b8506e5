import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalOutputPath, outputCollisions } from '../../../src/report/output-collisions.js';

test('two outputs on one file are one line naming both; distinct files are fine', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-collide-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const x = join(dir, 'x');
  assert.deepEqual(outputCollisions([{ label: '--html', path: x }, { label: '--json', path: join(dir, 'y') }]), []);
  assert.deepEqual(outputCollisions([{ label: '--html', path: x }, { label: '--json', path: x }]), [`--html and --json would write the same file ${x}: give each output its own path`]);
  const three = outputCollisions([{ label: 'a', path: x }, { label: 'b', path: `${dir}/./x` }, { label: 'c', path: join(dir, 'sub', '..', 'x') }]);
  assert.equal(three.length, 1);
  assert.match(three[0] ?? '', /^a, b and c would write the same file/);
});

test('paths are compared as the kernel opens them: through a symlinked file or directory, even before the file exists', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-collide-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'real'));
  symlinkSync(join(dir, 'real'), join(dir, 'alias'));
  symlinkSync(join(dir, 'real', 'r.json'), join(dir, 'link.json'));
  assert.equal(canonicalOutputPath(join(dir, 'alias', 'r.json')), canonicalOutputPath(join(dir, 'real', 'r.json')));
  assert.equal(canonicalOutputPath(join(dir, 'link.json')), canonicalOutputPath(join(dir, 'real', 'r.json')));
  assert.equal(canonicalOutputPath(join(dir, 'alias', 'new', 'deeper', 'f')), canonicalOutputPath(join(dir, 'real', 'new', 'deeper', 'f')), 'directories that do not exist yet');
  assert.equal(outputCollisions([{ label: '--json', path: join(dir, 'real', 'r.json') }, { label: '--html', path: join(dir, 'link.json') }]).length, 1);
});
