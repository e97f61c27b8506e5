/**
 * Which user class to spawn or stop next, so that the mix matches the weights at every user
 * count (not only at the end of the ramp) and fixedCount classes come first. Pure functions.
 */
export interface ClassWeight {
  weight: number;
  fixedCount: number;
}

/** Index of the class to spawn next, or -1 when no eligible class can take another user. */
export function nextClassToSpawn(classes: readonly ClassWeight[], counts: readonly number[], eligible?: readonly boolean[]): number {
  const ok = (i: number): boolean => eligible === undefined || eligible[i] === true;
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i] as ClassWeight;
    if (ok(i) && c.fixedCount > 0 && (counts[i] ?? 0) < c.fixedCount) return i;
  }
  let weightSum = 0;
  let weighted = 0;
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i] as ClassWeight;
    if (ok(i) && c.fixedCount === 0 && c.weight > 0) {
      weightSum += c.weight;
      weighted += counts[i] ?? 0;
    }
  }
  if (weightSum === 0) return -1;
  let best = -1;
  let bestDeficit = -Infinity;
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i] as ClassWeight;
    if (!ok(i) || c.fixedCount !== 0 || c.weight <= 0) continue;
    const deficit = (c.weight / weightSum) * (weighted + 1) - (counts[i] ?? 0);
    if (deficit > bestDeficit + 1e-12) {
      bestDeficit = deficit;
      best = i;
    }
  }
  return best;
}

/** Index of the class to stop a user of next, or -1 when nobody runs. Ineligible classes go first. */
export function nextClassToStop(classes: readonly ClassWeight[], counts: readonly number[], eligible?: readonly boolean[]): number {
  const ok = (i: number): boolean => eligible === undefined || eligible[i] === true;
  for (let i = 0; i < classes.length; i++) if (!ok(i) && (counts[i] ?? 0) > 0) return i;
  let weightSum = 0;
  let weighted = 0;
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i] as ClassWeight;
    if (c.fixedCount === 0 && c.weight > 0) {
      weightSum += c.weight;
      weighted += counts[i] ?? 0;
    }
  }
  let best = -1;
  let bestSurplus = -Infinity;
  if (weighted > 0) {
    for (let i = 0; i < classes.length; i++) {
      const c = classes[i] as ClassWeight;
      if (c.fixedCount !== 0 || c.weight <= 0 || (counts[i] ?? 0) === 0) continue;
      const surplus = (counts[i] ?? 0) - (c.weight / weightSum) * (weighted - 1);
      if (surplus > bestSurplus + 1e-12) {
        bestSurplus = surplus;
        best = i;
      }
    }
    if (best >= 0) return best;
  }
  for (let i = classes.length - 1; i >= 0; i--) if ((counts[i] ?? 0) > 0) return i;
  return -1;
}

/** How many users the eligible classes can hold at most (Infinity when a weighted class is eligible). */
export function capacityOf(classes: readonly ClassWeight[], eligible?: readonly boolean[]): number {
  let fixed = 0;
  for (let i = 0; i < classes.length; i++) {
    if (eligible !== undefined && eligible[i] !== true) continue;
    const c = classes[i] as ClassWeight;
    if (c.fixedCount > 0) fixed += c.fixedCount;
    else if (c.weight > 0) return Infinity;
  }
  return fixed;
}

/**
 * How `total` users split over `groups` (worker threads) and classes: counts[group][classIndex].
 * The classes over all groups are the mix a ramp to `total` has; each class is dealt round robin
 * over the groups, carrying on where the previous class stopped, so every group has each class in
 * its proportion (±1) and group g holds floor(total / groups) users, plus one when g < total % groups.
 * (Dealing user k to group k mod groups would not do: weights 3:1 put every fourth user, all of
 * the second class, in the same group of two.)
 */
export function splitByClass(classes: readonly ClassWeight[], total: number, groups: number): number[][] {
  const counts = new Array<number>(classes.length).fill(0);
  for (let k = 0; k < total; k++) {
    const c = nextClassToSpawn(classes, counts);
    if (c < 0) break;
    counts[c] = (counts[c] ?? 0) + 1;
  }
  const out = Array.from({ length: groups }, () => new Array<number>(classes.length).fill(0));
  let group = 0;
  counts.forEach((count, c) => {
    for (let k = 0; k < count; k++) {
      const row = out[group] as number[];
      row[c] = (row[c] ?? 0) + 1;
      group = (group + 1) % groups;
    }
  });
  return out;
}
