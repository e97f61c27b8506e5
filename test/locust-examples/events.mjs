// Port of locustio/locust examples/events.py: event hooks that add up the content length of every
// response (events.request), with a weighted TaskSet (index 2 : stats 1) under a WebsiteUser that
// has its own class host.
//
// Changed, and why:
// - brood has no web UI, so the init listener's `/content-length` route cannot exist. What it
//   stands for is kept: init code that runs only where the web UI lives (Locust's master, here the
//   main process: `environment.worker === null`), and a total of the content lengths made visible at
//   the end (written to $EVENTS_LOG instead of served).
// - brood has no report_to_master / worker_report events (its --processes workers are threads
//   whose stats the main thread merges itself). Each process therefore writes its own sum when the
//   run stops, as each Locust worker reports its part, and the total is the sum of those lines (the
//   test adds them up, as Locust's master does in on_worker_report). Where its users run (a worker
//   with --processes), each copy of this file sees the requests of its own users only, as a worker does.
// - Added, so the test can check the run's life cycle: every test-level event appends
//   "<event> <where>" to $EVENTS_LOG (where: main, or the worker's index), synchronously because
//   the process may exit right after quitting.
// - The class host is the test's local server ($LOCUST_EXAMPLE_HOST; the example's address is the
//   fallback), and between(2, 5) is scaled down a hundred times to between(0.02, 0.05) so a 2-second
//   run makes enough requests to see the 2:1 weights.
import { appendFileSync } from 'node:fs';
import { HttpUser, TaskSet, between, events } from 'brood';

class MyTaskSet extends TaskSet {
  static tasks = { index: 2, stats: 1 };

  async index() {
    await this.client.get('/');
  }

  async stats() {
    await this.client.get('/stats/requests');
  }
}

export class WebsiteUser extends HttpUser {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8089';
  waitTime = between(0.02, 0.05);
  static tasks = [MyTaskSet];
}

const stats = { 'content-length': 0 };
let where = 'main';
const log = (line) => appendFileSync(process.env.EVENTS_LOG, `${line} ${where}\n`);

events.init.on(({ environment }) => {
  where = environment.worker === null ? 'main' : String(environment.worker);
  log('init');
  // Locust: `if environment.web_ui:` — this code is only run on the master node.
  if (environment.worker === null) log('init-web-ui');
});

/** Triggered on every request: adds its response length. */
events.request.on((e) => {
  stats['content-length'] += e.contentLength;
});

events.testStart.on(() => log('testStart'));
events.spawningComplete.on(({ userCount }) => log(`spawningComplete:${userCount}`));
events.testStopping.on(() => log('testStopping'));
// Locust's report_to_master / worker_report: this process's share of the total, once, at the end.
events.testStop.on(() => {
  log('testStop');
  log(`content-length:${stats['content-length']}`);
  stats['content-length'] = 0;
});
events.quitting.on(() => log('quitting'));
