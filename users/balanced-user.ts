/**
 * Balanced user (seed: a third of the api scenario's users): 60 % reads / 40 % writes, pattern
 * Recall → Learn → Search. Think time 1–5 s.
 */
import { BALANCED_READ_SHARE, apiMix } from './support/api-mix.js';
import { ContinuumApiUser } from './support/continuum-api-user.js';
import { taskWeights } from './support/task-mix.js';

export class BalancedUser extends ContinuumApiUser {
  static override weight = 1;
  static override tasks = taskWeights(apiMix(BALANCED_READ_SHARE));
}
