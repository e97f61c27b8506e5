// Port of locustio/locust examples/custom_messages.py: at the start, the master (or a run alone)
// makes one username per user and sends each worker its share as a custom message; each worker
// keeps them, thanks the master with a message of its own and sends it a second one, whose
// listener takes a while (Locust runs it "concurrently"); every user takes a name in its
// constructor and prints it in its task.
//
// Changed, and why:
// - Listeners get one object, `({ environment, msg })`, as brood's events do (Locust passes keyword
//   arguments); `msg.data` and `msg.node_id` are as in Locust.
// - `isinstance(environment.runner, MasterRunner)` is `environment.runner instanceof MasterRunner`,
//   with LocalRunner, MasterRunner and WorkerRunner imported from 'brood'.
// - `environment.runner.clients` (the master's worker ids) becomes the workers' indexes
//   0..worker_count-1, and `send_message(type, data, worker)` takes the index; a run alone is one
//   "worker", index 0, as Locust's LocalRunner is `[environment.runner]`.
// - `concurrent=True` is accepted and means nothing more: a JS listener that awaits never blocks
//   the others. gevent.sleep(10) becomes an awaited timer of $LOCUST_EXAMPLE_SLEEP seconds (10 by
//   default), so the test need not wait 10 s.
// - The class host is the test's local server ($LOCUST_EXAMPLE_HOST; the example's address is the fallback).
import { HttpUser, between, events, LocalRunner, MasterRunner, WorkerRunner } from 'brood';

const usernames = [];

function setup_test_users({ environment, msg }) {
  usernames.push(...msg.data.map((u) => u.name));
  environment.runner.send_message('acknowledge_users', `Thanks for the ${msg.data.length} users!`);
  environment.runner.send_message('concurrent_message', 'Message to concurrent handler');
}

function on_acknowledge({ msg }) {
  console.log(msg.data);
}

async function on_concurrent_message({ msg }) {
  console.log(`concurrent_message received with data: '${msg.data}'`);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.LOCUST_EXAMPLE_SLEEP ?? 10) * 1000));
  console.log('finished processing concurrent_message');
}

events.init.on(({ environment }) => {
  if (!(environment.runner instanceof MasterRunner)) {
    environment.runner.register_message('test_users', setup_test_users);
  }
  if (!(environment.runner instanceof WorkerRunner)) {
    environment.runner.register_message('acknowledge_users', on_acknowledge);
    environment.runner.register_message('concurrent_message', on_concurrent_message, true);
  }
});

events.testStart.on(({ environment }) => {
  if (!(environment.runner instanceof WorkerRunner)) {
    const users = Array.from({ length: environment.runner.target_user_count }, (_, i) => ({ name: `User${i}` }));
    const worker_count = environment.runner.worker_count;
    const chunk_size = Math.floor(users.length / worker_count);
    const workers = environment.runner instanceof LocalRunner ? [0] : Array.from({ length: worker_count }, (_, i) => i);
    workers.forEach((worker, i) => {
      const start_index = i * chunk_size;
      const end_index = i + 1 < worker_count ? start_index + chunk_size : users.length;
      environment.runner.send_message('test_users', users.slice(start_index, end_index), worker);
    });
  }
});

export class WebsiteUser extends HttpUser {
  static host = process.env.LOCUST_EXAMPLE_HOST ?? 'http://127.0.0.1:8089';
  static tasks = ['task'];
  waitTime = between(2, 5);

  constructor(environment) {
    super(environment);
    this.username = usernames.pop();
  }

  task() {
    console.log(this.username);
  }
}
