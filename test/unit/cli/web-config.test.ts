import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawRunOptions } from '../../../src/cli/args.js';
import type { ConfigError } from '../../../src/core/errors.js';
import { maskAuth, maskWebAuthArgs, webOptions } from '../../../src/cli/web-config.js';

function check(raw: RawRunOptions): { config: ReturnType<typeof webOptions>; problems: string[] } {
  const problems: ConfigError[] = [];
  const config = webOptions(raw, problems);
  return { config, problems: problems.map((p) => p.message) };
}

test('--web-ui: defaults as Locust\'s (127.0.0.1:8089), the flags read, a base path normalised', () => {
  assert.deepEqual(check({ webUi: true }), { config: { host: '127.0.0.1', port: 8089, auth: null, autostart: false, autoquitSec: null, basePath: '' }, problems: [] });
  assert.deepEqual(check({ webUi: true, webHost: '0.0.0.0', webPort: '0', webAuth: 'a:b:c', autostart: true, autoquit: '2.5', webBasePath: '/ui/brood/' }).config, {
    host: '0.0.0.0', port: 0, auth: 'a:b:c', autostart: true, autoquitSec: 2.5, basePath: '/ui/brood',
  });
  assert.equal(check({}).config, null, 'headless by default');
  assert.deepEqual(check({ headless: true }).problems, []);
});

test('refused: web flags without --web-ui, non-loopback without auth, bad values', () => {
  const cases: Array<[RawRunOptions, RegExp]> = [
    [{ webPort: '9000' }, /^--web-port applies to the web UI: add --web-ui/],
    [{ autostart: true }, /^--autostart applies to the web UI/],
    [{ webUi: true, headless: true }, /--web-ui and --headless/],
    [{ webUi: true, webHost: '192.168.1.10' }, /--web-host 192\.168\.1\.10 is reachable from other machines: add --web-auth/],
    [{ webUi: true, webPort: '70000' }, /--web-port "70000" is not a port/],
    [{ webUi: true, webAuth: 'user' }, /--web-auth must be user:password/],
    [{ webUi: true, webAuth: 'user:' }, /--web-auth must be user:password/],
    [{ webUi: true, autoquit: '-1' }, /--autoquit "-1"/],
    [{ webUi: true, webBasePath: '/a b' }, /--web-base-path/],
    [{ webUi: true, worker: true }, /--web-ui goes on the master/],
  ];
  for (const [raw, pattern] of cases) {
    const { problems } = check(raw);
    assert.equal(problems.length, 1, JSON.stringify(raw));
    assert.match(problems[0] ?? '', pattern);
  }
  assert.deepEqual(check({ webUi: true, webHost: '0.0.0.0', webAuth: 'a:b' }).problems, [], 'any interface with auth is allowed');
});

test('the --web-auth password is masked wherever the command line is shown', () => {
  assert.deepEqual(maskWebAuthArgs(['-u', '5', '--web-auth', 'admin:hunter2', '--web-auth=me:pw', 'admin:hunter2']), ['-u', '5', '--web-auth', 'admin:***', '--web-auth=me:***', 'admin:hunter2']);
  assert.equal(maskAuth('nocolon'), '***');
});
