import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tomlKeyLine } from '../../../src/loading/toml-key-line.js';
import { loadTomlScenario } from '../../../src/loading/load-toml-scenario.js';
import { ConfigErrors } from '../../../src/core/errors.js';

const TEXT = `# a scenario
name = "x"  # the name
description = """
[arrival]
rate = 1 (inside a string: not a key)
"""
[arrival]
pattern = "constant"
  rate   = 0
"quoted" = 1

[ data . embedding_distribution ]
type = "x"
[data]
embedding_distribution.num_clusters = 3
[validation]
inline = { rate = 5 }
`;

test('the line that sets a key: under its [table], dotted, quoted, indented; not inside a multi-line string', () => {
  const cases: Array<[string[], number | null]> = [
    [['name'], 2],
    [['arrival'], 7],
    [['arrival', 'rate'], 9],
    [['arrival', 'quoted'], 10],
    [['data', 'embedding_distribution', 'type'], 13],
    [['data', 'embedding_distribution'], 12],
    [['data', 'embedding_distribution', 'num_clusters'], 15],
    [['validation', 'inline', 'rate'], null],
    [['operations'], null],
    [['description'], 3],
  ];
  for (const [path, line] of cases) assert.equal(tomlKeyLine(TEXT, path), line, path.join('.'));
});

test('a scenario file\'s schema problems name FILE:LINE like its syntax errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-toml-line-'));
  writeFileSync(join(dir, 'arr0.toml'), 'name = "t"\n\n[arrival]\npattern = "ramp"\nfrom = 1.0\nto = 10.0\nover = 0\n[operations]\nstore_weight = 1.0\n');
  writeFileSync(join(dir, 'none.toml'), 'name = "t"\n[arrival]\npattern = "constant"\n');
  const problems = (file: string): string[] => {
    try {
      loadTomlScenario(join(dir, file), dir);
    } catch (e) {
      if (e instanceof ConfigErrors) return e.problems.map((p) => p.message);
    }
    return [];
  };
  assert.deepEqual(problems('arr0.toml'), ['arr0.toml:7: [arrival] over must be a number > 0 and at most 31536000, got 0']);
  // A required key that is missing points at its table's header; a table nobody wrote has no line.
  assert.deepEqual(problems('none.toml'), [
    'none.toml:2: [arrival] rate is required for pattern "constant"',
    'none.toml: [operations] needs at least one weight > 0 (store_weight, recall_weight, embedding_search_weight, pattern_completion_weight, consolidation_weight)',
  ]);
});
