/**
 * Spike load (seed: "test resilience to traffic spikes"): warm-up 100 → spike 1 000 → cool-down
 * 200 → spike 1 500 → recovery 100 users, 60 s each, then the run ends. Stages are configurable;
 * `peakUsers` scales every level by peakUsers / (highest level), so `--users 300` runs the same
 * pattern at 20, 200, 40, 300, 20 users. Levels keep at least one user when scaled down.
 */
import { ConfigError, LoadShape, type ShapeStage, type ShapeTick } from '../src/index.js';

export interface SpikeStage {
  label: string;
  durationSec: number;
  users: number;
}

export interface SpikeLoadOptions {
  stages?: readonly SpikeStage[];
  /** Scale all levels so the highest is this many users. */
  peakUsers?: number;
  /** Users started/stopped per second; default peak / 10 so a spike lands within ~10 s. */
  spawnRate?: number;
}

export const SEED_SPIKE_STAGES: readonly SpikeStage[] = Object.freeze([
  { label: 'warm-up', durationSec: 60, users: 100 },
  { label: 'spike 1', durationSec: 60, users: 1000 },
  { label: 'cool-down', durationSec: 60, users: 200 },
  { label: 'spike 2', durationSec: 60, users: 1500 },
  { label: 'recovery', durationSec: 60, users: 100 },
]);

function checkOptions(options: SpikeLoadOptions, stages: readonly SpikeStage[]): string[] {
  const problems: string[] = [];
  if (stages.length === 0) problems.push('stages must hold at least one stage');
  stages.forEach((s, i) => {
    if (!(typeof s.durationSec === 'number' && Number.isFinite(s.durationSec) && s.durationSec > 0)) {
      problems.push(`stage ${i + 1} (${s.label}): durationSec must be > 0`);
    }
    if (!(Number.isInteger(s.users) && s.users >= 0)) problems.push(`stage ${i + 1} (${s.label}): users must be a whole number >= 0`);
  });
  if (stages.length > 0 && stages.every((s) => s.users === 0)) problems.push('at least one stage needs users > 0');
  const { peakUsers, spawnRate } = options;
  if (peakUsers !== undefined && !(Number.isInteger(peakUsers) && peakUsers > 0)) {
    problems.push(`peakUsers must be a whole number > 0 (got ${String(peakUsers)})`);
  }
  if (spawnRate !== undefined && !(typeof spawnRate === 'number' && Number.isFinite(spawnRate) && spawnRate > 0)) {
    problems.push(`spawnRate must be a number > 0 (got ${String(spawnRate)})`);
  }
  return problems;
}

export class SpikeLoadShape extends LoadShape {
  /** The stages as run: levels already scaled to peakUsers. */
  readonly levels: readonly SpikeStage[];
  readonly spawnRate: number;
  readonly totalSec: number;

  constructor(options: SpikeLoadOptions = {}) {
    super();
    const stages = options.stages ?? SEED_SPIKE_STAGES;
    const problems = checkOptions(options, stages);
    if (problems.length > 0) throw new ConfigError('BAD_SHAPE', `SpikeLoadShape: ${problems.join('; ')}`);
    const highest = Math.max(...stages.map((s) => s.users));
    const peak = options.peakUsers ?? highest;
    this.levels = stages.map((s) => ({ ...s, users: scaleLevel(s.users, peak / highest) }));
    this.spawnRate = options.spawnRate ?? Math.max(1, peak / 10);
    this.totalSec = stages.reduce((t, s) => t + s.durationSec, 0);
  }

  tick(runTimeSeconds: number): ShapeTick | null {
    let end = 0;
    for (const stage of this.levels) {
      end += stage.durationSec;
      if (runTimeSeconds < end) return { users: stage.users, spawnRate: this.spawnRate };
    }
    this.stopReason = `spike pattern complete after ${this.totalSec} s (${this.levels.map((s) => s.users).join(' → ')} users)`;
    return null;
  }

  override stages(): ShapeStage[] {
    let start = 0;
    return this.levels.map((s) => {
      const stage = { startSec: start, label: s.label, users: s.users };
      start += s.durationSec;
      return stage;
    });
  }
}

function scaleLevel(users: number, factor: number): number {
  if (users === 0) return 0;
  return Math.max(1, Math.round(users * factor));
}
