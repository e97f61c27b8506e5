/**
 * The scenario registry and the seed's numbers: every scenario resolves to spawnable user classes
 * with positive defaults and valid targets, each target names a request its users send, and the
 * normalised task mixes equal the seed's percentages (rule in users/support/task-mix.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.js';
import { validateTargets } from '../../src/core/target-check.js';
import type { Target } from '../../src/core/targets.js';
import { NO_TAG_FILTER } from '../../src/core/tasks.js';
import { buildClassSpecs } from '../../src/runner/closed/class-specs.js';
import { SCENARIOS, findScenario } from '../../scenarios/index.js';
import { AIServiceUser, CONVERSATION_PATH, CONVERSATION_RATE, ConversationUser, FEDERATION_MIX, KernelUser, MEMORY_MIX, SEARCH_MIX } from '../../users/index.js';
import { API_READ_SHARE, API_READ_TASKS, apiMix } from '../../users/support/api-mix.js';
import { normaliseMix, requestShares, type TaskShare } from '../../users/support/task-mix.js';

const NAMES = ['quick', 'memory', 'search', 'federation', 'api', 'websocket', 'grpc'];

/** Percent per request key rounded to 2 decimals, for comparing with the seed tables below. */
function rounded(shares: readonly TaskShare[]): Record<string, number> {
  return Object.fromEntries(Object.entries(requestShares(shares)).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}

function sum(shares: readonly TaskShare[]): number {
  return shares.reduce((s, x) => s + x.percent, 0);
}

describe('scenario registry', () => {
  test('lists the seven scenarios in order', () => {
    assert.deepEqual(Object.keys(SCENARIOS), NAMES);
  });

  for (const name of NAMES) {
    test(`${name}: classes with tasks, positive defaults, valid targets`, () => {
      const sc = findScenario(name);
      assert.equal(sc.name, name);
      assert.match(sc.description, /^[^\n]{10,120}$/);
      assert.ok(sc.userClasses.length > 0);
      const specs = buildClassSpecs(sc.userClasses, NO_TAG_FILTER);
      assert.equal(specs.length, sc.userClasses.length, 'every class is spawnable');
      if (sc.arrival === undefined) {
        assert.ok(Number.isInteger(sc.users) && sc.users > 0);
        assert.ok(sc.spawnRate > 0 && sc.spawnRate <= sc.users);
      } else {
        // An open-model scenario: arrivals, not users (-u is refused for it).
        assert.deepEqual([sc.users, sc.spawnRate], [0, 0]);
      }
      assert.ok(sc.runTimeSec > 0);
      assert.ok(sc.targets.length >= 2);
      assert.deepEqual(validateTargets(sc.targets, name), []);
    });
  }

  const defaults: Array<[string, number, number]> = [
    ['quick', 50, 120], ['memory', 500, 600], ['search', 300, 300], ['federation', 200, 300], ['api', 1000, 600],
    // Scaled from the seed's 1 000 connections × 100 msg/s (scenarios/websocket-scenario.ts says why and how to run it).
    ['websocket', 50, 60],
  ];
  for (const [name, users, seconds] of defaults) {
    test(`${name}: the seed's default load is ${users} users for ${seconds} s`, () => {
      const sc = findScenario(name);
      assert.equal(sc.users, users);
      assert.equal(sc.runTimeSec, seconds);
    });
  }

  const latencyAndErrors: Array<[string, Array<[Target['metric'], number]>]> = [
    ['quick', [['p95', 200], ['error_rate', 0.01]]],
    ['memory', [['p95', 100], ['p99', 500], ['error_rate', 0.01]]],
    ['search', [['p95', 200], ['p99', 1000], ['error_rate', 0.01]]],
    ['federation', [['p95', 500], ['p99', 2000], ['error_rate', 0.05]]],
    ['api', [['p50', 50], ['p95', 200], ['p99', 500], ['error_rate', 0.01]]],
    ['websocket', [['error_rate', 0.01]]],
    ['grpc', [['error_rate', 0.01]]],
  ];
  for (const [name, expected] of latencyAndErrors) {
    test(`${name}: the seed's latency and error targets on the Aggregated row`, () => {
      const aggregate = findScenario(name).targets.filter((t) => t.endpoints === undefined);
      assert.deepEqual(aggregate.map((t) => [t.metric, t.threshold]), expected);
      assert.ok(aggregate.every((t) => t.comparator === '<'));
    });
  }

  test('memory and search throughput targets name requests their users send', () => {
    const sent: Record<string, Record<string, number>> = { memory: requestShares(MEMORY_MIX), search: requestShares(SEARCH_MIX) };
    const rates = [
      ['memory', 'POST /learn', 1000], ['memory', 'PUT /concepts/[id]', 500], ['memory', 'DELETE /concepts/[id]', 100],
      ['search', 'POST /recall', 1000], ['search', 'POST /search/embedding', 500],
    ] as const;
    for (const [name, endpoint, perMinute] of rates) {
      const target = findScenario(name).targets.find((t) => t.endpoints?.[0] === endpoint);
      assert.ok(target, `${name} has a target on ${endpoint}`);
      assert.equal(target.metric, 'requests_per_minute');
      assert.equal(target.comparator, '>=');
      assert.equal(target.threshold, perMinute);
      assert.ok((sent[name]?.[endpoint] ?? 0) > 0, `${name} users send ${endpoint}`);
    }
  });

  test('websocket: ConversationUser connections, targets on the rows they record, the description says it is scaled', () => {
    const sc = findScenario('websocket');
    assert.deepEqual(sc.userClasses, [ConversationUser]);
    assert.equal(CONVERSATION_RATE, 10);
    assert.deepEqual(sc.targets.filter((t) => t.endpoints !== undefined).map((t) => [t.metric, t.comparator, t.threshold, t.endpoints]), [
      ['p99', '<', 200, ['WS turn']],
      ['error_rate', '<=', 0, [`WS connect ${CONVERSATION_PATH}`, `WS close ${CONVERSATION_PATH}`]],
    ]);
    assert.match(sc.description, /scaled: 50 conns × 10 msg\/s of the seed's 1000 × 100 \(-u 1000 --processes auto/);
  });

  test('websocket: "messages sent >= 95 % of the requested rate" is computed from each run\'s users, ramp and run time', () => {
    const sc = findScenario('websocket');
    const at = (users: number, spawnRate: number, runTimeSec: number) => sc.targetsFor?.({ users, spawnRate, runTimeSec })[0];
    // Default: 50 users started over 1 s, 60 s: 95 % of 50 × 10 × 59.5 / 60 = 471.04 req/s (floored to the cent).
    assert.deepEqual(at(50, 50, 60), { label: 'Messages sent >= 95% of 50 conns × 10/s', metric: 'rps', comparator: '>=', threshold: 471.04, endpoints: ['WS turn', 'WS ping'] });
    // The seed's 1 000 connections at 100/s spawn rate (a 10 s ramp) for 5 min: 95 % of 1000 × 10 × 295 / 300.
    assert.equal(at(1000, 100, 300)?.threshold, Math.floor(0.95 * 1000 * 10 * (295 / 300) * 100) / 100);
    // A ramp longer than the run: every user's start counts against the run's length.
    assert.equal(at(10, 1, 4)?.threshold, Math.floor(0.95 * 10 * 10 * (2 / 4) * 100) / 100);
    assert.deepEqual(validateTargets(sc.targetsFor?.({ users: 3, spawnRate: 1, runTimeSec: 10 }) ?? [], 'websocket'), []);
  });

  test("grpc: the seed's rates as an open model (kernel 500/s : AI 20/s by class weight), its P99 targets on the rows the users record", () => {
    const sc = findScenario('grpc');
    assert.deepEqual(sc.userClasses, [KernelUser, AIServiceUser]);
    assert.deepEqual(buildClassSpecs(sc.userClasses, NO_TAG_FILTER).map((c) => [c.name, c.weight]), [['KernelUser', 500], ['AIServiceUser', 20]]);
    // A gentle start (50/s up to 520/s over 5 s, then flat): cold gRPC code and new channels at
    // 520/s from the first millisecond cost the first second's P99 a few hundred ms (scenario file).
    assert.deepEqual(sc.arrival, { pattern: 'ramp', from: 50, to: 520, over: 5, pre_allocated_users: 40 });
    assert.deepEqual(sc.targets.filter((t) => t.endpoints !== undefined).map((t) => [t.metric, t.comparator, t.threshold, t.endpoints]), [
      ['p99', '<', 100, ['continuum.Kernel/Recall', 'continuum.Kernel/Learn', 'continuum.Kernel/Stats', 'continuum.Kernel/Watch']],
      ['p99', '<', 2000, ['continuum.AIService/Generate']],
    ]);
  });

  test('an unknown scenario is UNKNOWN_SCENARIO and lists the known ones', () => {
    for (const bad of ['stress', 'toString', 'constructor', '']) {
      assert.throws(() => findScenario(bad), (e: unknown) =>
        e instanceof ConfigError && e.code === 'UNKNOWN_SCENARIO' &&
        e.message === `unknown scenario "${bad}": known scenarios are quick, memory, search, federation, api, websocket, grpc`);
    }
  });
});

describe('task mixes normalised from the seed', () => {
  test('normaliseMix: groups keep their share, items split it, the total is 100', () => {
    const mix = normaliseMix([
      { label: 'a', share: 60, items: [{ task: 'x', request: 'X', weight: 3 }, { task: 'y', request: 'Y', weight: 1 }] },
      { label: 'b', share: 45, items: [{ task: 'z', request: 'Z', weight: 7 }] },
    ]);
    assert.deepEqual(mix.map((m) => Math.round(m.percent * 1000) / 1000), [42.857, 14.286, 42.857]);
    assert.throws(() => normaliseMix([]), RangeError);
    assert.throws(() => normaliseMix([{ label: 'a', share: 1, items: [] }]), RangeError);
  });

  test('memory: READ 60 / WRITE 35 / mixed 5 with the seed items in proportion', () => {
    assert.deepEqual(rounded(MEMORY_MIX), {
      'POST /recall': 52.94, 'GET /stats': 4.41, 'GET /entities': 2.65,
      'POST /learn': 18.92, 'PUT /concepts/[id]': 14.19, 'POST /turn': 1.89,
      'GET /concepts/[id]': 3, 'DELETE /concepts/[id]': 2,
    });
    assert.ok(Math.abs(sum(MEMORY_MIX) - 100) < 1e-9);
  });

  test('search: the seed items (sum 110) scaled to 100', () => {
    assert.deepEqual(rounded(SEARCH_MIX), {
      'POST /recall': 45.45, 'POST /search/embedding': 27.27, 'GET /entities?type=[type]': 13.64,
      'GET /entities?page=[page]': 4.55, 'GET /recall': 9.09,
    });
  });

  test('federation: the seed items (sum 105) scaled to 100', () => {
    assert.deepEqual(rounded(FEDERATION_MIX), {
      'POST /federation/contribute': 38.1, 'POST /federation/sync': 28.57, 'GET /federation/peers': 19.05,
      'POST /federation/sync [conflict]': 9.52, 'POST /federation/heartbeat': 4.76,
    });
  });

  test('api: reads 60 / writes 40 overall, seed item proportions inside each', () => {
    assert.ok(Math.abs(API_READ_SHARE - 0.6) < 1e-12);
    assert.deepEqual(rounded(apiMix(API_READ_SHARE)), {
      'POST /recall': 28, 'GET /stats': 12, 'GET /entities': 8, 'GET /health': 4, 'GET /recall': 6.4, 'POST /search/embedding': 1.6,
      'POST /learn': 26.67, 'POST /turn': 13.33,
    });
  });

  const types: Array<[string, number]> = [['HeavyReaderUser', 80], ['BalancedUser', 60], ['ContentCreatorUser', 40]];
  for (const [cls, readPercent] of types) {
    test(`${cls} reads ${readPercent} % of its tasks`, () => {
      const spec = buildClassSpecs(findScenario('api').userClasses, NO_TAG_FILTER).find((s) => s.name === cls);
      assert.ok(spec);
      const total = spec.table.weights.reduce((a, b) => a + b, 0);
      const reads = spec.table.tasks.reduce((s, t, i) => s + (API_READ_TASKS.has(t.name) ? (spec.table.weights[i] ?? 0) : 0), 0);
      assert.ok(Math.abs((100 * reads) / total - readPercent) < 1e-9);
    });
  }
});
