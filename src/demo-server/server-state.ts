/** Everything one running demo server owns; passed down explicitly, never held in module state. */
import { performance } from 'node:perf_hooks';
import { ConcurrencyGate } from './concurrency-gate.js';
import type { DemoServerOptions } from './options.js';
import { createPrng, type Prng } from './prng.js';
import { ServerMetrics } from './server-metrics.js';
import { SpaceRegistry } from './space-registry.js';
import { randomInt } from 'node:crypto';

export interface ServerCounters {
  requestsServed: number;
  injectedErrors: number;
  rejectedOverload: number;
}

export interface ServerState {
  options: DemoServerOptions;
  random: Prng;
  /** Absent when maxConcurrency is 0, so the unlimited path costs nothing. */
  gate: ConcurrencyGate | undefined;
  spaces: SpaceRegistry;
  startedAt: number;
  counters: ServerCounters;
  /** The traffic GET /metrics reports, by route, status and gRPC method. */
  metrics: ServerMetrics;
}

export function createServerState(options: DemoServerOptions): ServerState {
  return {
    options,
    random: createPrng(options.seed ?? randomInt(0, 2 ** 32)),
    gate: options.maxConcurrency > 0 ? new ConcurrencyGate(options.maxConcurrency, options.queueLimit) : undefined,
    spaces: new SpaceRegistry({ maxConcepts: options.maxConcepts, maxRelationships: options.maxRelationships }, options.maxSpaces),
    startedAt: performance.now(),
    counters: { requestsServed: 0, injectedErrors: 0, rejectedOverload: 0 },
    metrics: new ServerMetrics(),
  };
}

/** Fixed latency plus uniform jitter 0..jitterMs, drawn from the server's seeded PRNG. */
export function injectedDelayMs(state: ServerState): number {
  const { latencyMs, jitterMs } = state.options;
  return jitterMs > 0 ? latencyMs + Math.floor(state.random() * (jitterMs + 1)) : latencyMs;
}

export function shouldInjectError(state: ServerState): boolean {
  const rate = state.options.errorRate;
  if (rate <= 0) return false;
  return rate >= 1 || state.random() < rate;
}
