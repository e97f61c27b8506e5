import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { User } from '../../src/core/user.js';
import { constant } from '../../src/core/wait-time.js';
import { makeJob } from '../helpers/job.js';

/** A task that blocks the event loop for 150 ms each time (the tool, not the server, is the bottleneck). */
class BusyUser extends User {
  static override abstract = false;
  static override tasks = { spin: 1 };
  override waitTime = constant(0);
  async spin(): Promise<void> {
    const until = performance.now() + 150;
    while (performance.now() < until) { /* busy-wait */ }
  }
}

test('a run whose task blocks the event loop warns once and marks its intervals in the history and JSON', async () => {
  const { job, dir, lines } = makeJob({ host: 'http://127.0.0.1:9', userClasses: [BusyUser], users: 1, spawnRate: 10, runTimeSec: 2, historyIntervalMs: 500, selfMonitor: true });
  try {
    await job.run();
    const warnings = lines.filter((l) => l.startsWith('warning: brood itself is the bottleneck'));
    assert.equal(warnings.length, 1, lines.join('\n'));
    const json = JSON.parse(readFileSync(job.paths.json, 'utf8')) as { history: Array<{ generator_overloaded?: boolean; generator_cpu?: number; loop_delay_p99_ms?: number }> };
    const marked = json.history.filter((h) => h.generator_overloaded === true);
    assert.ok(marked.length >= 2, JSON.stringify(json.history));
    for (const h of json.history) {
      assert.equal(typeof h.generator_cpu, 'number');
      assert.equal(typeof h.loop_delay_p99_ms, 'number');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without self-monitoring the history carries no generator fields', async () => {
  const { job, dir } = makeJob({ host: 'http://127.0.0.1:9', userClasses: [BusyUser], users: 1, spawnRate: 10, runTimeSec: 1, historyIntervalMs: 500 });
  try {
    await job.run();
    const json = JSON.parse(readFileSync(job.paths.json, 'utf8')) as { history: Array<Record<string, unknown>> };
    assert.ok(json.history.length > 0);
    for (const h of json.history) assert.equal('generator_overloaded' in h, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
