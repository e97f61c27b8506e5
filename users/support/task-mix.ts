/**
 * The seed's task distributions, normalised to 100 %. The seed's lists rarely add up: memory's
 * groups say 60 + 35 + 5 = 100 while their items add to 60 + 5 + 3 = 68 and 20 + 15 + 2 = 37;
 * search's items add to 110, federation's to 105. One rule for all of them:
 *
 *   1. each group keeps its stated share relative to the other groups;
 *   2. inside a group, the group's share is split in proportion to the items' stated weights;
 *   3. the whole table is scaled so that it sums to 100.
 *
 * A list without groups is one group, so rule 2 alone applies (items scaled by 100 / their sum).
 * Each item is one task and one request, named "METHOD name" exactly as the stats show it, so a
 * run's observed mix can be compared with the table (see test/integration/workloads-mix.test.ts).
 */

export interface MixItem {
  /** Method name of the task on the user class. */
  task: string;
  /** The request it sends, as "METHOD stats-name" (e.g. "POST /recall"). */
  request: string;
  /** The seed's weight for this item inside its group. */
  weight: number;
}

export interface MixGroup {
  label: string;
  /** The seed's share of the group (any unit; only ratios between groups matter). */
  share: number;
  items: readonly MixItem[];
}

export interface TaskShare {
  task: string;
  request: string;
  /** Percent of all tasks, 0..100. */
  percent: number;
}

/** Applies the normalisation rule above; returns one row per item, percentages summing to 100. */
export function normaliseMix(groups: readonly MixGroup[]): TaskShare[] {
  const totalShare = groups.reduce((s, g) => s + g.share, 0);
  if (!(totalShare > 0)) throw new RangeError('normaliseMix: the groups need a positive total share');
  const rows: TaskShare[] = [];
  for (const g of groups) {
    const itemTotal = g.items.reduce((s, i) => s + i.weight, 0);
    if (!(itemTotal > 0)) throw new RangeError(`normaliseMix: group "${g.label}" has no positive weight`);
    for (const item of g.items) {
      rows.push({ task: item.task, request: item.request, percent: (100 * g.share * item.weight) / (totalShare * itemTotal) });
    }
  }
  return rows;
}

/** `static tasks` / `@task` weights: { taskMethod: percent }. */
export function taskWeights(shares: readonly TaskShare[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of shares) out[s.task] = (out[s.task] ?? 0) + s.percent;
  return out;
}

/** Expected percent per request key ("METHOD name"). */
export function requestShares(shares: readonly TaskShare[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of shares) out[s.request] = (out[s.request] ?? 0) + s.percent;
  return out;
}

/** The weight of one task from a table; throws at import time if the table does not name it. */
export function weightOf(shares: readonly TaskShare[], task: string): number {
  const row = shares.find((s) => s.task === task);
  if (row === undefined) throw new RangeError(`no task "${task}" in the mix table`);
  return row.percent;
}
