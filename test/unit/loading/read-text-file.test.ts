import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/core/errors.js';
import { readTextFile } from '../../../src/loading/read-text-file.js';

const dir = mkdtempSync(join(tmpdir(), 'brood-read-text-'));
const role = (shown: string, maxBytes = 1024) => ({ kind: 'config file', shown, flag: '--config', maxBytes });

function refusal(name: string, maxBytes?: number): string {
  try {
    readTextFile(join(dir, name), role(name, maxBytes));
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  return 'read';
}

test('each way a path is not a text file is one line naming it', () => {
  mkdirSync(join(dir, 'adir'));
  writeFileSync(join(dir, 'nul.conf'), Buffer.concat([Buffer.from('users = 5\nhost = x\n'), Buffer.from([0, 1]), Buffer.from('\n')]));
  writeFileSync(join(dir, 'big.conf'), 'x'.repeat(4096));
  assert.equal(refusal('nope.conf'), 'config file not found: nope.conf');
  assert.equal(refusal('adir'), '--config adir is a directory, not a config file');
  assert.equal(refusal('nul.conf'), 'nul.conf is not a text config file (binary data or not UTF-8 at line 3)');
  assert.equal(refusal('big.conf'), '--config big.conf is 4096 bytes: too big for a config file (at most 1024 bytes)');
});

test('a FIFO is refused at once (reading it would wait for a writer forever)', { timeout: 5000 }, (t) => {
  try {
    execFileSync('mkfifo', [join(dir, 'fifo.conf')]);
  } catch {
    t.skip('no mkfifo here');
    return;
  }
  assert.equal(refusal('fifo.conf'), '--config fifo.conf is a FIFO, not a config file');
});

test('text comes back whole, without a byte-order mark', () => {
  writeFileSync(join(dir, 'ok.conf'), '\uFEFFusers = 5\nhost = "café"\n');
  assert.equal(readTextFile(join(dir, 'ok.conf'), role('ok.conf')), 'users = 5\nhost = "café"\n');
});
