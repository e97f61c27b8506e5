/**
 * Target 1 of issue 5: throughput per core WITH full user semantics (weighted task choice,
 * constant(0) think time, per-endpoint HDR stats, one keep-alive connection per user) against the
 * peer autocannon (raw URL hammering, no user model) — same target, same connections, same pinning,
 * same duration, in the same run, A B A B. The target (bench/target-server.ts, raw node:net by
 * default) runs in its own process on CPU 1; each generator runs in its own process on CPU 0.
 *
 * Both tools are measured the same way, over the steady window 25 %..90 % of the run: req/s as
 * counted by the target, and generator CPU per request (/proc). The tools' own figures are printed
 * too. On a machine shared with other work, CPU per request is the steadier of the two ratios.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/throughput.js [--duration 20] [--rounds 2] [--connections 50]
 *     [--target net|http] [--pool per-user|shared] [--profile DIR]   (--profile: brood runs with --cpu-prof)
 *     [--undici-floor]   (a third generator each round: bare undici Clients, bench/undici-loop.ts, the floor
 *                         under brood's own client; its ratios say how much of the gap is undici's)
 *     [--together]       (the tools of a round run at the same time, all on CPU 0, each against a target of
 *                         its own on CPU 1, the targets swapped from round to round)
 *
 * --together: on this host a tool's CPU per request moves by 20-60 % from one minute to the next
 * (bench/RESULTS.md), more than the difference being measured, so rounds taken one after the other
 * need many repeats to settle. Tools sharing one core at the same moment see the same host: each
 * one's CPU per request (its own /proc CPU over the requests its own target counted) is then compared
 * within the round. It measures efficiency per CPU-second; req/s alone is then each tool's share of
 * the core, not its speed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { argNumber, argString, median } from './bench-args.js';
import { ACCEPT_ENCODING, USER_AGENT } from '../src/http/request-headers.js';
import { REPO_ROOT, runBrood } from './brood-process.js';
import { pinned, tasksetAvailable } from './pinning.js';
import { measureWindow, SharedWindow, type SteadyWindow } from './steady-window.js';
import { startTarget, type TargetProcess } from './target-process.js';

type Tool = 'autocannon' | 'brood' | 'undici';

interface Round extends SteadyWindow {
  tool: Tool;
  /** What the tool itself reported, whole run. */
  reportedRps: number;
  failures: number;
}

interface Settings {
  target: TargetProcess;
  connections: number;
  durationSec: number;
  taskset: boolean;
  pool: string;
  profileDir: string | null;
  /** --together: the round's shared span (else each tool's window counts from its own spawn). */
  shared: SharedWindow | null;
}

function windowOf(s: Settings, pid: number, startedAt: number): Promise<SteadyWindow> {
  return s.shared !== null ? s.shared.measure(s.target, pid) : measureWindow(s.target, pid, startedAt, s.durationSec * 0.25, s.durationSec * 0.9);
}

/** Runs a node script pinned to CPU 0, measures its steady window, and returns that and its stdout once it exited 0. */
async function measuredNode(s: Settings, name: string, args: readonly string[]): Promise<{ window: SteadyWindow; out: string }> {
  const [cmd, argv] = pinned(0, process.execPath, args, s.taskset);
  const startedAt = Date.now();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const window = await windowOf(s, child.pid ?? -1, startedAt);
  const code = await exited;
  if (code !== 0) throw new Error(`${name} exited ${code}`);
  return { window, out };
}

async function autocannonRound(s: Settings): Promise<Round> {
  const cli = join(REPO_ROOT, 'node_modules', 'autocannon', 'autocannon.js');
  // The request headers brood sends by default (src/http/request-headers.ts), so both send the same bytes.
  const headers = ['-H', `user-agent=${USER_AGENT}`, '-H', `accept-encoding=${ACCEPT_ENCODING}`];
  const { window, out } = await measuredNode(s, 'autocannon', [cli, '-c', String(s.connections), '-d', String(s.durationSec), ...headers, '-j', `${s.target.url}/`]);
  const r = JSON.parse(out) as { duration: number; requests: { total: number }; errors: number; non2xx: number };
  return { tool: 'autocannon', ...window, reportedRps: r.requests.total / r.duration, failures: r.errors + r.non2xx };
}

async function undiciRound(s: Settings): Promise<Round> {
  const script = join(REPO_ROOT, 'dist', 'bench', 'undici-loop.js');
  const { window, out } = await measuredNode(s, 'undici-loop', [script, s.target.url, String(s.connections), String(s.durationSec)]);
  const r = JSON.parse(out) as { requests: number; failures: number; seconds: number };
  return { tool: 'undici', ...window, reportedRps: r.requests / r.seconds, failures: r.failures };
}

async function broodRound(s: Settings): Promise<Round> {
  const fixture = join(REPO_ROOT, 'bench', 'fixtures', 'throughput-user.mjs');
  let window: Promise<SteadyWindow> | null = null;
  const r = await runBrood({
    args: ['-f', fixture, '-H', s.target.url, '-u', String(s.connections), '-r', '1000', '-t', `${s.durationSec}s`, '--seed', '1', '--connection-pool', s.pool],
    cpu: 0,
    taskset: s.taskset,
    nodeFlags: s.profileDir ? ['--cpu-prof', '--cpu-prof-dir', s.profileDir] : [],
    onSpawn: (pid, startedAt) => {
      window = windowOf(s, pid, startedAt);
    },
  });
  const w = await (window as Promise<SteadyWindow> | null ?? Promise.reject(new Error('brood did not start')));
  return { tool: 'brood', ...w, reportedRps: r.json.summary.throughput_ops_sec, failures: r.json.summary.total_failures };
}

function summarize(results: readonly Round[], pool: string): void {
  const of = (tool: Tool, f: (r: Round) => number): number => median(results.filter((r) => r.tool === tool).map(f));
  const ac = of('autocannon', (r) => r.rps);
  const br = of('brood', (r) => r.rps);
  const acCpu = of('autocannon', (r) => r.cpuUsPerRequest);
  const brCpu = of('brood', (r) => r.cpuUsPerRequest);
  console.log(`median req/s (steady window, counted by the target): autocannon ${ac.toFixed(0)}, brood ${br.toFixed(0)} (full user model, ${pool} connections)`);
  console.log(`median generator CPU per request: autocannon ${acCpu.toFixed(2)} µs, brood ${brCpu.toFixed(2)} µs`);
  console.log(`ratio brood/autocannon req/s: ${(br / ac).toFixed(3)} (target >= 0.85)`);
  console.log(`ratio brood/autocannon requests per CPU-second: ${(acCpu / brCpu).toFixed(3)} (target >= 0.85)`);
  // Per round: brood against the autocannon run just before it (the same minutes of the host).
  const acRounds = results.filter((r) => r.tool === 'autocannon');
  const paired = results.filter((r) => r.tool === 'brood').map((b, i) => ({ b, a: acRounds[i] as Round }));
  const ratios = (ps: typeof paired): string => ps.map(({ a, b }) => (b.rps / a.rps).toFixed(3)).join(', ');
  console.log(`per-round req/s ratios brood/autocannon: ${ratios(paired)}; median ${median(paired.map(({ a, b }) => b.rps / a.rps)).toFixed(3)}`);
  // With no steal at all this host still has phases (autocannon alone 33-50 k req/s between rounds,
  // bench/RESULTS.md session 16): the peer's own spread says whether the rounds are comparable.
  const acRps = acRounds.map((r) => r.rps);
  const spread = (Math.max(...acRps) - Math.min(...acRps)) / ac;
  console.log(`autocannon's own rounds spread ${(100 * spread).toFixed(0)} % of its median` +
    (spread > 0.1 ? ': the host was not steady between rounds, so the ratios above are not a settled figure' : ''));
  // The host's steal moves both tools' CPU per request by 20-40 %: rounds where it took < 1 % of a core from the VM in both windows are the comparable ones.
  const quiet = paired.filter(({ a, b }) => a.stealShare < 0.01 && b.stealShare < 0.01);
  if (quiet.length > 0 && quiet.length < paired.length) {
    console.log(`rounds with host steal < 1% in both windows (${quiet.length} of ${paired.length}): req/s ratios ${ratios(quiet)}; median ${median(quiet.map(({ a, b }) => b.rps / a.rps)).toFixed(3)}, per CPU-second ${median(quiet.map(({ a, b }) => a.cpuUsPerRequest / b.cpuUsPerRequest)).toFixed(3)}`);
  }
  if (results.some((r) => r.tool === 'undici')) {
    const un = of('undici', (r) => r.rps);
    const unCpu = of('undici', (r) => r.cpuUsPerRequest);
    console.log(`bare undici floor: ${un.toFixed(0)} req/s, ${unCpu.toFixed(2)} CPU µs/req; undici/autocannon req/s ${(un / ac).toFixed(3)}, per CPU-second ${(acCpu / unCpu).toFixed(3)}`);
    console.log(`brood/undici req/s ${(br / un).toFixed(3)}, per CPU-second ${(unCpu / brCpu).toFixed(3)} (what brood's user model and session cost above its HTTP client)`);
  }
}

/** One round of --together: every tool at once on CPU 0, tool i against targets[(i + round) % n]. */
async function togetherRound(s: Settings, targets: readonly TargetProcess[], tools: readonly Tool[], round: number): Promise<Round[]> {
  const shared = new SharedWindow(tools.length, s.durationSec);
  return Promise.all(tools.map((tool, i) => {
    const own: Settings = { ...s, target: targets[(i + round) % targets.length] as TargetProcess, shared };
    return tool === 'autocannon' ? autocannonRound(own) : tool === 'brood' ? broodRound(own) : undiciRound(own);
  }));
}

/** --together: per round, the others' CPU per request against autocannon's in the same seconds. */
function summarizeTogether(results: readonly Round[], tools: readonly Tool[]): void {
  const rounds = results.length / tools.length;
  const cpuOf = (tool: Tool, round: number): number => (results.find((r, i) => r.tool === tool && Math.floor(i / tools.length) === round) as Round).cpuUsPerRequest;
  for (const tool of tools.filter((t) => t !== 'autocannon')) {
    const ratios = Array.from({ length: rounds }, (_, r) => cpuOf('autocannon', r) / cpuOf(tool, r));
    console.log(`${tool}/autocannon requests per CPU-second, same seconds on one core: per round ${ratios.map((x) => x.toFixed(3)).join(', ')}; ` +
      `median ${median(ratios).toFixed(3)}, range ${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}${tool === 'brood' ? ' (target >= 0.85)' : ''}`);
  }
  if (tools.includes('undici')) {
    const ratios = Array.from({ length: rounds }, (_, r) => cpuOf('undici', r) / cpuOf('brood', r));
    console.log(`brood/undici requests per CPU-second: median ${median(ratios).toFixed(3)} (what brood's user model and session cost above its HTTP client)`);
  }
}

async function main(): Promise<void> {
  const durationSec = argNumber('--duration', 20);
  const rounds = argNumber('--rounds', 2);
  const connections = argNumber('--connections', 50);
  const kind = argString('--target', 'net') === 'http' ? 'http' : 'net';
  const pool = argString('--pool', 'per-user');
  const profileDir = process.argv.includes('--profile') ? argString('--profile', 'profiles') : null;
  const tools: Tool[] = process.argv.includes('--undici-floor') ? ['autocannon', 'brood', 'undici'] : ['autocannon', 'brood'];
  const together = process.argv.includes('--together');
  const taskset = tasksetAvailable();
  const targets: TargetProcess[] = [];
  for (let i = 0; i < (together ? tools.length : 1); i++) targets.push(await startTarget({ kind, cpu: 1, taskset }));
  const s: Settings = { target: targets[0] as TargetProcess, connections, durationSec, taskset, pool, profileDir, shared: null };
  console.log(`throughput: ${connections} connections/users, ${durationSec}s per run, ${rounds} rounds ${together ? 'all tools at once' : 'A B'}, target ${kind} (pid ${targets.map((t) => t.pid).join(', ')})` +
    `, ${taskset ? 'generators pinned to CPU 0, targets to CPU 1' : 'taskset unavailable: NOT pinned'}, node ${process.version}`);
  const results: Round[] = [];
  const show = (round: number, r: Round): void =>
    console.log(`  round ${round} ${r.tool.padEnd(10)} ${r.rps.toFixed(0).padStart(7)} req/s  ${r.cpuUsPerRequest.toFixed(2).padStart(6)} CPU µs/req` +
      `  (generator CPU ${(100 * r.cpuShare).toFixed(0)}%, host steal ${(100 * r.stealShare).toFixed(1)}%; the tool reported ${r.reportedRps.toFixed(0)} req/s over the whole run, ${r.failures} failures)`);
  try {
    for (let round = 1; round <= rounds; round++) {
      if (together) {
        for (const r of await togetherRound(s, targets, tools, round)) {
          results.push(r);
          show(round, r);
        }
        continue;
      }
      for (const tool of tools) {
        const r = tool === 'autocannon' ? await autocannonRound(s) : tool === 'brood' ? await broodRound(s) : await undiciRound(s);
        results.push(r);
        show(round, r);
      }
    }
  } finally {
    for (const t of targets) await t.stop();
  }
  if (together) summarizeTogether(results, tools);
  else summarize(results, pool);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
