import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyzeError } from '../../../analyze/analyze-error.js';
import { targetsForRun, targetsFromSpec } from '../../../analyze/target-source.js';
import type { LoadedRun } from '../../../analyze/loaded-run.js';
import { scenarioTargets } from '../../../scenarios/scenario-targets.js';

const codeOf = (code: string) => (e: unknown): boolean => e instanceof AnalyzeError && e.code === code;

test('--targets NAME gives the scenario\'s targets; anything else is a file', () => {
  assert.deepEqual(targetsFromSpec('api'), { origin: 'scenario api', targets: scenarioTargets('api') });
  // An Object.prototype key is no scenario: read as a file name, which does not exist.
  assert.throws(() => targetsFromSpec('constructor'), codeOf('FILE_UNREADABLE'));
  const dir = mkdtempSync(join(tmpdir(), 'brood-targets-'));
  try {
    const file = join(dir, 't.json');
    writeFileSync(file, JSON.stringify([{ metric: 'p95', comparator: '<', threshold: 100 }]));
    assert.deepEqual(targetsFromSpec(file), { origin: `file ${file}`, targets: [{ metric: 'p95', comparator: '<', threshold: 100 }] });
    writeFileSync(file, '{"metric":');
    assert.throws(() => targetsFromSpec(file), codeOf('BAD_JSON'));
    writeFileSync(file, '{}');
    assert.throws(() => targetsFromSpec(file), codeOf('BAD_JSON'));
    writeFileSync(file, JSON.stringify([{ metric: 'p42', comparator: '<', threshold: 1 }]));
    assert.throws(() => targetsFromSpec(file), (e: unknown) => codeOf('BAD_TARGET')(e) && /t\.json target #1: metric must be one of/.test((e as Error).message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a run's JSON naming a scenario is judged by that scenario's targets, else by its own", () => {
  const run = (scenario: string | null, declared: LoadedRun['declaredTargets']): LoadedRun =>
    ({ meta: { scenario }, declaredTargets: declared }) as unknown as LoadedRun;
  assert.deepEqual(targetsForRun(run('search', []), null), { origin: "scenario search (named in the run's JSON)", targets: scenarioTargets('search') });
  const own = [{ metric: 'p99', comparator: '<', threshold: 5 }] as const;
  assert.deepEqual(targetsForRun(run('toString', [...own]), null), { origin: "the run's declared targets", targets: [...own] });
  assert.equal(targetsForRun(run(null, []), null), null);
  const given = { origin: 'scenario quick', targets: scenarioTargets('quick') };
  assert.equal(targetsForRun(run('search', []), given), given);
});
