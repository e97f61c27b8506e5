// Port of locustio/locust examples/custom_shape/stages.py: a LoadTestShape that walks a list of
// stages (each "until this many seconds, this many users at this spawn rate") and ends the run
// (returns null, Locust's None) once the last stage is over. Users hit / from a TaskSet every 0.5 s.
//
// Changed, and why:
// - The stages are compressed so the whole shape runs in 12 s instead of 240 s, with a fifth of
//   Locust's user counts (the last stage's 1 kept); they keep the example's form: up in two steps, a
//   peak, down in three, the last at a spawn rate of 1. Locust's stages, for reference: 60 s → 10 users, 100 → 50, 180 → 100,
//   220 → 30, 230 → 10, 240 → 1 (rate 1), every other rate 10.
// - The docstring's `stop` key is described but never used by Locust's tick(), so it is not here either.
// - Locust's LoadTestShape is brood's LoadShape; tick() reads this.getRunTime() as the example does
//   (brood also passes the time as tick's argument) and returns Locust's tuple [users, spawnRate].
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
 * A simple load test shape class that has different user and spawn_rate at different stages.
 * stages: each { duration (when this many seconds passed, go to the next stage), users, spawn_rate }.
 */
export class StagesShape extends LoadShape {
  stages = [
    { duration: 2, users: 2, spawn_rate: 10 },
    { duration: 4, users: 10, spawn_rate: 10 },
    { duration: 7, users: 20, spawn_rate: 10 },
    { duration: 10, users: 6, spawn_rate: 10 },
    { duration: 11, users: 2, spawn_rate: 10 },
    { duration: 12, users: 1, spawn_rate: 1 },
  ];

  tick() {
    const runTime = this.getRunTime();
    for (const stage of this.stages) {
      if (runTime < stage.duration) return [stage.users, stage.spawn_rate];
    }
    return null;
  }
}
