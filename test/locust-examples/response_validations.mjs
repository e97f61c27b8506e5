// Port of locustio/locust examples/response_validations.py: BadUser posts without looking at the
// answers; GoodUser checks each answer with rest() and fails it when it says something wrong; a
// request listener registered by the init listener ends the task (RescheduleTask) at the first
// failed request, so a failed login is never followed by a checkout.
//
// Changed, and why:
// - `with self.rest(...) as resp:` is `await this.rest(..., (resp) => { … })`; Python's walrus
//   checks are plain ifs.
// - Plain JS has no decorators: `@task t` is `static tasks = ['t']`.
// - The example serves /authenticate and /checkout/confirm from Locust's own web UI (Flask routes
//   on environment.web_ui), which brood has no form of: the test's server answers them.
// - `FastHttpUser.host = …` sets the host of every class, as in the example; the address is the
//   test's server ($LOCUST_EXAMPLE_HOST; the example's is the fallback). `run_single_user(GoodUser)`
//   under `__main__` is left out (runSingleUser is brood's).
import { FastHttpUser, RescheduleTask, events } from 'brood';

export class BadUser extends FastHttpUser {
  static tasks = ['t'];

  async t() {
    await this.client.request('POST', '/authenticate', { json: { username: 'foo', password: 'bar' } });
    await this.client.request('POST', '/checkout/confirm', { json: { foo: 'bar' } });
  }
}

export class GoodUser extends FastHttpUser {
  static tasks = ['t'];

  async t() {
    await this.rest('POST', '/authenticate', { json: { username: 'foo', password: 'bar' } }, (resp) => {
      const error = resp.js.error;
      const message = resp.js.message;
      if (error) {
        resp.failure(error);
      } else if (message) {
        if (message !== 'Welcome foo!') resp.failure(`Wrong welcome message: ${message}`);
      }
    });
    await this.rest('POST', '/checkout/confirm', { json: { foo: 'bar' } }, (resp) => {
      if (!resp.js.orderId) resp.failure('orderId missing');
    });
  }
}

events.init.on(() => {
  events.request.on(({ error }) => {
    if (error) throw new RescheduleTask();
  });
});

FastHttpUser.host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8089';
