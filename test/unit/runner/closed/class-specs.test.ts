import { test } from 'node:test';
import assert from 'node:assert/strict';
import { User } from '../../../../src/core/user.js';
import { task, tag } from '../../../../src/core/task-decorators.js';
import { ConfigError } from '../../../../src/core/errors.js';
import { buildClassSpecs } from '../../../../src/runner/closed/class-specs.js';

class Reader extends User {
  @tag('read') @task(3) async browse(): Promise<void> {}
  @tag('slow') @task async report(): Promise<void> {}
}

class Writer extends User {
  @tag('write') @task async post(): Promise<void> {}
}

const filter = (include: string[] | null, exclude: string[] | null): { include: Set<string> | null; exclude: Set<string> | null } => ({
  include: include === null ? null : new Set(include),
  exclude: exclude === null ? null : new Set(exclude),
});

test('tags that some class carries filter as Locust does: classes left with no task are dropped', () => {
  assert.deepEqual(buildClassSpecs([Reader, Writer], filter(['write'], null)).map((s) => s.name), ['Writer']);
  assert.deepEqual(buildClassSpecs([Reader, Writer], filter(null, ['slow'])).map((s) => [s.name, s.table.tasks.map((t) => t.name)]), [['Reader', ['browse']], ['Writer', ['post']]]);
});

test('a tag no task carries is an error naming it and the tags there are, for --tags and --exclude-tags alike', () => {
  // Excluding a misspelt tag would run everything, slow tasks included, without a word.
  assert.throws(() => buildClassSpecs([Reader, Writer], filter(null, ['slwo'])), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.message, '--exclude-tags "slwo": no task of the user classes has this tag; the tags there are: read, slow, write');
    return true;
  });
  // Including one misspelt tag beside a real one would run less than asked.
  assert.throws(() => buildClassSpecs([Reader, Writer], filter(['read', 'wirte', 'x'], null)), /^ConfigError: --tags "wirte", "x": no task of the user classes has these tags; the tags there are: read, slow, write$/);
  class Untagged extends User {
    @task async only(): Promise<void> {}
  }
  assert.throws(() => buildClassSpecs([Untagged], filter(['read'], null)), /--tags "read": no task of the user classes has this tag; no task has a tag \(mark tasks with @tag\)/);
});
