/**
 * Every input of the adversarial table (cases.ts) is refused as the product promises: exit 2, one
 * stderr line naming its source, no stack trace, nothing created (issue 17).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CASES } from './cases.js';
import { refusalProblems, runCase } from './input-case.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

let live: RecordingServer | null = null;
before(async () => {
  live = await startRecordingServer();
});
after(async () => live?.close());

test('the table covers at least 150 inputs over every surface', () => {
  assert.ok(CASES.length >= 150, `${CASES.length} cases`);
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, 'case names are unique');
});

describe('bad input: one line, exit 2, no stack trace, nothing written', { concurrency: 4 }, () => {
  for (const c of CASES) {
    test(c.name, { timeout: 60_000 }, async () => {
      const problems = refusalProblems(c, await runCase(c, live?.url ?? 'http://127.0.0.1:9'));
      assert.equal(problems, null, problems ?? '');
    });
  }
});
