/**
 * RealisticAPIUser (seed: "normal user think time, production simulation"): the full API mix at
 * reads 60 / writes 40 (see support/api-mix.ts) with 1–5 s between requests.
 */
import { between } from '../src/index.js';
import { API_READ_SHARE, apiMix } from './support/api-mix.js';
import { ContinuumApiUser } from './support/continuum-api-user.js';
import { taskWeights } from './support/task-mix.js';

export class RealisticAPIUser extends ContinuumApiUser {
  static override weight = 1;
  static override tasks = taskWeights(apiMix(API_READ_SHARE));
  override waitTime = between(1, 5);
}
