/**
 * The observed task mix of every scenario, over >= 10 000 real requests against the demo server,
 * matches the seed's normalised percentages within ±2 points, with zero unexpected failures.
 *
 * The harness runs each user's own task table (the runner's WeightedPicker, the user's seeded Rng)
 * a fixed number of times with no think time. A fixed count per user, rather than a timed run,
 * keeps the comparison exact: in a timed run with think time 0, a class with faster requests would
 * complete more tasks and tilt a multi-class scenario's mix by its latency, not by its design.
 * Requests made in onStart are not tasks and are not counted in the mix (but their failures are).
 */
import { testEnvironment } from '../helpers/user-environment.js';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHooks } from '../../src/core/hooks.js';
import { Rng } from '../../src/core/rng.js';
import { NO_TAG_FILTER } from '../../src/core/tasks.js';
import { WeightedPicker } from '../../src/core/task-picker.js';
import { sessionOf, type User, type UserEnvironment } from '../../src/core/user.js';
import { startDemoServer, type RunningDemoServer } from '../../src/demo-server/server.js';
import { HttpSession } from '../../src/http/client.js';
import { PerUserDispatchers } from '../../src/http/dispatchers.js';
import { buildClassSpecs } from '../../src/runner/closed/class-specs.js';
import { findScenario } from '../../scenarios/index.js';
import { FEDERATION_MIX, FederationUser, MEMORY_MIX, SEARCH_MIX } from '../../users/index.js';
import { API_READ_SHARE, API_READ_TASKS, apiMix } from '../../users/support/api-mix.js';
import { requestShares } from '../../users/support/task-mix.js';

interface Tally {
  /** "METHOD name" → requests made by tasks. */
  requests: Map<string, number>;
  /** class name → [read tasks, all tasks] (api user types). */
  readsByClass: Map<string, [number, number]>;
  /** "METHOD name: reason" → count, for every request including onStart. */
  failures: Map<string, number>;
  metrics: Map<string, number>;
  tasks: number;
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Runs `tasksPerUser` tasks for each of `usersPerClass` users of every class, concurrently. */
async function runTasks(host: string, classes: readonly unknown[], usersPerClass: number, tasksPerUser: number): Promise<Tally> {
  const tally: Tally = { requests: new Map(), readsByClass: new Map(), failures: new Map(), metrics: new Map(), tasks: 0 };
  let counting = false;
  const hooks = createHooks();
  const recorder = {
    recordSuccess(method: string, name: string): void {
      if (counting) bump(tally.requests, `${method} ${name}`);
    },
    recordFailure(method: string, name: string, _ms: number, _len: number, error: string): void {
      if (counting) bump(tally.requests, `${method} ${name}`);
      bump(tally.failures, `${method} ${name}: ${error}`);
    },
  };
  const root = new Rng(20240601);
  const specs = buildClassSpecs(classes, NO_TAG_FILTER);
  const users: Array<{ user: User; picker: WeightedPicker<(typeof specs)[number]['table']['tasks'][number]>; cls: string }> = [];
  let userId = 0;
  for (const spec of specs) {
    for (let i = 0; i < usersPerClass; i++) {
      const id = userId++;
      const environment: UserEnvironment = testEnvironment({
        host, userId: id, rng: root.fork(id), events: hooks,
        recordMetric: (name, value) => bump(tally.metrics, name, value),
        createHttpSession: () => new HttpSession({
          baseUrl: host, requestTimeoutMs: 10_000, maxBodyBytes: 1 << 20, maxRedirects: 10, acceptEncoding: true, auth: null, recorder, hooks, userId: id,
          dispatchers: new PerUserDispatchers({ keepAliveTimeoutMs: 10_000, connectTimeoutMs: 5_000 }),
        }),
      });
      users.push({ user: spec.create(environment), picker: new WeightedPicker(spec.table.tasks, spec.table.weights), cls: spec.name });
    }
  }
  await Promise.all(users.map(async ({ user }) => {
    await user.onStart();
    sessionOf(user)?.flushPending();
  }));
  counting = true;
  await Promise.all(users.map(async ({ user, picker, cls }) => {
    for (let k = 0; k < tasksPerUser; k++) {
      const def = picker.pick(user.rng);
      assert.equal(def.action.kind, 'method', `${cls}.${def.name} is a plain task method`);
      if (def.action.kind === 'method') await def.action.fn.call(user);
      sessionOf(user)?.flushPending();
      const counts = tally.readsByClass.get(cls) ?? [0, 0];
      tally.readsByClass.set(cls, [counts[0] + (API_READ_TASKS.has(def.name) ? 1 : 0), counts[1] + 1]);
      tally.tasks++;
    }
  }));
  for (const { user } of users) sessionOf(user)?.close(false);
  return tally;
}

function assertMix(tally: Tally, expected: Record<string, number>): void {
  const total = [...tally.requests.values()].reduce((a, b) => a + b, 0);
  assert.ok(total >= 10_000, `at least 10 000 task requests (got ${total})`);
  assert.equal(total, tally.tasks, 'one request per task');
  const keys = new Set([...Object.keys(expected), ...tally.requests.keys()]);
  for (const key of keys) {
    const observed = (100 * (tally.requests.get(key) ?? 0)) / total;
    const want = expected[key] ?? 0;
    assert.ok(Math.abs(observed - want) <= 2, `${key}: observed ${observed.toFixed(2)} %, seed ${want.toFixed(2)} % (±2)`);
  }
}

function assertNoFailures(tally: Tally): void {
  assert.deepEqual(Object.fromEntries(tally.failures), {}, 'no unexpected failures');
}

/** The expected mix of a scenario whose classes run the same number of tasks each. */
function averageOf(mixes: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const mix of mixes) for (const [k, v] of Object.entries(mix)) out[k] = (out[k] ?? 0) + v / mixes.length;
  return out;
}

describe('scenario task mixes against the demo server', () => {
  // A fresh server per scenario: each starts from an empty memory, as a real run does.
  let server: RunningDemoServer;
  beforeEach(async () => {
    server = await startDemoServer({ seed: 5 });
  });
  afterEach(() => server.close());

  test('memory: the seed\'s CRUD mix', async () => {
    const tally = await runTasks(server.url, findScenario('memory').userClasses, 20, 500);
    assertNoFailures(tally);
    assertMix(tally, requestShares(MEMORY_MIX));
    for (const m of ['concepts_extracted', 'concepts_found', 'relationships_found', 'query_time_ms']) {
      assert.ok(tally.metrics.has(m), `records ${m}`);
    }
    assert.ok((tally.metrics.get('concepts_found') ?? 0) > 0, 'recalls find what was learned');
  });

  test('search: the seed\'s search mix', async () => {
    const tally = await runTasks(server.url, findScenario('search').userClasses, 20, 500);
    assertNoFailures(tally);
    assertMix(tally, requestShares(SEARCH_MIX));
    assert.ok((tally.metrics.get('relationships_found') ?? 0) > 0);
  });

  test('federation: the seed\'s federation mix, conflicts detected and handled', async () => {
    const tally = await runTasks(server.url, findScenario('federation').userClasses, 20, 500);
    assertNoFailures(tally);
    assertMix(tally, requestShares(FEDERATION_MIX));
    assert.ok((tally.metrics.get('conflicts_detected') ?? 0) > 0, 'simulate_conflict provokes 409s');
    assert.ok((tally.metrics.get('sync_operations') ?? 0) > 0);
    assert.ok((tally.metrics.get('peer_count') ?? 0) > 0);
    assert.equal(tally.metrics.get('federation_unavailable'), undefined);
  });

  test('api: reads 60 / writes 40, and each user type holds its own ratio', async () => {
    const tally = await runTasks(server.url, findScenario('api').userClasses, 8, 420);
    assertNoFailures(tally);
    assertMix(tally, requestShares(apiMix(API_READ_SHARE)));
    const ratios: Record<string, number> = { HeavyReaderUser: 80, BalancedUser: 60, ContentCreatorUser: 40 };
    for (const [cls, want] of Object.entries(ratios)) {
      const [reads, all] = tally.readsByClass.get(cls) ?? [0, 0];
      const observed = (100 * reads) / all;
      assert.ok(Math.abs(observed - want) <= 2, `${cls} reads ${observed.toFixed(1)} %, want ${want} % (±2)`);
    }
  });

  test('quick: every class of the smoke test, each with its own mix', async () => {
    const tally = await runTasks(server.url, findScenario('quick').userClasses, 4, 500);
    assertNoFailures(tally);
    const api = requestShares(apiMix(API_READ_SHARE));
    // RealisticAPIUser, BurstTrafficUser, MemoryOperationsUser, SearchUser, FederationUser
    assertMix(tally, averageOf([api, api, requestShares(MEMORY_MIX), requestShares(SEARCH_MIX), requestShares(FEDERATION_MIX)]));
  });
});

describe('federation switched off (demo server --federation off)', () => {
  let server: RunningDemoServer;
  before(async () => {
    server = await startDemoServer({ seed: 6, federation: false });
  });
  after(() => server.close());

  test('404s from federation routes are documented outcomes, not failures', async () => {
    const tally = await runTasks(server.url, [FederationUser], 10, 50);
    assertNoFailures(tally);
    assert.equal(tally.metrics.get('federation_unavailable'), 500, 'every federation request was a 404, and each is counted');
  });
});
