/**
 * Path + method → route. Fixed paths are one Map lookup; the only parameterised path is
 * /concepts/:id, matched by prefix. No regexes, nothing compiled per request. WebSocket upgrades
 * (/ws/conversation) are the server's 'upgrade' event's, and GET /metrics is served before the
 * fault flags (request-handler.ts), not by the router. A route's pattern labels its request counts.
 */
import { handleDeleteConcept, handleGetConcept, handleListEntities, handleUpdateConcept } from './concept-handlers.js';
import { CONVERSATION_PATH, handleConversationWithoutUpgrade } from './conversation-socket.js';
import { handleContribute, handleHeartbeat, handlePeers, handleSync } from './federation-handlers.js';
import { handleLearn, handleRecallGet, handleRecallPost, handleTurn } from './memory-handlers.js';
import type { HttpMethod, RequestContext, Reply, Route } from './route.js';
import { handleEmbeddingSearch } from './search-handlers.js';
import { handleHealth, handleStats } from './status-handlers.js';

export type RouteMatch =
  | { kind: 'route'; route: Route; param: string }
  | { kind: 'not_found' }
  | { kind: 'method_not_allowed'; pattern: string; allow: string };

type Handler = (ctx: RequestContext) => Reply;
type Entries = Array<[HttpMethod, Handler, { federation?: boolean }?]>;

/** One path's routes by method, with what a 405 for it says, computed once. */
interface MethodTable {
  pattern: string;
  routes: Map<string, Route>;
  allow: string;
}

const CONCEPT_PREFIX = '/concepts/';
const CONCEPT_PATTERN = '/concepts/:id';

function table(pattern: string, entries: Entries): MethodTable {
  const routes = new Map<string, Route>();
  for (const [method, handle, flags] of entries) {
    routes.set(method, { method, pattern, handle, readsBody: method === 'POST' || method === 'PUT', federation: flags?.federation ?? false });
  }
  return { pattern, routes, allow: [...routes.keys()].join(', ') };
}

/** A fixed path's table, the path being its own pattern. */
function fixed(path: string, entries: Entries): [string, MethodTable] {
  return [path, table(path, entries)];
}

export class Router {
  readonly #fixed = new Map<string, MethodTable>([
    fixed('/learn', [['POST', handleLearn]]),
    fixed('/recall', [['POST', handleRecallPost], ['GET', handleRecallGet]]),
    fixed('/turn', [['POST', handleTurn]]),
    fixed('/entities', [['GET', handleListEntities]]),
    fixed('/stats', [['GET', handleStats]]),
    fixed('/health', [['GET', handleHealth]]),
    fixed('/search/embedding', [['POST', handleEmbeddingSearch]]),
    fixed('/federation/contribute', [['POST', handleContribute, { federation: true }]]),
    fixed('/federation/sync', [['POST', handleSync, { federation: true }]]),
    fixed('/federation/peers', [['GET', handlePeers, { federation: true }]]),
    fixed('/federation/heartbeat', [['POST', handleHeartbeat, { federation: true }]]),
    // The WebSocket upgrade never reaches the router (conversation-socket.ts takes it): a plain GET gets 426.
    fixed(CONVERSATION_PATH, [['GET', handleConversationWithoutUpgrade]]),
  ]);

  readonly #concept = table(CONCEPT_PATTERN, [['GET', handleGetConcept], ['PUT', handleUpdateConcept], ['DELETE', handleDeleteConcept]]);

  match(method: string, path: string): RouteMatch {
    let methods = this.#fixed.get(path);
    let param = '';
    if (methods === undefined && path.startsWith(CONCEPT_PREFIX)) {
      param = decodeParam(path.slice(CONCEPT_PREFIX.length));
      if (param !== '' && !param.includes('/')) methods = this.#concept;
    }
    if (methods === undefined) return { kind: 'not_found' };
    const route = methods.routes.get(method);
    if (route === undefined) return { kind: 'method_not_allowed', pattern: methods.pattern, allow: methods.allow };
    return { kind: 'route', route, param };
  }
}

function decodeParam(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}
