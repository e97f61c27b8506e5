// Port of locustio/locust examples/custom_wait_function.py: wait times written as functions, not
// with between()/constant(): WebsiteUser waits an exponentially distributed time (Python's
// random.expovariate), StrictWebsiteUser an exponential time cut to lie strictly between two bounds
// (strictExp). Both run basic.py's UserTasks: /, /stats/requests and /does_not_exist, weight 1 each.
//
// Changed, and why:
// - Every time is scaled down ten times so a 4-second run sees enough waits: expovariate(1) (mean
//   1 s) becomes expovariate(10) (mean 0.1 s), strictExp(3, 7) becomes strictExp(0.3, 0.7).
// - Locust's `wait_time = lambda self: …` becomes a waitTime() method. The random numbers come from
//   the user's seeded stream (this.rng) instead of Python's global `random`, so --seed replays them.
// - The class host is the test's local server ($LOCUST_EXAMPLE_HOST; the example's address is the
//   fallback). Plain JS has no decorators: `@task page404` is the string 'page404' in `static tasks`.
import { HttpUser, TaskSet } from 'brood';

function index(l) {
  return l.client.get('/');
}

function stats(l) {
  return l.client.get('/stats/requests');
}

class UserTasks extends TaskSet {
  // one can specify tasks like this (and a method by its name: JS has no @task without a compiler)
  static tasks = [index, stats, 'page404'];

  async page404() {
    await this.client.get('/does_not_exist');
  }
}

/** Python's random.expovariate(lambd): exponentially distributed, mean 1/lambd. */
function expovariate(rng, lambd) {
  return -Math.log(1 - rng.next()) / lambd;
}

/** User class that does requests to the server the test started on 127.0.0.1. */
export class WebsiteUser extends HttpUser {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8089';
  static tasks = [UserTasks];

  // Most task inter-arrival times approximate to exponential distributions.
  // We will model this wait time as exponentially distributed with a mean of 0.1 second.
  waitTime() {
    return expovariate(this.rng, 10);
  }
}

/** Returns an exponentially distributed time strictly between two bounds. */
function strictExp(rng, minWait, maxWait, mu = 1) {
  for (;;) {
    const x = expovariate(rng, mu);
    const increment = (maxWait - minWait) / (mu * 6.0);
    const result = minWait + x * increment;
    if (result < maxWait) return result;
  }
}

/** User class that makes exponential requests but strictly between two bounds. */
export class StrictWebsiteUser extends HttpUser {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8089';
  static tasks = [UserTasks];

  waitTime() {
    return strictExp(this.rng, 0.3, 0.7);
  }
}
