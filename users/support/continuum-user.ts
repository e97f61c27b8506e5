/**
 * Base of every CONTINUUM user class: an HttpUser with its own generated-data source (seeded from
 * the user's Rng) and the concept ids it has seen. Abstract, so the loader never spawns it.
 */
import { HttpUser, between } from '../../src/index.js';
import { ConceptIdPool } from './concept-id-pool.js';
import { ContinuumData } from './continuum-data.js';
import type { ContinuumSession } from './memory-requests.js';

export abstract class ContinuumUser extends HttpUser implements ContinuumSession {
  static override abstract = true;
  /** The seed's RealisticAPIUser think time; classes with another behaviour override it. */
  override waitTime = between(1, 5);
  readonly data: ContinuumData = new ContinuumData(this.rng);
  readonly conceptIds = new ConceptIdPool();
}
