/**
 * What the distributed-run tests share (test/distributed/): the test file, --worker
 * processes, a target that notes when each request came, and readers of a run's files.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, REPO_ROOT, type CliResult } from './cli.js';
import { startRecordingServer, type RecordingServer } from './recording-server.js';
import type { RedisServer } from './redis-server.js';

export const FILE = 'test/fixtures/distributed/hits.mjs';

/** A target answering 200 to everything, with the wall time of each request it received, in order. */
export async function startCountingTarget(): Promise<{ srv: RecordingServer; receivedAt: number[] }> {
  const receivedAt: number[] = [];
  const srv = await startRecordingServer((_req, res) => {
    receivedAt.push(Date.now());
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  return { srv, receivedAt };
}

/** A --worker process; `done` settles with its exit code and output. */
export function startWorker(args: readonly string[], prefix: readonly string[] = [], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult>; out: () => string } {
  const command = [...prefix, process.execPath, CLI, '--worker', ...args];
  const child = spawn(command[0] ?? '', command.slice(1), { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, done, out: () => stdout + stderr };
}

/** The Aggregated row's request count of a _stats.csv. */
export function aggregatedCount(prefix: string): number {
  const row = readFileSync(`${prefix}_stats.csv`, 'utf8').split('\n').find((l) => l.startsWith(',Aggregated,'));
  assert.ok(row, 'the stats CSV has an Aggregated row');
  return Number(row.split(',')[2]);
}

export interface JsonRun {
  run: { workers?: Array<{ id: string; users: number; requests: number; lost: boolean }>; workers_lost?: number };
}

export async function brokerKeys(redis: RedisServer): Promise<string> {
  return redis.command('KEYS brood:*');
}
