/** README "Error codes" lists every code brood and analyze-results have, and no other. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalyzeErrorCodes } from '../../analyze/analyze-error.js';
import { ErrorCodes } from '../../src/core/error-codes.js';
import { REPO_ROOT } from '../helpers/cli.js';

test('README "Error codes" has one table row per code', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Error codes\n');
  assert.ok(start >= 0, 'the section exists');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| (.+) \|$/gm)].map((m) => m[1] ?? '');
  const expected = [...Object.keys(ErrorCodes), ...Object.keys(AnalyzeErrorCodes)];
  assert.deepEqual([...rows].sort(), [...expected].sort());
});
