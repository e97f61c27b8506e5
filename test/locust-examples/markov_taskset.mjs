// Port of locustio/locust examples/markov_taskset.py: a MarkovTaskSet whose six tasks are joined by
// weighted transitions, declared in each of the ways Locust allows: one @transition, stacked
// @transition decorators, @transitions with a dict, with a list of names (weight 1 each), with a list
// of (name, weight) tuples, and with a mixed list. The walk starts at the first task (method1).
//
// Changed, and why:
// - Plain JS has no decorators: brood's transition() and transitions() are applied to the methods
//   by hand below the class, one call per Python decorator, in the same forms (a dict, a list of
//   names, a list of [name, weight] pairs, a mixed list). Stacked decorators apply bottom first in
//   Python; the order does not change the result.
// - Each task only prints in the example, so nothing could see the walk. Here each task requests
//   GET /methodN instead of printing (the test's server records the walk of each user, one
//   keep-alive connection per user). The user is therefore an HttpUser, not a plain User, with the
//   test's server as its host ($LOCUST_EXAMPLE_HOST, or -H).
// - constant(1) is scaled down fifty times to constant(0.02), so a short run makes enough steps to
//   measure each transition's share. run_single_user (the __main__ block) has no brood equivalent:
//   run it with `run-load-tests -f markov_taskset.mjs -u 1`.
import { HttpUser, MarkovTaskSet, constant, transition, transitions } from 'brood';

/** This MarkovTaskSet demonstrates all the different ways to specify transitions. */
class TransitionsExample extends MarkovTaskSet {
  // Method 1: Using a single @transition decorator. Next: method2.
  async method1() {
    await this.client.get('/method1');
  }

  // Method 2: Using multiple stacked @transition decorators. Next: method3 (weight 2) or method1 (weight 1).
  async method2() {
    await this.client.get('/method2');
  }

  // Method 3: Using @transitions with a dictionary. Next: method4 (weight 3), method2 (weight 1), or method1 (weight 1).
  async method3() {
    await this.client.get('/method3');
  }

  // Method 4: Using @transitions with a list of task names. Next: method5 or method3 with equal probability.
  async method4() {
    await this.client.get('/method4');
  }

  // Method 5: Using @transitions with a list of tuples. Next: method6 (weight 4) or method4 (weight 1).
  async method5() {
    await this.client.get('/method5');
  }

  // Method 6: Using @transitions with a mixed list. Next: method1 (weight 2) or method5 (weight 1).
  async method6() {
    await this.client.get('/method6');
  }
}

const m = TransitionsExample.prototype;
transition('method2')(m.method1);
transition('method1')(m.method2);
transition('method3', 2)(m.method2);
transitions({ method4: 3, method2: 1, method1: 1 })(m.method3);
transitions(['method5', 'method3'])(m.method4);
transitions([['method6', 4], ['method4', 1]])(m.method5);
transitions([['method1', 2], 'method5'])(m.method6);

export class TransitionsUser extends HttpUser {
  static tasks = [TransitionsExample];
  waitTime = constant(0.02);
}
