// Port of locustio/locust examples/basic.py: a TaskSet whose tasks are two plain functions (Locust's
// `tasks = [index, stats]`) plus one decorated method (`@task page404`), all weight 1, under a
// WebsiteUser with its own class host and between() think time.
//
// Changed, and why:
// - `host = "http://127.0.0.1:8089"` (Locust's own web UI) becomes the test's local server, read from
//   $LOCUST_EXAMPLE_HOST so the test can check that a class's host is honoured without -H; the
//   example's address stays the fallback.
// - `wait_time = between(2, 5)` is scaled down ten times to between(0.2, 0.5), so a 3-second run has
//   enough think times to measure; the shape of the wait (uniform between two bounds) is the same.
// - Plain JS has no decorators: `@task page404` is written as the string 'page404' in `static tasks`
//   beside the two functions; each entry weighs 1, as in the Locust file.
import { HttpUser, TaskSet, between } from 'brood';

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

/** User class that does requests to the server the test started on 127.0.0.1. */
export class WebsiteUser extends HttpUser {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8089';
  waitTime = between(0.2, 0.5);
  static tasks = [UserTasks];
}
