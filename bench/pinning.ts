import { spawnSync } from 'node:child_process';

/** True when util-linux `taskset` exists and works here (benchmarks pin generator and target to separate cores). */
export function tasksetAvailable(): boolean {
  const r = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  return r.status === 0;
}

/** [command, args] running `args` pinned to `cpu` when taskset works, unpinned otherwise. */
export function pinned(cpu: number | null, command: string, args: readonly string[], taskset: boolean): [string, string[]] {
  if (cpu === null || !taskset) return [command, [...args]];
  return ['taskset', ['-c', String(cpu), command, ...args]];
}
