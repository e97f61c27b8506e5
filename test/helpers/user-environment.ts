import { createHooks } from '../../src/core/hooks.js';
import { Rng } from '../../src/core/rng.js';
import { noMessages, runnerView, STATE_RUNNING } from '../../src/core/runner-view.js';
import type { UserEnvironment } from '../../src/core/user.js';

/**
 * A UserEnvironment for tests that build users by hand (no runner): every member a default that
 * does nothing (or throws, for an HTTP session), `overrides` for what the test looks at.
 */
export function testEnvironment(overrides: Partial<UserEnvironment> = {}): UserEnvironment {
  return {
    host: 'http://127.0.0.1:1',
    userId: 0,
    rng: new Rng(1),
    signal: new AbortController().signal,
    events: createHooks(),
    runner: runnerView({ quit: () => {}, userCount: () => 0, state: () => STATE_RUNNING, workerIndex: 0, stats: null, ...noMessages('this test') }),
    options: {},
    recordMetric: () => {},
    recordRequest: () => {},
    measure: async (_type, _name, fn) => fn(),
    createHttpSession: () => {
      throw new Error('no HTTP session in this test');
    },
    protocolContext: () => {
      throw new Error('no protocol context in this test');
    },
    ...overrides,
  };
}
