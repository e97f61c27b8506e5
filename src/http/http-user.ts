import type { HttpSession } from './client.js';
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
