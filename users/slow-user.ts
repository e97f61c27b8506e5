/**
 * SlowUser (seed: "deliberate, thoughtful usage, long-term stability testing"): the full API mix
 * of RealisticAPIUser with 5–15 s between requests.
 */
import { between } from '../src/index.js';
import { RealisticAPIUser } from './realistic-api-user.js';

export class SlowUser extends RealisticAPIUser {
  override waitTime = between(5, 15);
}
