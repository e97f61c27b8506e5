import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HttpUser } from '../../src/index.js';
import { OTHER_FAILURES_ERROR, DEFAULT_MAX_FAILURE_GROUPS } from '../../src/stats/failures.js';
import { OTHER_EXCEPTIONS_MESSAGE, DEFAULT_MAX_EXCEPTION_GROUPS } from '../../src/stats/exceptions.js';
import { DEFAULT_MAX_ENTRIES, OTHER_ENTRIES_NAME } from '../../src/stats/registry.js';
import { makeJob } from '../helpers/job.js';
import type { Job } from '../../src/runner/job/run-job.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';

const servers: TargetServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Runs until `requests()` passes `warmRequests` (the limits are reached: a busy machine may take
 * longer than the usual 1.5 s, so this waits for the count, not for a time), then measures heap
 * (after GC) and requests over at least 3 s and until `measuredRequests` more were made (up to 20 s:
 * a busy CI machine once made only 4 741 in 3 s, too few for an unbounded heap to show), then stops.
 */
async function measureStorm(job: Job, requests: () => number, warmRequests: number, measuredRequests: number): Promise<{ heapStart: number; heapEnd: number; requestsStart: number; requestsDuring: number }> {
  const done = job.run();
  await sleep(1500);
  for (let waited = 0; requests() <= warmRequests && waited < 20_000; waited += 100) await sleep(100);
  const heapStart = heapAfterGc();
  const requestsStart = requests();
  await sleep(3000);
  for (let waited = 0; requests() - requestsStart <= measuredRequests && waited < 20_000; waited += 100) await sleep(100);
  const heapEnd = heapAfterGc();
  const requestsDuring = requests() - requestsStart;
  job.stop('enough');
  await done;
  return { heapStart, heapEnd, requestsStart, requestsDuring };
}

test('error storm (100% errors, every message unique, full speed): groups stay bounded, heap flat', async () => {
  const target = await startTargetServer({ status: () => 500, body: 'x'.repeat(100) });
  servers.push(target);
  let n = 0;
  const pad = 'p'.repeat(900); // long unique texts, so unbounded groups would show in the heap at once
  class Storm extends HttpUser {
    static override tasks = { fail: 1 };
    async fail(): Promise<void> {
      const i = n++;
      const r = await this.client.get('/storm', { catchResponse: true });
      r.failure(`unique failure ${i} ${pad}`);
      if (i % 2 === 0) throw new Error(`unique exception ${i} ${pad}`);
    }
  }
  const { job } = makeJob({ host: target.url, userClasses: [Storm], users: 20, spawnRate: 1000, runTimeSec: 60 });
  const { heapStart, heapEnd, requestsStart, requestsDuring } = await measureStorm(job, () => n, DEFAULT_MAX_FAILURE_GROUPS * 2, 5000);

  assert.ok(requestsStart > DEFAULT_MAX_FAILURE_GROUPS * 2, `the limits were reached before measuring (${requestsStart} requests)`);
  assert.ok(requestsDuring > 5000, `a storm: ${requestsDuring} unique failures while measured`);
  const failures = job.stats.failures();
  assert.ok(failures.length <= DEFAULT_MAX_FAILURE_GROUPS + 1, `failure groups bounded: ${failures.length}`);
  const other = failures.find((f) => f.error === OTHER_FAILURES_ERROR);
  assert.ok(other && other.occurrences > requestsDuring / 2, 'the rest merged as "other"');
  const exceptions = job.stats.exceptions();
  assert.ok(exceptions.length <= DEFAULT_MAX_EXCEPTION_GROUPS + 1, `exception groups bounded: ${exceptions.length}`);
  assert.ok((exceptions.find((e) => e.message === OTHER_EXCEPTIONS_MESSAGE)?.count ?? 0) > 0);
  const growthMb = (heapEnd - heapStart) / 2 ** 20;
  // Unbounded, ~1 KB per unique failure and ~2 KB per unique exception: tens of MB in 3 s.
  assert.ok(growthMb < 8, `heap after GC grew ${growthMb.toFixed(1)} MB over ${requestsDuring} unique errors (limit 8 MB)`);
});

test('unique URLs without name= (ids in the path), all failing: entries and failure groups stay bounded, heap flat', async () => {
  const target = await startTargetServer({ status: () => 500 });
  servers.push(target);
  let n = 0;
  class UniqueUrls extends HttpUser {
    static override tasks = { hit: 1 };
    async hit(): Promise<void> {
      // The id is in the query: the test server counts by path, so it holds nothing per request.
      await this.client.get(`/item?id=${n++}&q=${'x'.repeat(200)}`);
    }
  }
  const { job } = makeJob({ host: target.url, userClasses: [UniqueUrls], users: 20, spawnRate: 1000, runTimeSec: 60 });
  const { heapStart, heapEnd, requestsStart, requestsDuring } = await measureStorm(job, () => n, DEFAULT_MAX_ENTRIES, 0);

  assert.ok(requestsStart > DEFAULT_MAX_ENTRIES, `the entry limit was reached before measuring (${requestsStart} requests)`);
  assert.ok(job.stats.size <= DEFAULT_MAX_ENTRIES + 1, `entries bounded: ${job.stats.size}`);
  const other = job.stats.summaries(Date.now()).entries.find((e) => e.name === OTHER_ENTRIES_NAME);
  assert.ok(other && other.numRequests >= requestsDuring / 2, 'new names are counted under "other"');
  assert.ok(job.stats.failures().length <= DEFAULT_MAX_FAILURE_GROUPS + 1, `failure groups bounded: ${job.stats.failures().length}`);
  const growthMb = (heapEnd - heapStart) / 2 ** 20;
  assert.ok(growthMb < 8, `heap after GC grew ${growthMb.toFixed(1)} MB over ${requestsDuring} unique URLs (limit 8 MB)`);
});
