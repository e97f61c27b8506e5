/**
 * Heavy Reader (seed: a third of the api scenario's users): 80 % reads / 20 % writes, pattern
 * Browse → Recall → Stats — browsing entities, recalling context and checking stats are its most
 * frequent operations. Think time 1–5 s, like RealisticAPIUser.
 */
import { HEAVY_READER_READ_SHARE, apiMix } from './support/api-mix.js';
import { ContinuumApiUser } from './support/continuum-api-user.js';
import { taskWeights } from './support/task-mix.js';

export class HeavyReaderUser extends ContinuumApiUser {
  static override weight = 1;
  static override tasks = taskWeights(apiMix(HEAVY_READER_READ_SHARE));
}
