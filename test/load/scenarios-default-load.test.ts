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
}

const SCENARIOS = ['quick', 'memory', 'search', 'federation', 'api'];

/** What is wrong with a scenario's run (its JSON in `dir`): a missed target, a failure, too few operations. */
function runProblems(dir: string, name: string, r: { code: number | null; stderr: string }, minOperations: number): string[] {
  let json: JsonSummary;
  try {
    json = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as JsonSummary;
  } catch {
    return [`${name}: no JSON (exit ${r.code}): ${r.stderr.trim()}`];
  }
  const problems: string[] = [];
  if (r.code !== 0) problems.push(`${name}: exit ${r.code}; missed: ${json.validation.targets.filter((t) => !t.met).map((t) => `${t.label}=${t.measured}`).join(', ')}`);
  if (json.summary.total_failures !== 0) problems.push(`${name}: ${json.summary.total_failures} failures`);
  if (json.summary.total_operations < minOperations) problems.push(`${name}: only ${json.summary.total_operations} operations`);
  return problems;
}

test('every scenario: default users, 60 s, zero failures, exit 0 with its targets met', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-scenarios-'));
  const results = await Promise.all(
    SCENARIOS.map((name) =>
      runCli(['--scenario', name, '-t', '60s', '--only-summary', '--csv', join(dir, name), '--seed', '7'], { timeoutMs: 150_000 }).then((r) => ({ name, r })),
    ),
  );
  const problems = results.flatMap(({ name, r }) => runProblems(dir, name, r, 1000));
  assert.deepEqual(problems, []);
});

/**
 * The two non-HTTP scenarios at their default load, one after the other (each uses most of a core
 * with its demo server beside it): websocket's 50 connections × 10 msg/s, grpc's 520 calls/s after
 * its 5 s ramp. Zero failures and every target met, the seed's P99s included.
 */
test('websocket and grpc: default load, 60 s each, zero failures, exit 0 with their targets met', { timeout: 200_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brood-scenarios-proto-'));
  const problems: string[] = [];
  for (const name of ['websocket', 'grpc']) {
    const r = await runCli(['--scenario', name, '-t', '60s', '--only-summary', '--csv', join(dir, name), '--seed', '7'], { timeoutMs: 90_000 });
    problems.push(...runProblems(dir, name, r, 20_000));
  }
  assert.deepEqual(problems, []);
});
