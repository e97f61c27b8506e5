/**
 * Two builds of brood at the same moment on the same core: for telling whether a change made
 * brood's CPU per request smaller, on a host whose steal moves a single run's figure by 20-40 %.
 *
 * bench/throughput.ts runs one generator at a time, so the host's neighbours (steal, and the cache
 * they evict) differ from one round to the next; a 3 % change cannot be seen through that. Here
 * build A and build B run together, both pinned to CPU 0, each with half the users, against one
 * target on CPU 1: whatever the host does, it does to both. Each side's figure is its whole-run CPU
 * (/proc) over its own request count; both include the same start-up, which cancels in the ratio.
 * A against itself reads 1.00 ± 0.02 on the 2-core VM this was written on (median of 5 rounds).
 *
 * Sharing a core favours the smaller working set a little (each switch evicts the other's cache),
 * so use it for A/B of brood against brood, not against another tool.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/side-by-side.js --a DIR [--b DIR] [--rounds 5] [--duration 20] [--users 25]
 *     [--a-node-flags '--flag …'] [--b-node-flags '--flag …']   (node/V8 flags for one side: --a . compares flags on one build)
 *
 * DIR is a checkout with bin/, dist/ (built), bench/fixtures/ and node_modules/, e.g. the commit
 * before a change: `git worktree add /tmp/base HEAD~1 && ln -s $PWD/node_modules /tmp/base/ && (cd /tmp/base && npx tsc -p tsconfig.json)`.
 * --b defaults to this checkout.
 */
import { join } from 'node:path';
import { argNumber, argString, median } from './bench-args.js';
import { REPO_ROOT, runBrood, type BroodRunResult } from './brood-process.js';
import { tasksetAvailable } from './pinning.js';
import { startTarget, type TargetProcess } from './target-process.js';

function run(root: string, target: TargetProcess, users: number, durationSec: number, taskset: boolean, nodeFlags: readonly string[]): Promise<BroodRunResult> {
  const fixture = join(root, 'bench', 'fixtures', 'throughput-user.mjs');
  return runBrood({
    root,
    nodeFlags,
    args: ['-f', fixture, '-H', target.url, '-u', String(users), '-r', '1000', '-t', `${durationSec}s`, '--seed', '1'],
    cpu: 0,
    taskset,
  });
}

const usPerRequest = (r: BroodRunResult): number => (r.cpuSec * 1e6) / r.json.summary.total_operations;

async function main(): Promise<void> {
  const a = argString('--a', '');
  if (a === '') throw new Error('--a DIR is required (a checkout of the build to compare against)');
  const b = argString('--b', REPO_ROOT);
  const rounds = argNumber('--rounds', 5);
  const durationSec = argNumber('--duration', 20);
  const users = argNumber('--users', 25);
  const flagsA = argString('--a-node-flags', '').split(' ').filter((f) => f !== '');
  const flagsB = argString('--b-node-flags', '').split(' ').filter((f) => f !== '');
  const taskset = tasksetAvailable();
  if (!taskset) console.log('taskset unavailable: the two builds are NOT pinned to one core; the comparison means little');
  const target = await startTarget({ kind: 'net', cpu: 1, taskset });
  console.log(`side by side: A ${a}${flagsA.length > 0 ? ` (${flagsA.join(' ')})` : ''}, B ${b}${flagsB.length > 0 ? ` (${flagsB.join(' ')})` : ''}; ${users} users each, ${durationSec}s, ${rounds} rounds, both on CPU 0, target on CPU 1`);
  const ratios: number[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      // Which one starts first alternates, so that neither gets the head start every round.
      const [ra, rb] = round % 2 === 1
        ? await Promise.all([run(a, target, users, durationSec, taskset, flagsA), run(b, target, users, durationSec, taskset, flagsB)])
        : await Promise.all([run(b, target, users, durationSec, taskset, flagsB), run(a, target, users, durationSec, taskset, flagsA)]).then(([y, x]) => [x, y] as const);
      for (const r of [ra, rb]) if (r.json.summary.total_failures > 0) throw new Error(`a run failed ${r.json.summary.total_failures} requests`);
      const [ua, ub] = [usPerRequest(ra), usPerRequest(rb)];
      ratios.push(ub / ua);
      console.log(`  round ${round}: A ${ua.toFixed(2)} µs/req (${ra.json.summary.total_operations} requests), B ${ub.toFixed(2)} µs/req (${rb.json.summary.total_operations}); B/A ${(ub / ua).toFixed(3)}`);
    }
  } finally {
    await target.stop();
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(`B/A CPU per request: median ${median(ratios).toFixed(3)} (rounds ${sorted.map((x) => x.toFixed(3)).join(' ')}); below 1 means B is cheaper`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
