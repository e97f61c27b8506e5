// Port of locustio/locust examples/dynamic_user_credentials.py: a module-level list of three
// credentials; each user's TaskSet, when it starts, pops one (from the end, as Python's list.pop())
// and logs in with it (a form post, as requests' `post(url, dict)`); users beyond the third find the
// list empty and browse without logging in.
//
// Changed, and why:
// - `wait_time = between(5, 60)` is scaled down a hundred times to between(0.05, 0.6) so a short run
//   browses several times per user.
// - The class is exported as `User`, as in the example; it shadows nothing here because brood's
//   own User is not imported.
// - With --processes, each worker imports this file and so has its own list of three, as each
//   Locust worker process does.
import { HttpUser, TaskSet, between } from 'brood';

const USER_CREDENTIALS = [
  ['user1', 'password'],
  ['user2', 'password'],
  ['user3', 'password'],
];

class UserBehaviour extends TaskSet {
  static tasks = ['someTask'];

  async onStart() {
    if (USER_CREDENTIALS.length > 0) {
      const [user, passw] = USER_CREDENTIALS.pop();
      await this.client.post('/login', { data: { username: user, password: passw } });
    }
  }

  async someTask() {
    // user should be logged in here (unless the USER_CREDENTIALS ran out)
    await this.client.get('/protected/resource');
  }
}

export class User extends HttpUser {
  static tasks = [UserBehaviour];
  waitTime = between(0.05, 0.6);
}
