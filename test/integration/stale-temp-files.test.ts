import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { User } from '../../src/core/user.js';
import { constant } from '../../src/core/wait-time.js';
import { makeJob } from '../helpers/job.js';

class Idle extends User {
  static override abstract = false;
  static override tasks = { nothing: 1 };
  override waitTime = constant(1);
  async nothing(): Promise<void> {}
}

test('a run removes the temporary files a killed run left beside its outputs, and says so in the log', async () => {
  const { job, dir } = makeJob({ host: 'http://127.0.0.1:9', userClasses: [Idle], users: 1, spawnRate: 10, runTimeSec: 1, loglevel: 'info' });
  try {
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const stale = join(dirname(job.paths.stats), `.${basename(job.paths.stats)}.tmp-${deadPid}-deadbeef`);
    writeFileSync(stale, 'half a file');
    await job.run();
    assert.equal(existsSync(stale), false);
    assert.match(readFileSync(job.paths.log, 'utf8'), /Removed .*tmp-\d+-deadbeef, left by a run that was killed while writing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
