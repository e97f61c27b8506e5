import { isAbsolute, queryString } from './request-url.js';
import type { RequestOptions } from './request-options.js';
import { BroodResponse } from './response.js';

/**
 * The response object a request starts with: where it goes (a path under the session's base URL,
 * with the base's path prefix, or an absolute URL of its own) and the stats row it is recorded
 * under (`options.name`, else the name renameRequest() gave, else the path as the task wrote it).
 * `origin` and `pathPrefix` are the session's base URL split once.
 */
export function responseFor(origin: string, pathPrefix: string, renamed: string | null, maxBodyBytes: number, method: string, path: string, options: RequestOptions): BroodResponse {
  let to = origin;
  let requestPath: string;
  let name = options.name ?? renamed ?? undefined;
  if (isAbsolute(path) && URL.canParse(path)) {
    const u = new URL(path);
    to = u.origin;
    requestPath = u.pathname + u.search;
    // As Locust: a full URL's stats row is its path and query (never its host or credentials).
    name ??= requestPath;
  } else {
    requestPath = pathPrefix + (path.charCodeAt(0) === 47 /* / */ ? path : `/${path}`);
    name ??= path;
  }
  const query = options.query ?? options.params;
  if (query !== undefined && query !== null && typeof query === 'object') {
    const qs = queryString(query);
    if (qs !== '') requestPath += (requestPath.includes('?') ? '&' : '?') + qs;
  }
  return new BroodResponse(method, name, to, requestPath, maxBodyBytes, options.catchResponse === true);
}
