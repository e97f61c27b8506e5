import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunCommand, type RawRunOptions } from '../../../src/cli/args.js';
import { ConfigErrors } from '../../../src/core/errors.js';
import { applyOptionSources, configFiles, environmentSource, optionKeys, parseConfigText, type OptionSource } from '../../../src/cli/option-sources.js';

/** Parses argv, then applies the sources: the options as main() would hand them on, and the lines it prints. */
function optionsOf(argv: string[], sources: (keys: Set<string>) => OptionSource[]): { raw: RawRunOptions; lines: string[] } {
  const cmd = buildRunCommand('test').exitOverride();
  cmd.parse(argv, { from: 'user' });
  const lines = applyOptionSources(cmd, sources(optionKeys(cmd)));
  return { raw: cmd.opts<RawRunOptions>(), lines };
}

test('config text: key = value lines, comments, a [section] header and quotes; Locust\'s spellings reach brood\'s options', () => {
  const text = '# Locust style\n[brood]\nlocustfile = users.mjs\n; another comment\n\nusers = 50\nrun-time = 30s\nhost = "http://127.0.0.1:8000"\ntags = [read, search]\nwarm-up = false\nonly-summary = yes\n';
  const { raw, lines } = optionsOf([], () => [parseConfigText(text, 'brood.conf')]);
  assert.equal(raw.file, 'users.mjs');
  assert.equal(raw.users, '50');
  assert.equal(raw.time, '30s');
  assert.equal(raw.host, 'http://127.0.0.1:8000');
  assert.deepEqual(raw.tags, ['read', 'search']);
  assert.equal(raw.warmUp, false);
  assert.equal(raw.onlySummary, true);
  assert.deepEqual(lines, ['Options from brood.conf: locustfile = users.mjs, users = 50, run-time = 30s, host = http://127.0.0.1:8000, tags = [read, search], warm-up = false, only-summary = yes']);
});

test('precedence: a file, then a later file, then BROOD_* variables, then the command line (an alias typed counts as typed)', () => {
  const home = parseConfigText('users = 1\nspawn-rate = 1\nseed = 7\nno-warm-up = true', '~/.brood.conf');
  const local = parseConfigText('users = 2\nrun-time = 10m', 'brood.conf');
  const env = environmentSource({ BROOD_SPAWN_RATE: '5', BROOD_TIME: '20m', BROOD_MY_OWN_SETTING: 'x', PATH: '/bin' }, new Set(['spawn-rate', 'time', 'users']));
  assert.deepEqual(env.settings.map((s) => [s.key, s.value, s.origin]), [['spawn-rate', '5', 'BROOD_SPAWN_RATE'], ['time', '20m', 'BROOD_TIME']], 'variables naming no option are the user\'s own');
  const { raw, lines } = optionsOf(['--run-time', '1m', '-u', '9'], () => [home, local, env]);
  assert.equal(raw.users, '9', 'typed -u beats both files');
  assert.equal(raw.spawnRate, '5', 'the environment beats the files');
  assert.equal(raw.seed, '7');
  assert.equal(raw.warmUp, false);
  assert.equal(raw.runTime, '1m');
  assert.equal(raw.time, undefined, 'typed --run-time beats both run-time in a file and BROOD_TIME');
  assert.deepEqual(lines, ['Options from ~/.brood.conf: spawn-rate = 1, seed = 7, no-warm-up = true', 'Options from the environment: spawn-rate = 5']);
});

test('every bad line, unknown key and bad flag value is one error naming where it is', () => {
  const source = parseConfigText('users = 3\nweb-port = 8089\nheadless = maybe\njust words\nconfig = other.conf\n', 'bad.conf');
  assert.throws(() => optionsOf([], () => [source]), (e: unknown) => {
    assert.ok(e instanceof ConfigErrors);
    assert.deepEqual(e.problems.map((p) => p.message), [
      'bad.conf:4: expected "option = value" (e.g. users = 50), got "just words"',
      'bad.conf:2: "web-port" is not a run-load-tests option (see --help; keys are long option names without --)',
      'bad.conf:3: headless = "maybe" is not true or false',
      'bad.conf:5: "config" is not a run-load-tests option (see --help; keys are long option names without --)',
    ]);
    return true;
  });
});

test('config files: ~/.brood.conf and ./brood.conf when present, --config last; a missing --config file is an error', () => {
  const home = mkdtempSync(join(tmpdir(), 'brood-home-'));
  const cwd = mkdtempSync(join(tmpdir(), 'brood-cwd-'));
  assert.deepEqual(configFiles(cwd, home, undefined), []);
  writeFileSync(join(home, '.brood.conf'), 'users = 1\n');
  writeFileSync(join(cwd, 'brood.conf'), 'users = 2\n');
  writeFileSync(join(cwd, 'ci.conf'), 'users = 3\n');
  assert.deepEqual(configFiles(cwd, home, join(cwd, 'ci.conf')), [join(home, '.brood.conf'), join(cwd, 'brood.conf'), join(cwd, 'ci.conf')]);
  assert.throws(() => configFiles(cwd, home, 'nope.conf'), /config file not found: nope\.conf/);
});
