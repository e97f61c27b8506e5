/**
 * Locust's "Current ratio" (GET /tasks): how the users split over classes, and each class's time
 * over its tasks (nested TaskSets nested), per class and for the whole run. Pure.
 */
import type { TaskTable } from '../core/tasks.js';
import type { UiClassRatio, UiRatio } from './ui-payload.js';

export interface RatioClass {
  name: string;
  weight: number;
  table: TaskTable;
}

type TaskRatios = UiClassRatio['tasks'];

/**
 * Class shares come from the users running now when there are any (as Locust's /tasks reports
 * what was spawned), else from the weights; task shares from the task weights (a sequential
 * TaskSet runs each task in turn: equal shares).
 */
export function taskRatio(classes: readonly RatioClass[], running: Readonly<Record<string, number>>): UiRatio {
  const runningTotal = classes.reduce((n, c) => n + (running[c.name] ?? 0), 0);
  const weightTotal = classes.reduce((n, c) => n + c.weight, 0);
  const share = (c: RatioClass): number => (runningTotal > 0 ? (running[c.name] ?? 0) / runningTotal : weightTotal > 0 ? c.weight / weightTotal : 0);
  const perClass: Record<string, UiClassRatio> = {};
  const total: Record<string, UiClassRatio> = {};
  for (const c of classes) {
    const ratio = share(c);
    perClass[c.name] = { ratio: 1, tasks: tasksOf(c.table, 1) };
    total[c.name] = { ratio, tasks: tasksOf(c.table, ratio) };
  }
  return { per_class: perClass, total };
}

function tasksOf(table: TaskTable, scale: number, depth = 0): TaskRatios {
  const weights = table.sequential ? table.tasks.map(() => 1) : table.weights;
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: TaskRatios = {};
  table.tasks.forEach((t, i) => {
    const ratio = sum > 0 ? ((weights[i] ?? 0) / sum) * scale : 0;
    // Tasks of the same name (a method listed twice) add up, as their share of the time does.
    const prev = out[t.name];
    const entry: TaskRatios[string] = { ratio: (prev?.ratio ?? 0) + ratio };
    if (t.action.kind === 'taskset' && depth < 8) entry.tasks = flat(tasksOf(t.action.table, ratio, depth + 1));
    out[t.name] = entry;
  });
  return out;
}

/** Locust's /tasks nests one level of tasks under a TaskSet; deeper sets are summed into their names. */
function flat(tasks: TaskRatios): Record<string, { ratio: number }> {
  const out: Record<string, { ratio: number }> = {};
  for (const [name, t] of Object.entries(tasks)) out[name] = { ratio: t.ratio };
  return out;
}
