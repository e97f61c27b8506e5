import type { LoadShape, ShapeStage } from '../../core/shape.js';
import type { RunInfo } from '../../report/run-info.js';
import type { JobSetup } from './job-setup.js';

/** How a job's run went, beyond what its setup says (wall-clock times in ms). */
export interface JobEnding {
  seed: number;
  userClasses: string[];
  startWallMs: number;
  endWallMs: number;
  durationSecs: number;
  stopReason: string;
  /** --reset-stats: when the totals started again (null: they never did). */
  statsResetWallMs?: number | null;
  /** The stats_history row written at (or last before) the reset. */
  statsResetHistoryTimestamp?: number | null;
}

/** What the final reports say about the run itself: how it was started (the setup) and how it ended. */
export function finishedRunInfo(setup: JobSetup, ending: JobEnding): RunInfo {
  return {
    broodVersion: setup.version,
    command: setup.command,
    scenario: setup.scenario,
    testFile: setup.testFile,
    host: setup.host,
    users: setup.users,
    spawnRate: setup.spawnRate,
    shape: setup.shapeName,
    seed: ending.seed,
    userClasses: ending.userClasses,
    startWallMs: ending.startWallMs,
    endWallMs: ending.endWallMs,
    durationSecs: ending.durationSecs,
    stopReason: ending.stopReason,
    // A shape sets it only as it ends the run, so it is this run's reason when set.
    breakingPoint: setup.shape?.breakingPoint ?? null,
    statsResetWallMs: ending.statsResetWallMs ?? null,
    statsResetHistoryTimestamp: ending.statsResetHistoryTimestamp ?? null,
    runTimeLimitSecs: setup.runTimeSec,
    nodeVersion: process.version,
  };
}

/** A shape's stage markers for the charts; a shape whose stages() throws just has none. */
export function stagesOf(shape: LoadShape | null): ShapeStage[] {
  if (!shape) return [];
  try {
    const stages = shape.stages();
    return Array.isArray(stages) ? stages : [];
  } catch {
    return [];
  }
}
