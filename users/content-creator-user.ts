/**
 * Content Creator (seed: a third of the api scenario's users): 40 % reads / 60 % writes, pattern
 * Learn → Learn → Recall — it learns about twice as often as it recalls. Think time 1–5 s.
 */
import { CONTENT_CREATOR_READ_SHARE, apiMix } from './support/api-mix.js';
import { ContinuumApiUser } from './support/continuum-api-user.js';
import { taskWeights } from './support/task-mix.js';

export class ContentCreatorUser extends ContinuumApiUser {
  static override weight = 1;
  static override tasks = taskWeights(apiMix(CONTENT_CREATOR_READ_SHARE));
}
