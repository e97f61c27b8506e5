// Port of locustio/locust examples/nested_inline_tasksets.py: TaskSets declared inline inside the
// user and inside each other. The user's one task is TopLevelTaskSet, which picks, with equal
// weights, its own stats task or IndexTaskSet; IndexTaskSet picks index (weight 10) or stop
// (weight 1), and stop leaves it with self.interrupt() (back to TopLevelTaskSet at once).
//
// Changed, and why:
// - Plain JS has no decorators, so `@task class …` becomes a class expression in `static tasks`
//   (weight 1 each, as @task without a weight) and `@task(10) def index` becomes { index: 10 }.
// - The class host is the test's local server ($LOCUST_EXAMPLE_HOST; the example's address is the
//   fallback), and between(2, 5) is scaled down a hundred times to between(0.02, 0.05) so a 3-second
//   run walks in and out of the nested sets often enough to see their structure.
import { HttpUser, TaskSet, between } from 'brood';

/** Example of the ability of inline nested TaskSet classes. */
export class WebsiteUser extends HttpUser {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8089';
  waitTime = between(0.02, 0.05);

  static tasks = [
    class TopLevelTaskSet extends TaskSet {
      static tasks = [
        class IndexTaskSet extends TaskSet {
          static tasks = { index: 10, stop: 1 };

          async index() {
            await this.client.get('/');
          }

          async stop() {
            this.interrupt();
          }
        },
        'stats',
      ];

      async stats() {
        await this.client.get('/stats/requests');
      }
    },
  ];
}
