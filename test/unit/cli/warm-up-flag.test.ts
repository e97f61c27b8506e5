import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunCommand, type RawRunOptions } from '../../../src/cli/args.js';
import { validateRunOptions } from '../../../src/cli/run-config.js';

function configOf(argv: string[]): ReturnType<typeof validateRunOptions> {
  const cmd = buildRunCommand('test').exitOverride();
  cmd.parse(argv, { from: 'user' });
  return validateRunOptions(cmd.opts<RawRunOptions>());
}

test('the JIT warm-up is on by default and --no-warm-up turns it off', () => {
  assert.equal(configOf(['--scenario', 'quick']).warmUp, true);
  assert.equal(configOf(['--scenario', 'quick', '--no-warm-up']).warmUp, false);
});
