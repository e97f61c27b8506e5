// Port of locustio/locust examples/stop_on_threshold.py: each user requests / ten times, then
// /error five times, a second apart; a checker started by the init listener reads the run's fail
// ratio every second and quits the run once it is over 20 %, unless the run is already stopping.
//
// Changed, and why:
// - gevent.spawn(checker) becomes a setInterval started by the init listener (cleared when the run
//   stops); `time.sleep(1)` in the task becomes an awaited one-second timer.
// - `isinstance(environment.runner, WorkerRunner)` becomes `environment.worker !== null` (brood's
//   runner has no class to test; `environment.worker` is the worker's index in a --processes worker).
// - STATE_STOPPING, STATE_STOPPED and STATE_CLEANUP are imported from 'brood' as from locust.runners.
// - Plain JS has no decorators: `@task my_task` is `static tasks = ['my_task']`.
// - The class host is the test's local server ($LOCUST_EXAMPLE_HOST; the example's address is the
//   fallback). The test's server answers /error with a 500, and $LOCUST_EXAMPLE_SLEEP shortens the
//   one-second sleeps so that the run crosses 20 % within seconds.
// - The example's print() also goes to stderr here, so the test can read it.
import { HttpUser, events, STATE_CLEANUP, STATE_STOPPED, STATE_STOPPING } from 'brood';

const sleep = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

export class MyUser extends HttpUser {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://www.google.com';
  static tasks = ['my_task'];

  async my_task() {
    for (let i = 0; i < 10; i++) {
      await this.client.get('/');
      await sleep(Number(process.env.LOCUST_EXAMPLE_SLEEP ?? 1));
    }
    for (let i = 0; i < 5; i++) {
      await this.client.get('/error');
      await sleep(Number(process.env.LOCUST_EXAMPLE_SLEEP ?? 1));
    }
  }
}

function checker(environment) {
  const timer = setInterval(() => {
    if ([STATE_STOPPING, STATE_STOPPED, STATE_CLEANUP].includes(environment.runner.state)) {
      clearInterval(timer);
      return;
    }
    if (environment.runner.stats.total.fail_ratio > 0.2) {
      console.error(`fail ratio was ${environment.runner.stats.total.fail_ratio}, quitting`);
      environment.runner.quit();
      clearInterval(timer);
    }
  }, 1000);
  timer.unref();
}

events.init.on(({ environment }) => {
  if (environment.worker === null) checker(environment);
});
