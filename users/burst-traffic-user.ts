/**
 * BurstTrafficUser (seed: "rapid-fire requests, stress testing, traffic spikes"): the full API mix
 * of RealisticAPIUser with only 0.1–0.5 s between requests.
 */
import { between } from '../src/index.js';
import { RealisticAPIUser } from './realistic-api-user.js';

export class BurstTrafficUser extends RealisticAPIUser {
  override waitTime = between(0.1, 0.5);
}
