/**
 * The per-request pipeline: admission (concurrency gate) → injected delay → injected error →
 * route → body → handler → JSON reply. Faults come first so a slow or failing server behaves
 * the same for every endpoint, and a request holds its slot for the whole delay. GET /metrics
 * (metrics-endpoint.ts) is served before all of it: a monitor must see a slow, failing or
 * saturated server, not be slowed, failed or refused by it. Every answered request is counted
 * for /metrics by route pattern and status once its reply is written; one the client left
 * before it was answered (while queued) is not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError, readJsonObject, sendJson, type JsonObject } from './http-io.js';
import type { MemorySpace } from './memory-space.js';
import { createMetricsEndpoint, METRICS_PATH } from './metrics-endpoint.js';
import type { RequestContext } from './route.js';
import type { Router, RouteMatch } from './router.js';
import { UNMATCHED_ROUTE } from './server-metrics.js';
import { injectedDelayMs, shouldInjectError, type ServerState } from './server-state.js';
import { spaceNameFrom } from './space-registry.js';

const EMPTY_BODY: JsonObject = Object.freeze({});

/** What the request asks for, matched once: its route also labels the request's count. */
interface Target {
  method: string;
  path: string;
  url: string;
  /** Where the query string's "?" is in url; -1 for none. */
  queryAt: number;
  match: RouteMatch;
}

export function createRequestHandler(state: ServerState, router: Router): (req: IncomingMessage, res: ServerResponse) => void {
  const metricsEndpoint = createMetricsEndpoint(state.metrics);
  return (req, res) => {
    state.counters.requestsServed++;
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const method = req.method ?? 'GET';
    let route: string;
    let pending: Promise<void>;
    if (path === METRICS_PATH) {
      route = METRICS_PATH;
      pending = metricsEndpoint.serve(req, res);
    } else {
      const match = router.match(method, path);
      route = match.kind === 'route' ? match.route.pattern : match.kind === 'method_not_allowed' ? match.pattern : UNMATCHED_ROUTE;
      pending = handle(state, { method, path, url, queryAt, match }, req, res);
    }
    const answered = (): void => {
      if (res.headersSent) state.metrics.countHttp(method, route, res.statusCode);
    };
    pending.then(answered, (error: unknown) => {
      sendJson(res, 500, { error: `internal error: ${error instanceof Error ? error.message : String(error)}` });
      answered();
    });
  };
}

async function handle(state: ServerState, target: Target, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const gate = state.gate;
  if (gate === undefined) return processAdmitted(state, target, req, res);
  const admission = gate.acquire((cancel) => res.once('close', cancel));
  if (admission === false) {
    state.counters.rejectedOverload++;
    sendJson(res, 503, { error: 'overloaded' });
    return;
  }
  if (admission !== true && !(await admission)) return; // the client left while queued
  try {
    await processAdmitted(state, target, req, res);
  } finally {
    gate.release();
  }
}

async function processAdmitted(state: ServerState, target: Target, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const delay = injectedDelayMs(state);
  if (delay > 0) await sleep(delay);
  if (shouldInjectError(state)) {
    state.counters.injectedErrors++;
    sendJson(res, 500, { error: 'injected failure' });
    return;
  }
  try {
    await dispatch(state, target, req, res);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    sendJson(res, error.status, { error: error.message }, error.headers);
  }
}

async function dispatch(state: ServerState, target: Target, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { method, path, url, queryAt, match } = target;
  if (match.kind === 'not_found') throw new HttpError(404, `no route for ${method} ${path}`);
  if (match.kind === 'method_not_allowed') {
    throw new HttpError(405, `${method} is not allowed on ${path}; use ${match.allow}`, { allow: match.allow });
  }
  const { route, param } = match;
  if (route.federation && !state.options.federation) throw new HttpError(404, `federation is disabled on this server (${path})`);
  const spaceName = spaceNameFrom(req.headers['x-memory-space']);
  let space: MemorySpace | undefined;
  const ctx: RequestContext = {
    state,
    query: new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1)),
    param,
    body: route.readsBody ? await readJsonObject(req, state.options.maxBodyBytes) : EMPTY_BODY,
    spaceName,
    space: () => (space ??= state.spaces.get(spaceName)),
  };
  const reply = route.handle(ctx);
  sendJson(res, reply.status, reply.body);
}
