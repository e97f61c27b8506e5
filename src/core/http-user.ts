import type { HttpSession } from '../http/client.js';
import { User, type UserEnvironment } from './user.js';

/** A User with `this.client`: an HTTP session over undici with keep-alive, recording every request. */
export class HttpUser extends User {
  static override abstract = true;
  readonly client: HttpSession;

  constructor(environment: UserEnvironment) {
    super(environment);
    this.client = environment.createHttpSession(this);
  }
}
