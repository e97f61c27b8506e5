import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

/**
 * Issue 3's bar: every scenario runs against the built-in demo server at its DEFAULT load for
 * 60 s with zero unexpected failures and its targets met. The five run side by side (each with its
 * own demo server), in their own test stage so no timing-sensitive test shares the CPU with them.
 */
interface JsonSummary {
  summary: { total_operations: number; total_failures: number };
  validation: { all_met: boolean; targets: Array<{ label: string; measured: number | null; met: boolean }> };
  run: { users: number };
  history: Array<{ timestamp: number; generator_overloaded?: boolean; loop_delay_p99_ms?: number; generator_cpu?: number }>;
  resources?: { sources: Array<{ name: string; cpu_percent: { max: number } | null; gaps: number }> };
}

/**
 * The seconds of a run in which brood said it was itself the bottleneck (its own CPU or event-loop
 * delay, self-monitor.ts), with what it measured: latencies of those seconds are brood's queueing or
 * the host's, not the server's. On this 2-core VM a stolen second now and then does that.
 */
function generatorStalls(json: JsonSummary): string[] {
  return json.history.filter((p) => p.generator_overloaded === true).map((p) => `${p.timestamp}: loop delay p99 ${p.loop_delay_p99_ms ?? '?'} ms, CPU ${p.generator_cpu ?? '?'}`);
}

/** A scenario run's JSON report in `dir`, or null when it wrote none. */
function runJson(dir: string, name: string): JsonSummary | null {
  try {
    return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as JsonSummary;
  } catch {
    return null;
  }
}

const SCENARIOS = ['quick', 'memory', 'search', 'federation', 'api'];

/** What is wrong with a scenario's run (its JSON in `dir`): a missed target, a failure, too few operations. */
function runProblems(dir: string, name: string, r: { code: number | null; stderr: string }, minOperations: number): string[] {
  const json = runJson(dir, name);
  if (json === null) return [`${name}: no JSON (exit ${r.code}): ${r.stderr.trim()}`];
  const problems: string[] = [];
  if (r.code !== 0) {
    // What the next reader needs to tell the server from the machine: brood's own overloaded seconds, the server's CPU.
    const overloaded = generatorStalls(json).length;
    const server = json.resources?.sources.map((src) => `${src.name} CPU max ${src.cpu_percent?.max ?? '?'} %, ${src.gaps} gaps`).join('; ') ?? 'not watched';
    problems.push(`${name}: exit ${r.code}; missed: ${json.validation.targets.filter((t) => !t.met).map((t) => `${t.label}=${t.measured}`).join(', ')} (brood overloaded in ${overloaded} s; ${server})`);
  }
  if (json.summary.total_failures !== 0) problems.push(`${name}: ${json.summary.total_failures} failures`);
  if (json.summary.total_operations < minOperations) problems.push(`${name}: only ${json.summary.total_operations} operations`);
  return problems;
}

/** One scenario's run at its default load for 60 s: the problems runProblems finds in it. */
async function runScenario(dir: string, name: string, prefix: string, minOperations: number, timeoutMs: number): Promise<string[]> {
  const r = await runCli(['--scenario', name, '-t', '60s', '--only-summary', '--csv', join(dir, prefix), '--seed', '7'], { timeoutMs });
  return runProblems(dir, prefix, r, minOperations);
}

/**
 * A P99 target judged on a minute of requests is missed by a few seconds of stall. When brood itself
 * said it was the bottleneck in that run (its self-monitor flags the seconds), the miss is the
 * machine's, not the server's: the scenario is run once more, alone, and must pass on its own. A miss
 * with no such second fails at once.
 */
async function againIfBroodStalled(dir: string, name: string, found: string[], minOperations: number): Promise<string[]> {
  const json = found.length > 0 ? runJson(dir, name) : null;
  const stalls = json === null ? [] : generatorStalls(json);
  if (stalls.length === 0) return found;
  process.stdout.write(`# ${name}: ${found.join('; ')} with brood overloaded in ${stalls.length} s (${stalls.slice(0, 3).join('; ')}): running it once more, alone\n`);
  return runScenario(dir, name, `${name}-again`, minOperations, 90_000);
}

test('every scenario: default users, 60 s, zero failures, exit 0 with its targets met', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-scenarios-'));
  // The five side by side (ten processes on this 2-core machine: the first seconds' start-up work of
  // each is stretched; CI saw the api scenario's P99 at 651 ms with brood overloaded in 7 s).
  const results = await Promise.all(SCENARIOS.map(async (name) => ({ name, found: await runScenario(dir, name, name, 1000, 150_000) })));
  const problems: string[] = [];
  for (const { name, found } of results) {
    problems.push(...(await againIfBroodStalled(dir, name, found, 1000)));
  }
  assert.deepEqual(problems, []);
});

/**
 * The two non-HTTP scenarios at their default load, one after the other (each uses most of a core
 * with its demo server beside it): websocket's 50 connections × 10 msg/s, grpc's 520 calls/s after
 * its 5 s ramp. Zero failures and every target met, the seed's P99s included.
 */
test('websocket and grpc: default load, 60 s each, zero failures, exit 0 with their targets met', { timeout: 400_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-scenarios-proto-'));
  const problems: string[] = [];
  for (const name of ['websocket', 'grpc']) {
    const found = await runScenario(dir, name, name, 20_000, 90_000);
    problems.push(...(await againIfBroodStalled(dir, name, found, 20_000)));
  }
  assert.deepEqual(problems, []);
});
