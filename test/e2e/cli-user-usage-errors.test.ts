/**
 * A user class that brood's own API refuses while it is made (between(5, 1), constant(-1), both
 * wait_time and waitTime as instance fields) cannot mean anything a run could do: the run stops at
 * once with one line and exit 2, and what it wrote so far is kept (issue 17). Before, it ran to -t
 * doing nothing and exited 1 with one exception row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const cases = [
  { name: 'between(5, 1)', field: 'waitTime = between(5, 1);', line: /between\(5, 1\): max must be >= min/ },
  { name: 'constant(-1)', field: 'waitTime = constant(-1);', line: /constant\(\): seconds must be a number of seconds >= 0, got -1/ },
  { name: 'wait_time and waitTime both', field: 'waitTime = constant(1);\n  wait_time = constant(2);', line: /Reader has both wait_time \(Locust's spelling\) and waitTime: keep waitTime/ },
];

for (const processes of [1, 2]) {
  for (const c of cases) {
    test(`a user class made with ${c.name} stops the run at once: one line, exit 2, files kept (--processes ${processes})`, async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'brood-usage-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'u.mjs');
      writeFileSync(file, `import { HttpUser, between, constant } from '${join(REPO_ROOT, 'dist/src/index.js')}';
export class Reader extends HttpUser {
  ${c.field}
  static tasks = ['r'];
  async r() { await this.client.get('/'); }
}
`);
      const started = Date.now();
      const r = await runCli(['-f', file, '-t', '20s', '--processes', String(processes), '--csv', join(dir, 'run'), '--only-summary']);
      assert.equal(r.code, 2, r.stderr + r.stdout);
      assert.ok(Date.now() - started < 10_000, 'stopped at once, long before -t 20s');
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', /^error: run stopped at 0\.\d s: /);
      assert.match(lines[0] ?? '', c.line);
      assert.match(lines[0] ?? '', /\(the results up to then are written\)$/);
      assert.ok(existsSync(join(dir, 'run_stats.csv')) && existsSync(join(dir, 'run.json')), 'the files so far are kept');
    });
  }
}
