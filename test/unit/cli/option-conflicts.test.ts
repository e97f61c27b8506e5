import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunCommand, type RawRunOptions } from '../../../src/cli/args.js';
import { optionConflicts } from '../../../src/cli/option-conflicts.js';
import type { ResolvedTest } from '../../../src/loading/resolve-test.js';
import { validateRunOptions } from '../../../src/cli/run-config.js';
import { LoadShape } from '../../../src/core/shape.js';

class Ramp extends LoadShape {
  tick(): { users: number; spawnRate: number } {
    return { users: 1, spawnRate: 1 };
  }
}

/** A resolved test as resolve-test.ts builds it: a file's classes, maybe its shape or its open-model pattern. */
function resolved(o: { shape?: 'file' | 'flag'; arrival?: boolean } = {}): ResolvedTest {
  return {
    userClasses: [], shape: o.shape ? new Ramp() : null, shapeName: o.shape ? 'Ramp' : null, targets: [], scenario: null, testFile: 'locustfile.ts',
    users: 1, spawnRate: 1, runTimeSec: null,
    arrival: o.arrival ? { pattern: { pattern: 'poisson', mean_rate: 50 }, pool: { maxUsers: null, preAllocatedUsers: null }, p99Ms: null, maxErrorRate: null, expectedThroughput: null } : null,
  };
}

function conflicts(argv: string[], test: ResolvedTest = resolved()): string[] {
  const cmd = buildRunCommand('test').exitOverride();
  cmd.parse(argv, { from: 'user' });
  const raw = cmd.opts<RawRunOptions>();
  return optionConflicts(raw, validateRunOptions(raw), test).map((e) => e.message);
}

const F = ['-f', 'locustfile.ts'];

test('refused pairs: each is one line naming both sides', () => {
  const cases: Array<{ argv: string[]; test?: ResolvedTest; expect: RegExp[] }> = [
    { argv: [...F, '--target-rate', '10', '--shape', 'step'], test: resolved({ shape: 'flag' }), expect: [/^--shape step and --target-rate cannot be combined/] },
    { argv: [...F, '--target-rate', '10', '-u', '5'], expect: [/^-u\/--users does not apply to an open-model run \(--target-rate\).*--max-users$/] },
    { argv: [...F, '--target-rate', '10', '-r', '5'], expect: [/^-r\/--spawn-rate does not apply to an open-model run \(--target-rate\)/] },
    { argv: ['--scenario', 'mixed_balanced', '-u', '5', '-r', '2'], test: resolved({ arrival: true }), expect: [/^-u\/--users does not apply to an open-model run \(--scenario mixed_balanced\)/, /^-r\/--spawn-rate does not apply to an open-model run \(--scenario mixed_balanced\)/] },
    { argv: [...F, '-u', '5'], test: resolved({ arrival: true }), expect: [/^-u\/--users does not apply to an open-model run \(locustfile\.ts's `arrival`\)/] },
    { argv: ['--scenario', 'mixed_balanced', '--arrival', 'poisson'], test: resolved({ arrival: true }), expect: [/^--arrival poisson does not apply: --scenario mixed_balanced brings its own arrival pattern \(poisson\); --target-rate rescales it$/] },
    { argv: [...F], test: { ...resolved({ shape: 'file', arrival: true }) }, expect: [/^Ramp \(exported by locustfile\.ts\) and locustfile\.ts's `arrival` cannot be combined/] },
    { argv: [...F, '--step-users', '5'], expect: [/^--step-users applies to --shape step only: no --shape is given$/] },
    { argv: [...F, '--step-time', '5s'], expect: [/^--step-time applies to --shape step or spike only: no --shape is given$/] },
    { argv: [...F, '--shape', 'spike', '--step-users', '5'], test: resolved({ shape: 'flag' }), expect: [/^--step-users applies to --shape step only: --shape spike has fixed levels/] },
    { argv: [...F, '-u', '5', '-r', '2', '--step-users', '3'], test: resolved({ shape: 'file' }), expect: [/^-u\/--users does not apply with the load shape Ramp \(exported by locustfile\.ts\)/, /^-r\/--spawn-rate does not apply with the load shape Ramp/, /^--step-users applies to --shape step only: Ramp \(exported by locustfile\.ts\) sets its own stages/] },
    { argv: [...F, '--shape', 'Ramp', '-u', '5'], test: resolved({ shape: 'flag' }), expect: [/^-u\/--users does not apply with the load shape --shape Ramp/] },
  ];
  for (const c of cases) {
    const got = conflicts(c.argv, c.test);
    assert.equal(got.length, c.expect.length, `${c.argv.join(' ')}: ${got.join(' | ')}`);
    c.expect.forEach((re, i) => assert.match(got[i] ?? '', re, c.argv.join(' ')));
    for (const line of got) assert.doesNotMatch(line, /\n/);
  }
});

test('honoured pairs: nothing to refuse', () => {
  const cases: Array<{ argv: string[]; test?: ResolvedTest }> = [
    { argv: [...F, '-u', '5', '-r', '2', '-t', '1m'] },
    { argv: [...F, '--shape', 'step', '-u', '500', '-r', '10', '--step-users', '50', '--step-time', '30s', '-t', '10m'], test: resolved({ shape: 'flag' }) },
    { argv: [...F, '--shape', 'spike', '-u', '1500', '--step-time', '20s'], test: resolved({ shape: 'flag' }) },
    { argv: [...F, '--target-rate', '100', '--arrival', 'poisson', '--max-users', '50', '-i', '10', '-t', '1m'] },
    { argv: ['--scenario', 'mixed_balanced', '--target-rate', '100'], test: resolved({ arrival: true }) },
    { argv: [...F, '-t', '30s', '-i', '3'], test: resolved({ shape: 'file' }) },
  ];
  for (const c of cases) assert.deepEqual(conflicts(c.argv, c.test), [], c.argv.join(' '));
});

test('capacity names its own rates instead of --target-rate', () => {
  const config = validateRunOptions({ file: 'locustfile.ts', targetRate: '10' });
  const got = optionConflicts({ rateFrom: 'capacity (a search over arrival rates)' }, config, resolved({ shape: 'file' })).map((e) => e.message);
  assert.equal(got.length, 1);
  assert.match(got[0] ?? '', /^Ramp \(exported by locustfile\.ts\) and capacity \(a search over arrival rates\) cannot be combined/);
});

test('--seed takes digits only: an empty or hex seed is refused, the range is 0..2^32-1', () => {
  for (const bad of ['', ' ', '0x10', '1e3', '-1', '4294967296', '1.5']) {
    assert.throws(() => validateRunOptions({ seed: bad }), /--seed ".*" must be a whole number from 0 to 4294967295/, JSON.stringify(bad));
  }
  assert.equal(validateRunOptions({ seed: '0' }).seed, 0);
  assert.equal(validateRunOptions({ seed: '4294967295' }).seed, 4294967295);
});
