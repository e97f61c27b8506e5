/**
 * Path + method → route. Fixed paths are one Map lookup; the only parameterised path is
 * /concepts/:id, matched by prefix. No regexes, nothing compiled per request. WebSocket upgrades
 * (/ws/conversation) are the server's 'upgrade' event's, not the router's.
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
  | { kind: 'method_not_allowed'; allow: string };

type Handler = (ctx: RequestContext) => Reply;
type MethodTable = Map<string, Route>;

const CONCEPT_PREFIX = '/concepts/';

function table(entries: Array<[HttpMethod, Handler, { federation?: boolean }?]>): MethodTable {
  const methods: MethodTable = new Map();
  for (const [method, handle, flags] of entries) {
    methods.set(method, { method, handle, readsBody: method === 'POST' || method === 'PUT', federation: flags?.federation ?? false });
  }
  return methods;
}

export class Router {
  readonly #fixed = new Map<string, MethodTable>([
    ['/learn', table([['POST', handleLearn]])],
    ['/recall', table([['POST', handleRecallPost], ['GET', handleRecallGet]])],
    ['/turn', table([['POST', handleTurn]])],
    ['/entities', table([['GET', handleListEntities]])],
    ['/stats', table([['GET', handleStats]])],
    ['/health', table([['GET', handleHealth]])],
    ['/search/embedding', table([['POST', handleEmbeddingSearch]])],
    ['/federation/contribute', table([['POST', handleContribute, { federation: true }]])],
    ['/federation/sync', table([['POST', handleSync, { federation: true }]])],
    ['/federation/peers', table([['GET', handlePeers, { federation: true }]])],
    ['/federation/heartbeat', table([['POST', handleHeartbeat, { federation: true }]])],
    // The WebSocket upgrade never reaches the router (conversation-socket.ts takes it): a plain GET gets 426.
    [CONVERSATION_PATH, table([['GET', handleConversationWithoutUpgrade]])],
  ]);

  readonly #concept = table([['GET', handleGetConcept], ['PUT', handleUpdateConcept], ['DELETE', handleDeleteConcept]]);

  match(method: string, path: string): RouteMatch {
    let methods = this.#fixed.get(path);
    let param = '';
    if (methods === undefined && path.startsWith(CONCEPT_PREFIX)) {
      param = decodeParam(path.slice(CONCEPT_PREFIX.length));
      if (param !== '' && !param.includes('/')) methods = this.#concept;
    }
    if (methods === undefined) return { kind: 'not_found' };
    const route = methods.get(method);
    if (route === undefined) return { kind: 'method_not_allowed', allow: [...methods.keys()].join(', ') };
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
