/**
 * The demo server as its own OS process (process-host.ts), for real: its own PID serving HTTP and
 * /metrics (its RSS, the requests this test made), untouched by a Ctrl-C aimed at brood, gone once
 * closed, gone within a moment of its parent dying by kill -9, and a crash after start-up that
 * brood survives with one line on stderr. Also started from the TypeScript source with tsx.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startDemoServerProcess } from '../../src/demo-server/process-host.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';
import { procStatusKb } from '../helpers/reliability.js';

const HOST_MODULE = new URL('../../src/demo-server/process-host.js', import.meta.url).href;
/** The source beside dist/: dist/test/integration → ../../../src. */
const SOURCE_HOST_MODULE = new URL('../../../src/demo-server/process-host.ts', import.meta.url).href;
/** Where tsx is installed, for the parent's --import tsx. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Running, and not a zombie: a child reparented to a PID 1 that does not reap stays in the table as Z. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false; // gone between the two looks
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (!isRunning(pid)) return true;
    await sleep(25);
  }
  return !isRunning(pid);
}

function killIfRunning(pid: number | undefined): void {
  if (pid !== undefined && isRunning(pid)) process.kill(pid, 'SIGKILL');
}

async function status(url: string): Promise<number> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
}

/** A stand-in for brood: a node process that starts the demo server process, prints "PID URL", and waits. */
interface Parent {
  child: ChildProcess;
  serverPid: number;
  serverUrl: string;
  stderr(): string;
}

async function startParent(hostModule: string, execArgv: string[] = []): Promise<Parent> {
  const script = `const { startDemoServerProcess } = await import(${JSON.stringify(hostModule)});
const server = await startDemoServerProcess({ seed: 9 });
process.stdout.write(server.pid + ' ' + server.url + '\\n');
setInterval(() => undefined, 60_000);`;
  const child = spawn(process.execPath, [...execArgv, '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`the parent exited (${String(code)}) before its server listened: ${stderr}`)));
  });
  const [pid, url] = line.split(' ');
  return { child, serverPid: Number(pid), serverUrl: url ?? '', stderr: () => stderr };
}

describe('demo server in its own process', () => {
  test('serves HTTP and its own /metrics from another PID; SIGINT does not stop it; close() ends it', { timeout: 20_000 }, async () => {
    const server = await startDemoServerProcess({ seed: 1 });
    try {
      assert.notEqual(server.pid, process.pid);
      assert.ok(isRunning(server.pid));
      assert.equal(server.url, `http://127.0.0.1:${server.port}`);
      for (let i = 0; i < 4; i++) assert.equal(await status(`${server.url}/health`), 200);

      const res = await fetch(`${server.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const samples = parsePrometheusText(await res.text());
      assert.equal(sampleValue(samples, 'continuum_http_requests_total', { method: 'GET', route: '/health', status: '200' }), 4);
      const rss = sampleValue(samples, 'process_resident_memory_bytes') ?? 0;
      assert.ok(rss > 0);
      // The RSS is the child's own: within a factor of 2 of what /proc says for its PID (Linux only).
      const procRssKb = procStatusKb(server.pid, 'VmRSS');
      if (procRssKb !== null) assert.ok(rss / 1024 > procRssKb / 2 && rss / 1024 < procRssKb * 2, `metrics RSS ${rss} B vs /proc ${procRssKb} kB`);

      // The terminal's Ctrl-C goes to a process group: the child's own group, and the child itself.
      process.kill(-server.pid, 'SIGINT');
      process.kill(server.pid, 'SIGINT');
      await sleep(300);
      assert.ok(isRunning(server.pid));
      assert.equal(await status(`${server.url}/health`), 200);

      const closing = server.close();
      assert.equal(server.close(), closing, 'close() is idempotent');
      await closing;
      assert.ok(!isRunning(server.pid));
      await assert.rejects(fetch(`${server.url}/health`));
      await server.close();
    } finally {
      killIfRunning(server.pid);
    }
  });

  test('rejects with the child\'s validation message when options are invalid', { timeout: 10_000 }, async () => {
    await assert.rejects(startDemoServerProcess({ latencyMs: -5 }), /latencyMs must be an integer/);
  });

  test('ends by itself within a moment when its parent is killed with SIGKILL', { timeout: 20_000 }, async () => {
    const parent = await startParent(HOST_MODULE);
    try {
      assert.equal(await status(`${parent.serverUrl}/health`), 200);
      parent.child.kill('SIGKILL');
      assert.ok(await waitUntilGone(parent.serverPid, 3_000), `demo server ${parent.serverPid} outlived its parent`);
    } finally {
      parent.child.kill('SIGKILL');
      killIfRunning(parent.serverPid);
    }
  });

  test('a crash after start-up is one line on the parent\'s stderr, not the parent\'s end', { timeout: 20_000 }, async () => {
    const parent = await startParent(HOST_MODULE);
    try {
      process.kill(parent.serverPid, 'SIGKILL');
      const until = performance.now() + 3_000;
      while (!parent.stderr().includes('\n') && performance.now() < until) await sleep(25);
      assert.match(parent.stderr(), new RegExp(`^brood demo server process ${parent.serverPid} exited unexpectedly \\(SIGKILL\\)\\n$`));
      assert.equal(parent.child.exitCode, null);
      assert.equal(parent.child.signalCode, null);
    } finally {
      parent.child.kill('SIGKILL');
      killIfRunning(parent.serverPid);
    }
  });

  test('starts from the TypeScript source with tsx', { timeout: 30_000 }, async () => {
    const parent = await startParent(SOURCE_HOST_MODULE, ['--import', 'tsx']);
    try {
      assert.equal(await status(`${parent.serverUrl}/health`), 200);
      assert.equal(await status(`${parent.serverUrl}/metrics`), 200);
    } finally {
      parent.child.kill('SIGKILL');
      assert.ok(await waitUntilGone(parent.serverPid, 3_000));
      killIfRunning(parent.serverPid);
    }
  });
});
