/**
 * The per-request pipeline: admission (concurrency gate) → injected delay → injected error →
 * route → body → handler → JSON reply. Faults come first so a slow or failing server behaves
 * the same for every endpoint, and a request holds its slot for the whole delay.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError, readJsonObject, sendJson, type JsonObject } from './http-io.js';
import type { MemorySpace } from './memory-space.js';
import type { RequestContext } from './route.js';
import type { Router } from './router.js';
import { injectedDelayMs, shouldInjectError, type ServerState } from './server-state.js';
import { spaceNameFrom } from './space-registry.js';

const EMPTY_BODY: JsonObject = Object.freeze({});

export function createRequestHandler(state: ServerState, router: Router): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    state.counters.requestsServed++;
    handle(state, router, req, res).catch((error: unknown) => {
      sendJson(res, 500, { error: `internal error: ${error instanceof Error ? error.message : String(error)}` });
    });
  };
}

async function handle(state: ServerState, router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const gate = state.gate;
  if (gate === undefined) return processAdmitted(state, router, req, res);
  const admission = gate.acquire((cancel) => res.once('close', cancel));
  if (admission === false) {
    state.counters.rejectedOverload++;
    sendJson(res, 503, { error: 'overloaded' });
    return;
  }
  if (admission !== true && !(await admission)) return; // the client left while queued
  try {
    await processAdmitted(state, router, req, res);
  } finally {
    gate.release();
  }
}

async function processAdmitted(state: ServerState, router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const delay = injectedDelayMs(state);
  if (delay > 0) await sleep(delay);
  if (shouldInjectError(state)) {
    state.counters.injectedErrors++;
    sendJson(res, 500, { error: 'injected failure' });
    return;
  }
  try {
    await dispatch(state, router, req, res);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    sendJson(res, error.status, { error: error.message }, error.headers);
  }
}

async function dispatch(state: ServerState, router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const method = req.method ?? 'GET';
  const match = router.match(method, path);
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
