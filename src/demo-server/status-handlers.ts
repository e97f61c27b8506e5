/** GET /stats and GET /health. */
import { performance } from 'node:perf_hooks';
import { ok, type Reply, type RequestContext } from './route.js';

function uptimeSeconds(ctx: RequestContext): number {
  return Math.round((performance.now() - ctx.state.startedAt) / 10) / 100;
}

export function handleStats(ctx: RequestContext): Reply {
  const { state } = ctx;
  const space = ctx.space();
  return ok({
    space: ctx.spaceName,
    concepts: space.concepts.size,
    relationships: space.graph.count,
    index_tokens: space.index.tokenCount,
    evicted_concepts: space.evictedCount,
    max_concepts: state.options.maxConcepts,
    peers: space.peers.size,
    change_seq: space.changes.headSeq,
    spaces: state.spaces.size,
    requests_served: state.counters.requestsServed,
    injected_errors: state.counters.injectedErrors,
    rejected_overload: state.counters.rejectedOverload,
    in_flight: state.gate?.active ?? 0,
    queued: state.gate?.queued ?? 0,
    uptime_s: uptimeSeconds(ctx),
  });
}

export function handleHealth(ctx: RequestContext): Reply {
  return { status: 200, body: { status: 'ok', uptime_s: uptimeSeconds(ctx) } };
}
