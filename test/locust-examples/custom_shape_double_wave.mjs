// Port of locustio/locust examples/custom_shape/double_wave.py: a LoadTestShape imitating two daily
// peaks (midday and evening meals): a Gaussian bump of users at time_limit/3 and a smaller one at
// 2*time_limit/3 over a floor of min_users, the spawn rate equal to the user count; the run ends at
// time_limit. Users hit / from a TaskSet every 0.5 s.
//
// Changed, and why:
// - Scaled down so the test runs in 10 s: time_limit 600 → 10 seconds, and the user counts divided
//   by 5 (min_users 20 → 4, peak_one_users 60 → 12, peak_two_users 40 → 8). The formula is the
//   example's, unchanged, so the waves keep their form: the first peak the higher, both one
//   time_limit/15 wide.
// - Python's round() rounds halves to even; Math.round() rounds them up. No tick of this shape lands
//   on a half, so the two agree here.
import { HttpUser, LoadShape, TaskSet, constant } from 'brood';

class UserTasks extends TaskSet {
  static tasks = ['getRoot'];
  async getRoot() {
    await this.client.get('/');
  }
}

export class WebsiteUser extends HttpUser {
  waitTime = constant(0.5);
  static tasks = [UserTasks];
}

/**
 * A shape to imitate some specific user behaviour: the first peak of users at time_limit/3, the
 * second at 2*time_limit/3.
 * min_users: minimum users; peak_one_users / peak_two_users: users in each peak; time_limit: seconds.
 */
export class DoubleWave extends LoadShape {
  min_users = 4;
  peak_one_users = 12;
  peak_two_users = 8;
  time_limit = 10;

  tick() {
    const runTime = Math.round(this.getRunTime());
    if (runTime < this.time_limit) {
      const userCount =
        (this.peak_one_users - this.min_users) * Math.E ** -((runTime / ((this.time_limit / 10) * 2 / 3) - 5) ** 2) +
        (this.peak_two_users - this.min_users) * Math.E ** -((runTime / ((this.time_limit / 10) * 2 / 3) - 10) ** 2) +
        this.min_users;
      return [Math.round(userCount), Math.round(userCount)];
    }
    return null;
  }
}
