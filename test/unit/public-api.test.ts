/**
 * The public API (`brood`, src/index.ts) holds what test files, shapes, scenarios and user classes
 * need, and shapes/, scenarios/ and users/ use nothing else of src/ (STYLE.md: "import only from
 * 'brood'"): a deep import there would be something a user's own file could not write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as brood from '../../src/index.js';
// Types a test file, a shape or a user class names: this file does not compile if one is missing.
import type { ConfigErrorCode, EntrySummary, ErrorCode, HistoryPoint, OperationName, ResponseErrorCode, ShapeRunView, TomlScenario } from '../../src/index.js';
import { ErrorCodes } from '../../src/core/error-codes.js';
import { ConfigError, ConfigErrors } from '../../src/core/errors.js';
import { REPO_ROOT } from '../helpers/cli.js';

export type PublicTypes = [ConfigErrorCode, EntrySummary, ErrorCode, HistoryPoint, OperationName, ResponseErrorCode, ShapeRunView, TomlScenario];

test('errors and their codes are public, the very objects brood throws', () => {
  assert.equal(brood.ConfigError, ConfigError);
  assert.equal(brood.ConfigErrors, ConfigErrors);
  assert.equal(brood.ErrorCodes, ErrorCodes);
  assert.equal(brood.ErrorCodes.BAD_SHAPE, 'BAD_SHAPE');
  assert.equal(brood.ConfigErrorCodes.BAD_SHAPE, 'BAD_SHAPE');
  assert.equal(brood.ResponseErrorCodes.BODY_TOO_LARGE, 'BODY_TOO_LARGE');
});

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

test('shapes/, scenarios/ and users/ import src/ only through its public entry', () => {
  const entry = join(REPO_ROOT, 'src', 'index.ts');
  const deep: string[] = [];
  let publicImports = 0;
  for (const file of ['shapes', 'scenarios', 'users'].flatMap((d) => sources(join(REPO_ROOT, d)))) {
    for (const [, spec = ''] of readFileSync(file, 'utf8').matchAll(/\bfrom\s+'([^']+)'/g)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (!relative(join(REPO_ROOT, 'src'), target).startsWith('..')) {
        if (target === entry) publicImports++;
        else deep.push(`${relative(REPO_ROOT, file)}: ${spec}`);
      }
    }
  }
  assert.ok(publicImports > 10, 'the check saw the imports of the public API');
  assert.deepEqual(deep, []);
});
