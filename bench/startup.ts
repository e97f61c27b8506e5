/**
 * Start-up (issue 5, target 6): `run-load-tests --help` under 300 ms, and the first request of a
 * run on the wire within 1 s of starting the process. Peers measured in the same run: a bare
 * `node -e ""` (the floor any Node CLI pays) and a bare undici script that sends one request.
 *
 *   node dist/bench/startup.js [--rounds 7]
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { argNumber, median } from './bench-args.js';
import { startTarget } from './target-process.js';

const CLI = fileURLToPath(new URL('../../bin/run-load-tests.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../bench/fixtures/throughput-user.mjs', import.meta.url));
const rounds = argNumber('--rounds', 7);

function timeCommand(args: string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return performance.now() - started;
}

/** Wall ms from spawning `args` to the target seeing its first request. */
async function timeToFirstRequest(args: (url: string) => string[]): Promise<number> {
  const target = await startTarget({ cpu: null, taskset: false });
  try {
    const startedWall = Date.now();
    const child = spawn(process.execPath, args(target.url), { stdio: 'ignore' });
    let first = 0;
    for (let i = 0; i < 100 && first === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      first = await target.firstRequestWallMs();
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    if (first === 0) throw new Error('no request within 5 s');
    return first - startedWall;
  } finally {
    await target.stop();
  }
}

const bareNode: number[] = [];
const help: number[] = [];
for (let i = 0; i < rounds; i++) {
  bareNode.push(timeCommand(['-e', '']));
  help.push(timeCommand([CLI, '--help']));
}
const bareRequest: number[] = [];
const firstRequest: number[] = [];
const undiciScript = `import('undici').then(async (u) => { const r = await u.request(process.argv[1] + '/'); await r.body.dump(); })`;
for (let i = 0; i < Math.min(rounds, 5); i++) {
  bareRequest.push(await timeToFirstRequest((url) => ['-e', undiciScript, url]));
  firstRequest.push(await timeToFirstRequest((url) => [CLI, '-f', FIXTURE, '-H', url, '-u', '1', '-r', '1', '-t', '10s', '--only-summary', '--results-dir', '/tmp/brood-startup-bench']));
}
const m = (xs: number[]): string => `${median(xs).toFixed(0)} ms`;
console.log(`--help:          brood ${m(help)} vs bare node ${m(bareNode)} (ratio ${(median(help) / median(bareNode)).toFixed(2)}); target < 300 ms: ${median(help) < 300 ? 'met' : 'NOT met'}`);
console.log(`first request:   brood ${m(firstRequest)} vs bare undici script ${m(bareRequest)} (ratio ${(median(firstRequest) / median(bareRequest)).toFixed(2)}); target < 1000 ms: ${median(firstRequest) < 1000 ? 'met' : 'NOT met'}`);
