import type { HttpSession, RequestOptions } from './client.js';
import { cacheBreaking, restArguments, restCall, type RestCheck, type RestResponse } from './rest-call.js';
import { User, USER_CLIENT, USER_PRECONNECT, USER_SESSION, type PreconnectPlan, type UserSession } from '../core/user.js';
import { HOST_SCHEMES } from '../core/brand.js';

/** A User with `this.client`: an HTTP session over undici with keep-alive, recording every request. */
export class HttpUser extends User {
  static override abstract = true;
  static readonly [HOST_SCHEMES]: readonly string[] = ['http:', 'https:'];
  #client: HttpSession | null = null;

  /**
   * This user's HTTP session, made on first use: by then the class's own fields exist, so an
   * instance `host = '…'` field is the session's target as a `static host` is.
   */
  get client(): HttpSession {
    this.#client ??= this.environment.createHttpSession(this);
    return this.#client;
  }

  /**
   * Locust's FastHttpUser.rest(): a JSON request (Content-Type and Accept default to
   * application/json) whose response is parsed into `resp.js` and checked by `check`, Python's
   * `with` block: it may call resp.success()/resp.failure(), and what it throws (an assertion, a
   * TypeError on a missing field) fails the request instead of the task (rest-call.ts).
   *
   *     await this.rest('POST', '/post', { json: { foo: 1 } }, (resp) => {
   *       assert.equal(resp.js?.data.foo, 1, 'Unexpected value of foo,');
   *     });
   */
  rest<T = unknown>(method: string, url: string, check?: RestCheck<T>): Promise<RestResponse<T>>;
  rest<T = unknown>(method: string, url: string, options?: RequestOptions, check?: RestCheck<T>): Promise<RestResponse<T>>;
  rest<T = unknown>(method: string, url: string, optionsOrCheck?: RequestOptions | RestCheck<T>, check?: RestCheck<T>): Promise<RestResponse<T>> {
    const [options, block] = restArguments(optionsOrCheck, check);
    return restCall(this.client, method, url, options, block);
  }

  /**
   * Locust's rest_(): rest() with a `_=<milliseconds>` query parameter that breaks through caches,
   * recorded as `url?_=...` unless the options name it.
   */
  rest_<T = unknown>(method: string, url: string, check?: RestCheck<T>): Promise<RestResponse<T>>;
  rest_<T = unknown>(method: string, url: string, options?: RequestOptions, check?: RestCheck<T>): Promise<RestResponse<T>>;
  rest_<T = unknown>(method: string, url: string, optionsOrCheck?: RequestOptions | RestCheck<T>, check?: RestCheck<T>): Promise<RestResponse<T>> {
    const [options, block] = restArguments(optionsOrCheck, check);
    const busted = cacheBreaking(url, Date.now());
    return restCall(this.client, method, busted.url, { ...options, name: options.name ?? busted.name }, block);
  }

  override [USER_SESSION](): UserSession | null {
    return this.#client;
  }

  override [USER_CLIENT](): HttpSession {
    return this.client;
  }

  /** Its first connection comes from the run's warm HTTP connections. */
  override [USER_PRECONNECT](): PreconnectPlan {
    return 'http';
  }
}
