import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLogLevel, RunLog } from '../../../src/report/run-log.js';

function tempLog(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'brood-log-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'run.log');
}

test('lines are timestamped, filtered by level and on disk immediately', (t) => {
  const path = tempLog(t);
  let now = Date.UTC(2026, 10, 23, 18, 49, 47, 95);
  const log = new RunLog(path, { level: 'info', now: () => now });
  log.debug('hidden');
  log.info('Ramping to 10 users');
  assert.equal(readFileSync(path, 'utf8'), '[2026-11-23T18:49:47.095Z] INFO Ramping to 10 users\n');
  now += 1000;
  log.warning('slow');
  log.error('Error: boom\n    at task\x1b[2J\r');
  log.close();
  log.error('after close is dropped');
  assert.equal(readFileSync(path, 'utf8'),
    '[2026-11-23T18:49:47.095Z] INFO Ramping to 10 users\n' +
    '[2026-11-23T18:49:48.095Z] WARNING slow\n' +
    '[2026-11-23T18:49:48.095Z] ERROR Error: boom\n        at task\n');
});

test('debug threshold keeps everything; error keeps only errors', (t) => {
  const path = tempLog(t);
  const debug = new RunLog(path, { level: 'debug', now: () => 0 });
  debug.debug('d');
  debug.close();
  const errorOnly = new RunLog(path, { level: 'error', now: () => 0 });
  errorOnly.warning('w');
  errorOnly.error('e');
  errorOnly.close();
  assert.equal(readFileSync(path, 'utf8'), '[1970-01-01T00:00:00.000Z] DEBUG d\n[1970-01-01T00:00:00.000Z] ERROR e\n');
});

test('parseLogLevel accepts Locust\'s spellings', () => {
  assert.equal(parseLogLevel('INFO'), 'info');
  assert.equal(parseLogLevel('Warning'), 'warning');
  assert.equal(parseLogLevel('warn'), 'warning');
  assert.equal(parseLogLevel('CRITICAL'), 'error');
  assert.equal(parseLogLevel('loud'), null);
});
