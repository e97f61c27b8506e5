/**
 * `--list-scenarios`: each ready-made scenario in one line (what it runs, its default load), with
 * the targets it is judged by on the next, then the shipped TOML scenarios (open model).
 */
import { readdirSync } from 'node:fs';
import type { Scenario } from '../core/scenario.js';
import { targetLabelAndUnit } from '../core/target-check.js';
import type { Target } from '../core/targets.js';
import { SHIPPED_TOML_DIR, loadTomlScenario } from '../loading/load-toml-scenario.js';
import { formatTargetValue } from '../report/target-format.js';

/** The listing's lines. */
export function scenarioListing(builtIn: Readonly<Record<string, Scenario>>): string[] {
  const rows: Array<[string, string, string | null]> = Object.entries(builtIn).map(([name, sc]) => [
    name,
    `${sc.description} (${defaultLoad(sc)})`,
    // Targets computed from the load are shown for the default load.
    targetsLine([...sc.targets, ...(sc.targetsFor?.({ users: sc.users, spawnRate: sc.spawnRate, runTimeSec: sc.runTimeSec }) ?? [])]),
  ]);
  for (const file of readdirSync(SHIPPED_TOML_DIR).filter((f) => f.endsWith('.toml')).sort()) {
    const sc = loadTomlScenario(`${SHIPPED_TOML_DIR}${file}`);
    rows.push([file.replace(/\.toml$/, ''), `open model: ${sc.description} (${sc.arrival?.pattern ?? 'constant'} arrivals, ${sc.durationSec ?? '?'}s)`, null]);
  }
  const width = Math.max(...rows.map(([n]) => n.length));
  return rows.flatMap(([name, text, targets]) => [`${name.padEnd(width)}  ${text}`, ...(targets === null ? [] : [`${' '.repeat(width)}    targets: ${targets}`])]);
}

function defaultLoad(sc: Scenario): string {
  const a = sc.arrival;
  if (a === undefined) return `default ${sc.users} users, ${sc.runTimeSec}s`;
  const rate = a.pattern === 'constant' ? `${a.rate}/s` : a.pattern === 'ramp' ? `${a.from}→${a.to}/s` : 'mean_rate' in a ? `mean ${a.mean_rate}/s` : 'base_rate' in a ? `base ${a.base_rate}/s` : '';
  return `open model: ${a.pattern} arrivals ${rate}, ${sc.runTimeSec}s`;
}

/** "Kernel P99 < 100 ms on continuum.Kernel/Recall, … · Error rate < 1%"; null without targets. */
function targetsLine(targets: readonly Target[]): string | null {
  if (targets.length === 0) return null;
  return targets.map((t) => {
    const { label, unit } = targetLabelAndUnit(t);
    const scope = t.endpoints !== undefined && t.endpoints.length > 0 ? ` on ${t.endpoints.join(', ')}` : '';
    return `${label} ${t.comparator} ${formatTargetValue(t.threshold, unit)}${scope}`;
  }).join(' · ');
}
