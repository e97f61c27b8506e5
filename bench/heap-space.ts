import { getHeapSpaceStatistics } from 'node:v8';

/** Bytes in V8's young generation: the allocation a hot loop leaves behind (run after gc()). */
export function newSpaceUsed(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
}
