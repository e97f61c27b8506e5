// Port of locustio/locust examples/semaphore_wait.py: every user waits in on_start until all users
// are spawned (a gevent Semaphore released by the spawning_complete listener), then requests / as
// fast as it can (the example sets no wait_time: no think time, as in Locust).
//
// Changed, and why:
// - gevent's Semaphore becomes a Promise the spawningComplete listener resolves: users that start
//   before it fires await it in onStart; users that start after it find it resolved.
// - The class host is the test's local server ($LOCUST_EXAMPLE_HOST; the example's address is the
//   fallback).
// - With --processes, each worker imports this file and so has its own "semaphore", released by
//   the spawningComplete event in that worker (which fires when the whole run's ramp is done).
import { HttpUser, events } from 'brood';

let release;
const allUsersSpawned = new Promise((resolve) => (release = resolve));

events.spawningComplete.on(() => release());

export class WebsiteUser extends HttpUser {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8089';
  static tasks = ['index'];

  async onStart() {
    await allUsersSpawned;
  }

  async index() {
    await this.client.get('/');
  }
}
