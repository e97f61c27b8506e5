import { httpClientSettings } from '../../src/http/client-settings.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveOutputPaths } from '../../src/report/output-paths.js';
import { Job, type JobSetup } from '../../src/runner/job/run-job.js';

/** A Job with quiet output into a fresh temp directory; override what the test cares about. */
export function makeJob(overrides: Partial<JobSetup> & Pick<JobSetup, 'host' | 'userClasses'>): { job: Job; dir: string; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'brood-test-'));
  const lines: string[] = [];
  const job = new Job({
    version: 'test',
    command: 'test',
    tagFilter: { include: null, exclude: null },
    users: 1,
    spawnRate: 100,
    runTimeSec: 2,
    shape: null,
    shapeName: null,
    targets: [],
    scenario: null,
    testFile: null,
    seed: 1,
    stopTimeoutSec: 5,
    http: httpClientSettings({ requestTimeoutSec: 10 }),
    csvFullHistory: false,
    paths: resolveOutputPaths({ csvPrefix: join(dir, 'run'), html: join(dir, 'run.html'), json: join(dir, 'run.json'), resultsDir: dir, now: new Date() }),
    loglevel: 'warning',
    onlySummary: true,
    print: (l) => lines.push(l),
    ...overrides,
  });
  return { job, dir, lines };
}
