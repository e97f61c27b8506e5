/**
 * The full-API workload (seed: "4. Full API Workload") and the read/write-tilted variants the three
 * user types run.
 *
 * The seed's API list does not add up (groups 60 + 30 + 10 + 5 = 105 %, items 110 %), and its own
 * "Read/Write ratio: 60/40" target contradicts its groups (READ 60 + SEARCH 10 = 70 % reads). What
 * the seed states three times is the user types — Heavy Readers 80/20, Balanced 60/40, Content
 * Creators 40/60, a third of the users each — which average to exactly its 60/40 target. So:
 *
 *   - reads  = recall_context 35, check_stats 15, browse_entities 10, health_check 5,
 *              semantic_search 8, complex_search 2 (searches are reads);
 *   - writes = learn_from_conversation 20, process_full_turn 10;
 *   - a user type with read share r gives reads r and writes 1 − r, each split in the seed's item
 *     proportions (the normalisation of task-mix.ts with two groups);
 *   - "user_specific_behavior 5 %" is the tilt itself: it is what makes a Heavy Reader read more.
 *
 * The api scenario (one third of each type) therefore runs reads 60 / writes 40 with the item
 * proportions above; RealisticAPIUser runs that same 60/40 mix on its own.
 */
import { normaliseMix, type MixItem, type TaskShare } from './task-mix.js';

export const API_READS: readonly MixItem[] = [
  { task: 'recall', request: 'POST /recall', weight: 35 },
  { task: 'checkStats', request: 'GET /stats', weight: 15 },
  { task: 'browseEntities', request: 'GET /entities', weight: 10 },
  { task: 'healthCheck', request: 'GET /health', weight: 5 },
  { task: 'semanticSearch', request: 'GET /recall', weight: 8 },
  { task: 'complexSearch', request: 'POST /search/embedding', weight: 2 },
];

export const API_WRITES: readonly MixItem[] = [
  { task: 'learn', request: 'POST /learn', weight: 20 },
  { task: 'processTurn', request: 'POST /turn', weight: 10 },
];

export const API_READ_TASKS: ReadonlySet<string> = new Set(API_READS.map((i) => i.task));

/** The API mix for a user whose reads are `readShare` (0..1) of its tasks. */
export function apiMix(readShare: number): TaskShare[] {
  return normaliseMix([
    { label: 'read', share: readShare, items: API_READS },
    { label: 'write', share: 1 - readShare, items: API_WRITES },
  ]);
}

export const HEAVY_READER_READ_SHARE = 0.8;
export const BALANCED_READ_SHARE = 0.6;
export const CONTENT_CREATOR_READ_SHARE = 0.4;
/** The api scenario's overall read share: the mean of the three types (equal user counts). */
export const API_READ_SHARE = (HEAVY_READER_READ_SHARE + BALANCED_READ_SHARE + CONTENT_CREATOR_READ_SHARE) / 3;
