/**
 * Issue 20: the live web UI must not slow the load. The same brood run, in the same session
 * against the same target, headless (the peer) and with `--web-ui --web-port 0 --autoquit 0` while
 * a real headless Chromium stays on the page for the whole run: opened as soon as brood prints
 * `Web UI: URL`, the run started with the page's own Start button (the form prefilled from the
 * command line, as a user would), on the Statistics tab, then the Charts tab from halfway (tables,
 * then charts, redrawn from the api/live stream's update every second). Started from the page, not
 * with --autostart: on a loaded machine Chromium took longer to open the page than a short run
 * lasted, and found brood gone (CI: net::ERR_CONNECTION_REFUSED in a 3 s run).
 *
 * Why the comparison is fair:
 * - The same load: bench/fixtures/throughput-user.mjs (no think time, so brood is CPU-bound and
 *   every bit of CPU the UI takes is requests lost), the same users, spawn rate, duration, seed and
 *   target, the same outputs (--only-summary, CSV, JSON and HTML, as bench/brood-process.ts passes
 *   them). The only difference is the three web-UI flags and the browser on the page, which starts
 *   the run; the UI side's windows count from that click, the headless side's from its process start.
 * - brood on CPU 0, the target (bench/target-server.ts, raw node:net, its own process) on CPU 1,
 *   and Chromium on CPU 1 too, at nice 19: this process pins itself to CPU 1 before it launches
 *   Chromium, so the browser and every process it forks inherit CPU 1, and it lowers every Chromium
 *   thread's priority, so the browser runs when the target (about 35 % idle) leaves the core free
 *   and does not delay its replies, which would idle brood and count against the UI (CPUs and nice
 *   values are checked and printed every UI round). On CPU 0 the browser's own rendering would be
 *   charged to brood's UI; as it is, what the UI costs the generator (building the updates,
 *   serving the page and the stream) stays on brood's core and is what is measured, as if the
 *   browser were on another machine.
 * - Both cores' busy shares are printed per round: were CPU 1 full, the target would slow down and
 *   the comparison would err against the UI, never for it. So is each core's steal (the hypervisor
 *   running another guest on it): this VM's throughput moves by ±30 % between identical runs when
 *   its host is busy, far more than the 5 % asked about, so a run with steal is noise.
 * - Chromium starts once before the first round and idles without a page during headless rounds
 *   (a fresh context per UI round); the order alternates: headless first in odd rounds, UI first
 *   in even ones.
 * - req/s is counted the same way on both sides, by brood itself, over the steady part of the run:
 *   the Aggregated totals of the --json history rows rolled at 25 % and 90 % of the run time (5 s
 *   and 18 s of a 20 s run; rows are rolled every second on a fixed schedule), divided by the
 *   seconds between them. The page is open before that window (its opening, 1-1.5 s of Chromium's
 *   work on the target's core, is a one-off). Printed beside it: the whole run (num_requests of the
 *   Aggregated row / the run's duration, both from --json; the target's count must equal brood's),
 *   and req/s counted by the target with brood's CPU per request from 25 % to 90 % of the run time
 *   after brood's process started (bench/steady-window.ts, as bench/throughput.ts measures).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/web-ui.js [--duration 20] [--rounds 3] [--users 50]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';
import type { JsonReport } from '../src/report/json-report.js';
import { argNumber, median } from './bench-args.js';
import { REPO_ROOT } from './brood-process.js';
import { pinned, tasksetAvailable } from './pinning.js';
import { measureWindow, type SteadyWindow } from './steady-window.js';
import { startTarget, type TargetProcess } from './target-process.js';

const CHROMIUM = '/usr/bin/chromium';
const BIN = join(REPO_ROOT, 'bin', 'run-load-tests.js');
const FIXTURE = join(REPO_ROOT, 'bench', 'fixtures', 'throughput-user.mjs');
const WEB_FLAGS = ['--web-ui', '--web-port', '0', '--autoquit', '0'];

type Side = 'headless' | 'web UI';

interface Settings {
  target: TargetProcess;
  browser: Browser;
  users: number;
  durationSec: number;
  taskset: boolean;
}

/** The parts of the --json report read here (the Aggregated row of `stats` carries num_requests). */
type RunJson = Pick<JsonReport, 'summary' | 'stats' | 'history'>;

/** req/s by brood's own count between two seconds of the run. */
interface BroodWindow {
  rps: number;
  fromSec: number;
  toSec: number;
}

interface BroodProcess {
  pid: number;
  startedAt: number;
  /** The URL of the `Web UI:` line, as soon as brood prints it. */
  webUrl: Promise<string>;
  done: Promise<RunJson>;
}

/** What the browser saw of one UI round. */
interface PageReport {
  /** From the `Web UI:` line to the start form shown, ms. */
  openMs: number;
  updates: number;
  errors: string[];
  chromiumCpus: string;
}

interface Round {
  round: number;
  side: Side;
  steady: BroodWindow;
  /** brood's count / the run's duration, both from its --json. */
  wholeRunRps: number;
  requests: number;
  durationSec: number;
  /** Counted by the target, with brood's CPU per request, from 25 % to 90 % of the run time after brood's process started. */
  atTarget: SteadyWindow;
  cores: [CoreShare, CoreShare];
  page: PageReport | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pct = (share: number): string => `${(100 * share).toFixed(0)} %`;

/**
 * brood in a child process on CPU 0 with the output options bench/brood-process.ts passes. Its own
 * launcher because runBrood reads stdout only at exit, and the UI side needs the `Web UI:` line as
 * it is printed; both sides go through here so the two processes are started the same way.
 */
function startBrood(args: readonly string[], s: Settings): BroodProcess {
  const dir = mkdtempSync(join(tmpdir(), 'brood-bench-'));
  const prefix = join(dir, 'run');
  const argv = [BIN, ...args, '--only-summary', '--csv', prefix, '--json', `${prefix}.json`, '--html', `${prefix}.html`];
  const [cmd, cmdArgs] = pinned(0, process.execPath, argv, s.taskset);
  const startedAt = Date.now();
  const child = spawn(cmd, cmdArgs, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const webUrl = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('Web UI: ')) resolve(line.slice('Web UI: '.length).trim());
    });
    child.once('exit', (code) => reject(new Error(`brood exited (${code}) without printing a "Web UI:" line: ${stderr.slice(0, 1000)}`)));
  });
  webUrl.catch(() => undefined); // the headless side never prints one
  const limitSec = s.durationSec + 60;
  const deadline = setTimeout(() => child.kill('SIGKILL'), limitSec * 1000);
  const done = new Promise<number | null>((resolve) => child.once('exit', resolve)).then((code) => {
    clearTimeout(deadline);
    try {
      if (code === null) throw new Error(`brood had not exited ${limitSec} s after it started (killed): ${stderr.slice(0, 2000)}`);
      if (code !== 0) throw new Error(`brood exited with ${code} (expected 0: no failures, the run's own exit code): ${stderr.slice(0, 2000)}`);
      return JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as RunJson;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return { pid: child.pid ?? -1, startedAt, webUrl, done };
}

/** This process and all its threads on `cpu`: what it launches afterwards (Chromium) inherits it. */
function pinSelf(cpu: number, taskset: boolean): boolean {
  return taskset && spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' }).status === 0;
}

/** This process's descendants other than `except` (the target, brood): Chromium's processes. */
function chromiumPids(except: ReadonlySet<number>): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...parent.keys()].filter((p) => !except.has(p) && isDescendant(p));
}

/**
 * Every thread of Chromium at the lowest priority: on the target's core it gets what the target
 * leaves idle and never delays the target's replies (which would idle brood and count against the
 * UI). Processes it forks later inherit it from the thread that forks them; done again once a page
 * is open, to be sure.
 */
function reniceChromium(except: ReadonlySet<number>): void {
  for (const pid of chromiumPids(except)) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), 19);
    } catch {
      // gone meanwhile
    }
  }
}

/** Chromium's processes by allowed CPUs and nice value, e.g. "9 on CPU 1 at nice 19". */
function describeChromium(except: ReadonlySet<number>): string {
  const groups = new Map<string, number>();
  for (const pid of chromiumPids(except)) {
    try {
      const cpus = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
      const key = `on CPU ${cpus} at nice ${getPriority(pid)}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    } catch {
      // gone meanwhile
    }
  }
  return [...groups].map(([key, n]) => `${n} ${key}`).join(', ') || 'none found';
}

/** One core over a window, from /proc/stat: busy share (everything but idle and iowait) and steal share. */
interface CoreShare {
  busy: number;
  /** Time the hypervisor ran something else while this VM's core wanted to run: the host's noise, not brood's. */
  steal: number;
}

/** CPU 0 and CPU 1 (all processes) between `fromSec` and `toSec` after `startedAt`. */
async function coreShares(startedAt: number, fromSec: number, toSec: number): Promise<[CoreShare, CoreShare]> {
  const read = (cpu: number): number[] => {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`cpu${cpu} `)) ?? '';
    return line.split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
  };
  await sleep(Math.max(0, startedAt + fromSec * 1000 - Date.now()));
  const a = [read(0), read(1)];
  await sleep(Math.max(0, startedAt + toSec * 1000 - Date.now()));
  const b = [read(0), read(1)];
  const share = (cpu: number): CoreShare => {
    const d = (b[cpu] ?? []).map((v, k) => v - (a[cpu]?.[k] ?? 0));
    const total = d.reduce((x, y) => x + y, 0);
    const at = (k: number): number => (total > 0 ? (d[k] ?? 0) / total : Number.NaN);
    return { busy: 1 - at(3) - at(4), steal: at(7) };
  };
  return [share(0), share(1)];
}

/** The browser's side of a UI round: when its click started the run, and what it saw. */
interface PageWatch {
  started: Promise<number>;
  report: Promise<PageReport>;
}

/**
 * A real browser on the page from the moment the URL is printed until brood exits: the start form
 * first, its Start button clicked (`started` resolves with the click's time), then Statistics (the
 * page's default tab) and Charts from halfway through the run. Counts the api/live updates it
 * received and the page's errors while the run went on.
 */
function watchPage(s: Settings, brood: BroodProcess, except: ReadonlySet<number>): PageWatch {
  let markStarted: (at: number) => void = () => undefined;
  let startFailed: (e: unknown) => void = () => undefined;
  const started = new Promise<number>((resolve, reject) => {
    markStarted = resolve;
    startFailed = reject;
  });
  const report = (async (): Promise<PageReport> => {
    const url = await brood.webUrl;
    const shownAt = Date.now();
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const report: PageReport = { openMs: 0, updates: 0, errors: [], chromiumCpus: '' };
      let ended = false;
      page.on('pageerror', (e) => report.errors.push(e.message));
      page.on('console', (m) => {
        // Once brood has quit, the stream's reconnection attempts fail: expected, not the page's fault.
        if (m.type() === 'error' && !ended) report.errors.push(m.text());
      });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      cdp.on('Network.eventSourceMessageReceived', () => void report.updates++);
      await page.goto(url);
      reniceChromium(except);
      await page.locator('#start-button').waitFor({ state: 'visible' });
      report.openMs = Date.now() - shownAt;
      await page.click('#start-button');
      const startedAt = Date.now();
      markStarted(startedAt);
      await page.locator('#tab-stats').waitFor({ state: 'visible' });
      await sleep(Math.max(0, startedAt + s.durationSec * 500 - Date.now()));
      await page.click('button[data-tab="charts"]');
      await page.locator('#tab-charts').waitFor({ state: 'visible' });
      report.chromiumCpus = describeChromium(except);
      await brood.done.catch(() => undefined);
      ended = true;
      return report;
    } finally {
      await context.close();
    }
  })();
  report.catch((e: unknown) => startFailed(e));
  return { started, report };
}

/**
 * brood's own count over 25 %..90 % of the run, from the --json history: row k is rolled k + 1
 * seconds after the run started (a fixed schedule that does not drift) with the Aggregated total
 * so far; the last row, written once the users stopped, is not used. The whole run when the run
 * is too short to have two rows in that window.
 */
function broodSteadyRps(json: RunJson, durationSec: number): BroodWindow {
  const rows = json.history.slice(0, -1);
  const i = Math.max(0, Math.ceil(durationSec * 0.25) - 1);
  const j = Math.min(rows.length - 1, Math.floor(durationSec * 0.9) - 1);
  const [a, b] = [rows[i], rows[j]];
  if (a === undefined || b === undefined || j <= i) return { rps: json.summary.total_operations / json.summary.duration_secs, fromSec: 0, toSec: json.summary.duration_secs };
  if (Math.abs(b.timestamp - a.timestamp - (j - i)) > 1) throw new Error(`history rows ${i} and ${j} are ${b.timestamp - a.timestamp} s apart, not ${j - i}: is the history interval still 1 s?`);
  return { rps: (b.total_requests - a.total_requests) / (j - i), fromSec: i + 1, toSec: j + 1 };
}

async function runRound(round: number, side: Side, s: Settings): Promise<Round> {
  const d = s.durationSec;
  const before = await s.target.count();
  const args = ['-f', FIXTURE, '-H', s.target.url, '-u', String(s.users), '-r', '1000', '-t', `${d}s`, '--seed', '1'];
  const brood = startBrood(side === 'web UI' ? [...args, ...WEB_FLAGS] : args, s);
  const watch = side === 'web UI' ? watchPage(s, brood, new Set([brood.pid, s.target.pid])) : null;
  watch?.report.catch(() => undefined); // awaited below, after brood's own outcome
  let startedAt = brood.startedAt;
  if (watch !== null) {
    try {
      startedAt = await watch.started;
    } catch (e) {
      process.kill(brood.pid, 'SIGTERM'); // waiting for a start that will never come
      throw e;
    }
  }
  const atTarget = measureWindow(s.target, brood.pid, startedAt, d * 0.25, d * 0.9);
  const cores = coreShares(startedAt, d * 0.25, d * 0.9);
  const json = await brood.done;
  const requests = json.stats.find((r) => r.name === 'Aggregated')?.num_requests ?? Number.NaN;
  const served = (await s.target.count()) - before;
  if (requests !== served) throw new Error(`${side}: brood counted ${requests} requests, the target served ${served}`);
  const durationSec = json.summary.duration_secs;
  return {
    round, side, steady: broodSteadyRps(json, d), wholeRunRps: requests / durationSec, requests, durationSec,
    atTarget: await atTarget, cores: await cores, page: watch ? await watch.report : null,
  };
}

function printRound(r: Round): void {
  const page = r.page
    ? `; page: shown ${r.page.openMs} ms after the URL, ${r.page.updates} live updates, Statistics then Charts, ${r.page.errors.length} page errors${r.page.errors.length > 0 ? ` (first: ${r.page.errors[0]})` : ''}; Chromium's processes: ${r.page.chromiumCpus}`
    : '';
  const w = r.steady;
  console.log(`  round ${r.round} ${r.side.padEnd(8)} ${w.rps.toFixed(0).padStart(7)} req/s (brood's count, ${w.fromSec}-${Number(w.toSec.toFixed(2))} s of the run)` +
    `; whole run ${r.wholeRunRps.toFixed(0)} req/s (${r.requests} requests in ${r.durationSec.toFixed(2)} s, counts exact)` +
    `; at the target ${r.atTarget.rps.toFixed(0)} req/s, ${r.atTarget.cpuUsPerRequest.toFixed(2)} CPU µs/req; ${r.cores.map((c, i) => `CPU ${i} busy ${pct(c.busy)} (steal ${pct(c.steal)})`).join(', ')}${page}`);
}

function summarize(results: readonly Round[]): void {
  const of = (side: Side, f: (r: Round) => number): number => median(results.filter((r) => r.side === side).map(f));
  const both = (f: (r: Round) => number): [number, number] => [of('headless', f), of('web UI', f)];
  const [h, u] = both((r) => r.steady.rps);
  const [hw, uw] = both((r) => r.wholeRunRps);
  const [ht, ut] = both((r) => r.atTarget.rps);
  const [hc, uc] = both((r) => r.atTarget.cpuUsPerRequest);
  console.log(`median req/s, brood's count over the steady window: headless ${h.toFixed(0)}, web UI ${u.toFixed(0)}` +
    `; whole run: headless ${hw.toFixed(0)}, web UI ${uw.toFixed(0)} (${(uw / hw).toFixed(3)}); at the target: headless ${ht.toFixed(0)}, web UI ${ut.toFixed(0)} (${(ut / ht).toFixed(3)})` +
    `; CPU µs per request: headless ${hc.toFixed(2)}, web UI ${uc.toFixed(2)} (requests per CPU-second ${(hc / uc).toFixed(3)})`);
  // The two runs of a round are back to back: how far these ratios spread is how noisy the box was.
  const rpsOf = (n: number, side: Side): number => results.find((r) => r.round === n && r.side === side)?.steady.rps ?? Number.NaN;
  const pairs = [...new Set(results.map((r) => r.round))].map((n) => (rpsOf(n, 'web UI') / rpsOf(n, 'headless')).toFixed(3));
  const saturated = results.filter((r) => r.cores[1].busy > 0.9).length;
  const stolen = results.filter((r) => r.cores[0].steal > 0.05 || r.cores[1].steal > 0.05).length;
  console.log(`per-round web UI / headless: ${pairs.join(', ')}; runs with the target's core (CPU 1) over 90 % busy: ${saturated} of ${results.length}` +
    `${saturated > 0 ? ' (there the target, not brood, set the pace)' : ''}; runs with over 5 % of a core stolen by the host: ${stolen}${stolen > 0 ? ' (host noise: rerun when it is 0)' : ''}`);
  console.log(`ratio web UI / headless: ${(u / h).toFixed(3)} (req/s, brood's own count over the steady window; goal >= 0.95)`);
}

async function main(): Promise<void> {
  const durationSec = argNumber('--duration', 20);
  const rounds = argNumber('--rounds', 3);
  const users = argNumber('--users', 50);
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not installed: .ci/run installs it with apt-get install chromium (${CHROMIUM} is missing)`);
  const taskset = tasksetAvailable();
  const target = await startTarget({ cpu: 1, taskset });
  const selfPinned = pinSelf(1, taskset);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  reniceChromium(new Set([target.pid]));
  const s: Settings = { target, browser, users, durationSec, taskset };
  console.log(`web UI: ${users} users, ${durationSec}s per run, ${rounds} rounds (headless first in odd rounds, web UI first in even ones), target net (pid ${target.pid})` +
    `, ${taskset ? 'brood pinned to CPU 0, target to CPU 1' : 'taskset unavailable: NOT pinned'}, Chromium ${selfPinned ? 'on CPU 1' : 'NOT pinned'} at nice 19, node ${process.version}`);
  const results: Round[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const order: Side[] = round % 2 === 1 ? ['headless', 'web UI'] : ['web UI', 'headless'];
      for (const side of order) {
        const r = await runRound(round, side, s);
        results.push(r);
        printRound(r);
      }
    }
  } finally {
    await browser.close();
    await target.stop();
  }
  summarize(results);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
