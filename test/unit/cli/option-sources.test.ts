import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunCommand, type RawRunOptions } from '../../../src/cli/args.js';
import { Option } from 'commander';
import { ConfigError, ConfigErrors } from '../../../src/core/errors.js';
import { validateRunOptions } from '../../../src/cli/run-config.js';
import { applyOptionSources, configFiles, environmentSource, nameOrigins, optionKeys, parseConfigText, readConfigFiles, withOrigins, type OptionSource } from '../../../src/cli/option-sources.js';

/** Parses argv, then applies the sources: the options as main() would hand them on, and the lines it prints. */
function optionsOf(argv: string[], sources: (keys: Set<string>) => OptionSource[]): { raw: RawRunOptions; lines: string[] } {
  const cmd = buildRunCommand('test').exitOverride();
  cmd.parse(argv, { from: 'user' });
  const { lines } = applyOptionSources(cmd, sources(optionKeys(cmd)));
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
  const source = parseConfigText('users = 3\nweb-portal = 8089\nheadless = maybe\njust words\nconfig = other.conf\n', 'bad.conf');
  assert.throws(() => optionsOf([], () => [source]), (e: unknown) => {
    assert.ok(e instanceof ConfigErrors);
    assert.deepEqual(e.problems.map((p) => p.message), [
      'bad.conf:4: expected "option = value" (e.g. users = 50), got "just words"',
      'bad.conf:2: "web-portal" is not a run-load-tests option (see --help; keys are long option names without --)',
      'bad.conf:3: headless "maybe" must be true or false (or yes/no, on/off, 1/0)',
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

/** The messages validation gives for options set by `sources`, named as main() names them (withOrigins). */
function refusal(argv: string[], sources: (keys: Set<string>) => OptionSource[]): string[] {
  const cmd = buildRunCommand('test').exitOverride();
  cmd.parse(argv, { from: 'user' });
  const { origins } = applyOptionSources(cmd, sources(optionKeys(cmd)));
  try {
    validateRunOptions(cmd.opts<RawRunOptions>());
    return [];
  } catch (e) {
    const named = withOrigins(e, origins);
    assert.ok(named instanceof ConfigErrors, String(named));
    return named.problems.map((p) => p.message);
  }
}

test('a bad value from a config file names FILE:LINE and the key as written, not a flag nobody typed', () => {
  assert.deepEqual(refusal([], () => [parseConfigText('# ci\nusers = abc\n', 'bad.conf')]), ['bad.conf:2: users "abc" must be a positive whole number']);
  assert.deepEqual(refusal([], () => [parseConfigText('run-time = forever\n', 'locust.conf')]), [
    'locust.conf:1: run-time "forever" is not a duration: use a positive number of seconds or units like 30s, 10m, 1h30m, 2d',
  ]);
  assert.deepEqual(refusal([], () => [parseConfigText('spawn-rate = -3\n', 'brood.conf')]), ['brood.conf:1: spawn-rate "-3" must be a positive number']);
});

test('a bad value from a BROOD_* variable names the variable', () => {
  const env = (vars: Record<string, string>) => (keys: Set<string>): OptionSource[] => [environmentSource(vars, keys)];
  assert.deepEqual(refusal([], env({ BROOD_USERS: 'abc' })), ['BROOD_USERS "abc" must be a positive whole number']);
  assert.deepEqual(refusal([], env({ BROOD_RUN_TIME: 'abc' })), ['BROOD_RUN_TIME "abc" is not a duration: use a positive number of seconds or units like 30s, 10m, 1h30m, 2d']);
  assert.deepEqual(refusal([], env({ BROOD_HOST: 'notaurl' })), ['BROOD_HOST "notaurl" is not a URL: use http://HOST:PORT or https://HOST']);
  assert.deepEqual(refusal(['-u', 'abc'], env({ BROOD_SPAWN_RATE: '2' })), ['--users "abc" must be a positive whole number'], 'a typed flag is still named as typed');
});

test('every option a file or variable can set is named by its source when its value is refused (none by its flag)', () => {
  const cmd = buildRunCommand('test');
  // Values each option's check refuses; an option none of them fails is not checked in validateRunOptions.
  const bad = ['abc', '-1', '0', ''];
  let checked = 0;
  for (const option of cmd.options) {
    const key = option.long?.replace(/^--/, '') ?? '';
    if (!(option.required || option.optional) || option.variadic || ['config', 'scenario', 'file', 'locustfile', 'shape'].includes(key)) continue;
    for (const value of bad) {
      const fromFile = refusal([], () => [parseConfigText(`${key} = "${value}"`, 'c.conf')]);
      const variable = `BROOD_${key.toUpperCase().replace(/-/g, '_')}`;
      const fromEnv = refusal([], (keys) => [environmentSource({ [variable]: value }, keys)]);
      for (const m of fromFile) assert.ok(m.startsWith(`c.conf:1: ${key} `) && !m.includes(`--${key} `), `${key} = "${value}": ${m}`);
      for (const m of fromEnv) assert.ok(m.startsWith(`${variable} `) && !m.includes(`--${key} `), `${variable}=${value}: ${m}`);
      assert.equal(fromFile.length, fromEnv.length, key);
      if (fromFile.length > 0) checked++;
    }
  }
  assert.ok(checked >= 30, `only ${checked} refusals seen: the test no longer reaches the checks`);
});

test('nameOrigins: the leading flag becomes its source; flags named later say where they came from; typed ones stay', () => {
  const origins = new Map([
    ['--users', { key: 'users', value: 'x', origin: 'a.conf:3', shown: 'a.conf:3: users' }],
    ['-u', { key: 'users', value: 'x', origin: 'a.conf:3', shown: 'a.conf:3: users' }],
    ['--shape', { key: 'shape', value: 'step', origin: 'BROOD_SHAPE', shown: 'BROOD_SHAPE' }],
  ]);
  assert.equal(nameOrigins('-u/--users does not apply to an open-model run', origins), 'a.conf:3: users does not apply to an open-model run');
  assert.equal(nameOrigins('-u/--users does not apply', new Map([['--users', origins.get('--users')!]])), '-u/--users does not apply (--users comes from a.conf:3)');
  assert.equal(nameOrigins('--shape step and --target-rate cannot be combined', origins), 'BROOD_SHAPE step and --target-rate cannot be combined');
  assert.equal(nameOrigins('--step-users applies to --shape step only (and --users)', origins), '--step-users applies to --shape step only (and --users) (--shape comes from BROOD_SHAPE, --users comes from a.conf:3)');
  assert.equal(nameOrigins('--usersx and --shapes are other flags', origins), '--usersx and --shapes are other flags');
  assert.equal(nameOrigins('--users "abc" is bad', new Map()), '--users "abc" is bad');
});

test('choices declared for an option are checked for values from files and variables too (commander checks typed ones only)', () => {
  const cmd = buildRunCommand('test').exitOverride();
  cmd.addOption(new Option('--mode <value>').choices(['a', 'b']));
  cmd.parse([], { from: 'user' });
  assert.throws(() => applyOptionSources(cmd, [parseConfigText('mode = z', 'c.conf')]), (e: unknown) => {
    assert.ok(e instanceof ConfigErrors);
    assert.deepEqual(e.problems.map((p) => p.message), ['c.conf:1: mode "z" is not one of: a, b']);
    return true;
  });
});

test('config files that are not text, or not files, are refused by name; implicit ones that are folders are skipped', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'brood-cwd-'));
  const home = mkdtempSync(join(tmpdir(), 'brood-home-'));
  mkdirSync(join(cwd, 'brood.conf'));
  mkdirSync(join(cwd, 'adir'));
  assert.deepEqual(configFiles(cwd, home, undefined), [], 'a folder named brood.conf is not a config file');
  assert.throws(() => configFiles(cwd, home, join(cwd, 'adir')), (e: unknown) => e instanceof ConfigError && e.message === `--config ${join(cwd, 'adir')} is a directory, not a config file`);
  writeFileSync(join(cwd, 'bin.conf'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 10]));
  writeFileSync(join(cwd, 'latin1.conf'), Buffer.from('users = 5\nhost = caf\xe9\n', 'latin1'));
  writeFileSync(join(cwd, 'bom.conf'), '\uFEFFusers = 5\n');
  assert.throws(() => readConfigFiles([join(cwd, 'bin.conf')], cwd), (e: unknown) => e instanceof ConfigError && e.message === 'bin.conf is not a text config file (binary data or not UTF-8 at line 1)');
  assert.throws(() => readConfigFiles([join(cwd, 'latin1.conf')], cwd), (e: unknown) => e instanceof ConfigError && e.message === 'latin1.conf is not a text config file (binary data or not UTF-8 at line 2)');
  assert.deepEqual(readConfigFiles([join(cwd, 'bom.conf')], cwd)[0]?.settings.map((s) => [s.key, s.value, s.origin]), [['users', '5', 'bom.conf:1']], 'a byte-order mark is not part of the first key');
});
