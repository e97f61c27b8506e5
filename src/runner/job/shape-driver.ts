import { validateShapeTick, type LoadShape, type ShapeRunView, type ShapeTick } from '../../core/shape.js';
import { StatsRegistry } from '../../stats/registry.js';

/**
 * Calls a shape's tick() and turns its answer into a target or an end. A shape that throws or
 * returns garbage ends the run with a clear reason instead of crashing it.
 */
export type ShapeDecision =
  | { kind: 'target'; tick: ShapeTick }
  | { kind: 'stop'; reason: string }
  | { kind: 'error'; error: unknown };

export function consultShape(shape: LoadShape, elapsedSec: number): ShapeDecision {
  const name = shape.constructor.name;
  const runTimeSec = shape.runTimeAt(elapsedSec);
  let answer: unknown;
  try {
    answer = shape.tick(runTimeSec);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'error', error: new Error(`load shape ${name}.tick(${Math.floor(runTimeSec)}) threw: ${message}`, { cause: error }) };
  }
  try {
    const tick = validateShapeTick(name, answer);
    if (tick === null) return { kind: 'stop', reason: shape.stopReason ?? `${name} ended the run` };
    return { kind: 'target', tick };
  } catch (error) {
    return { kind: 'error', error };
  }
}

/**
 * The shape's first tick, asked before anything starts (no file, no demo server, no user), so a
 * shape that cannot even begin is refused like any bad input. It sees the run as it is at its
 * start: no users, no time, no requests. The run then starts from this answer instead of asking
 * again, so a shape that counts its ticks sees each one once.
 */
export function firstShapeDecision(shape: LoadShape): ShapeDecision {
  const empty = new StatsRegistry(() => 0);
  const notStarted: ShapeRunView = {
    userCount: () => 0,
    elapsedSec: () => 0,
    totals: () => empty.summaries(0).aggregated,
    lastInterval: () => null,
  };
  const previous = shape.run;
  shape.run = notStarted;
  try {
    return consultShape(shape, 0);
  } finally {
    shape.run = previous;
  }
}

/** Class names a tick restricts spawning to (strings or classes), or null for all. */
export function tickClassNames(tick: ShapeTick): string[] | null {
  if (!tick.userClasses) return null;
  return tick.userClasses.map((c) => (typeof c === 'string' ? c : c.name));
}
