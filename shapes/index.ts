/**
 * The built-in shapes behind `--shape step|spike`, configured from command-line flags.
 *
 *   --shape step   StepLoadShape: --step-users (100) every --step-time (60 s) until -t (10 min)
 *                  or failure — the seed's "continues until failure": the run stops when errors
 *                  pass 5 % or P95 passes 500 ms for 3 s running (STEP_FLAG_STOP: the seed's own
 *                  "high error rate" and "slow response" thresholds); --users caps the count,
 *                  --spawn-rate sets how fast each step is reached.
 *   --shape spike  SpikeLoadShape: the seed's 100 → 1 000 → 200 → 1 500 → 100 pattern; --users
 *                  sets the peak (all levels scale with it), --step-time the length of each stage,
 *                  or -t the length of the whole pattern (split evenly), default 60 s per stage.
 */
import { ConfigError, type LoadShape } from '../src/index.js';
import { SEED_SPIKE_STAGES, SpikeLoadShape } from './spike-load-shape.js';
import { StepLoadShape } from './step-load-shape.js';

export { StepLoadShape, STEP_DEFAULTS, type StepLoadOptions } from './step-load-shape.js';
export { SpikeLoadShape, SEED_SPIKE_STAGES, type SpikeLoadOptions, type SpikeStage } from './spike-load-shape.js';

export const SHAPE_NAMES: readonly string[] = ['step', 'spike'];

/** "Until failure" for `--shape step`: the seed's "High Error Rates (>5%)" and "Slow Response Times (P95 >500ms)". */
export const STEP_FLAG_STOP = { maxFailureRatio: 0.05, maxP95Ms: 500 } as const;

export interface ShapeFlags {
  users: number | null;
  spawnRate: number | null;
  stepUsers: number | null;
  stepTimeSec: number | null;
  runTimeSec: number | null;
}

function given<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

export function shapeFromFlags(name: string, flags: ShapeFlags): LoadShape {
  switch (name) {
    case 'step':
      return new StepLoadShape({
        stepUsers: given(flags.stepUsers),
        stepTimeSec: given(flags.stepTimeSec),
        timeLimitSec: given(flags.runTimeSec),
        spawnRate: given(flags.spawnRate),
        maxUsers: given(flags.users),
        ...STEP_FLAG_STOP,
      });
    case 'spike': {
      const stageSec = flags.stepTimeSec ?? (flags.runTimeSec === null ? null : flags.runTimeSec / SEED_SPIKE_STAGES.length);
      const stages = stageSec === null ? SEED_SPIKE_STAGES : SEED_SPIKE_STAGES.map((s) => ({ ...s, durationSec: stageSec }));
      return new SpikeLoadShape({ stages, peakUsers: given(flags.users), spawnRate: given(flags.spawnRate) });
    }
    default:
      throw new ConfigError('BAD_SHAPE', `unknown shape "${name}": use ${SHAPE_NAMES.join(', ')} or a file exporting a LoadShape`);
  }
}
