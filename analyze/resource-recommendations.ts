/**
 * Recommendations from the watched server's resources (issue 23), in recommendations.ts' manner:
 * each fires only on evidence and cites it. Several sources often watch one server (its PID and its
 * /metrics): each rule speaks once, of the source with the strongest evidence, and names the others.
 *
 * - memory-growth: RSS grew at least GROWTH_LIMIT_MB_PER_MIN after the warm-up (verdict growing or
 *   leak). A flat user count during the fit → a leak is likely; a rising one → memory may follow load.
 * - cpu-limit: a source's CPU % stayed ≥ CPU_LIMIT_PERCENT for CPU_SUSTAINED_READINGS readings in
 *   a row → the capacity limit is CPU, from the user count where that began. Without the readings
 *   (the JSON alone), a CPU p95 ≥ CPU_LIMIT_PERCENT → near the capacity limit.
 * - descriptor-leak: open files ended at least OPEN_FILES_GROWTH × the start and OPEN_FILES_RISE more.
 * - monitor-gap: readings are missing → the server stopped answering (crashed, restarted?).
 */
import { GROWTH_LIMIT_MB_PER_MIN, type SourceSummary } from '../src/monitor/resource-summary.js';
import type { ResourceSample } from '../src/monitor/resource-sample.js';
import { num, shown } from './display-text.js';
import type { LoadedResources } from './loaded-run.js';
import type { Recommendation } from './recommendation.js';

export const CPU_LIMIT_PERCENT = 80;
export const CPU_SUSTAINED_READINGS = 3;
export const OPEN_FILES_GROWTH = 2;
export const OPEN_FILES_RISE = 50;

/** One source's evidence for a rule: `rank` picks the one a rule speaks of (highest first). */
interface Finding {
  source: SourceSummary;
  rank: number;
  /** Short, for "also …" when another source leads. */
  also: string;
}

/** The leading finding, and the others as "; also …". */
function lead<T extends Finding>(findings: readonly T[]): { top: T; others: string } | null {
  const sorted = [...findings].sort((a, b) => b.rank - a.rank);
  const top = sorted[0];
  if (top === undefined) return null;
  return { top, others: sorted.slice(1).map((f) => `; also ${shown(f.source.name, 60)}: ${f.also}`).join('') };
}

/** Each summarized source's readings, in the order taken (matched by name: the CSV's order may differ). */
function readingsOf(r: LoadedResources, s: SourceSummary): ResourceSample[] {
  const index = r.sources.indexOf(s.name);
  return index < 0 ? [] : r.samples.filter((x) => x.source === index);
}

function mb(v: number): string {
  return `${num(v, 1)} MB`;
}

/** How the user count moved over the fitted readings: first and last (the wind-down's 0 left out), or null without readings. */
function usersOverFit(readings: readonly ResourceSample[], s: SourceSummary): { first: number; last: number } | null {
  const fit = s.fit;
  if (fit === null) return null;
  const inFit = readings.filter((x) => x.gap === null && x.elapsedSec >= fit.from_sec && x.elapsedSec <= fit.to_sec);
  while (inFit.length > 1 && inFit.at(-1)?.userCount === 0) inFit.pop();
  const first = inFit[0];
  const last = inFit.at(-1);
  return first === undefined || last === undefined ? null : { first: first.userCount, last: last.userCount };
}

function memoryGrowth(r: LoadedResources): Recommendation[] {
  const found = r.summary.sources.flatMap((s) => {
    const g = s.memory_growth_mb_per_min;
    if (g === null || g < GROWTH_LIMIT_MB_PER_MIN || (s.growth_verdict !== 'growing' && s.growth_verdict !== 'leak') || s.users_during_fit === null) return [];
    return [{ source: s, rank: g, also: `+${num(g, 1)} MB/min`, users: s.users_during_fit }];
  });
  const l = lead(found);
  if (l === null) return [];
  const { source: s, users } = l.top;
  const rate = `RSS grew ${num(s.memory_growth_mb_per_min, 1)} MB/min`;
  const rss = s.rss_mb === null ? '' : `RSS ${num(s.rss_mb.start, 1)} → ${mb(s.rss_mb.end)} (peak ${mb(s.rss_mb.peak)}); `;
  const fit = s.fit === null ? '' : ` over ${s.fit.points} readings from ${num(s.fit.from_sec, 1)} s to ${num(s.fit.to_sec, 1)} s (r² ${num(s.fit.r2, 2)}, warm-up ${num(r.summary.warm_up_sec, 1)} s)`;
  const evidence = `${shown(s.name, 60)}: ${rss}+${num(s.memory_growth_mb_per_min, 1)} MB/min${fit} with ${users.min === users.max ? users.min : `${users.min}–${users.max}`} users${l.others}`;
  const severity = s.growth_verdict === 'leak' ? 'high' : 'medium';
  if (users.min === users.max) {
    return [{
      rule: 'memory-growth', severity, title: `${rate} while the user count was flat: a leak is likely`, evidence,
      advice: 'At a steady load memory should level off. Take two heap snapshots some minutes apart under the same load and compare what is retained: caches and maps without a bound, listeners or timers added per request, queues never drained.',
    }];
  }
  const moved = usersOverFit(readingsOf(r, s), s);
  const how = moved !== null && moved.last > moved.first ? `rose from ${moved.first} to ${moved.last}` : `varied between ${users.min} and ${users.max}`;
  return [{
    rule: 'memory-growth', severity: 'medium', title: `${rate} while the user count ${how}: memory may follow load`, evidence,
    advice: 'Rerun at a flat user count to tell a leak from load (ramp up, then hold the users long enough, with --monitor-warm-up past the ramp).',
  }];
}

/** The first reading from which CPU stayed ≥ the limit for CPU_SUSTAINED_READINGS readings in a row. */
function cpuOnset(readings: readonly ResourceSample[]): ResourceSample[] | null {
  let run: ResourceSample[] = [];
  for (const x of readings) {
    run = x.gap === null && x.cpuPercent !== null && x.cpuPercent >= CPU_LIMIT_PERCENT ? [...run, x] : [];
    if (run.length >= CPU_SUSTAINED_READINGS) return run;
  }
  return null;
}

function cpuFigures(s: SourceSummary): string {
  const c = s.cpu_percent;
  return c === null ? '' : `CPU mean ${num(c.mean, 1)} %, p95 ${num(c.p95, 1)} %, max ${num(c.max, 1)} % over the run`;
}

const CPU_ADVICE = 'Profile the server under this load (a CPU profile of the busiest endpoints), cache or precompute what each request recomputes, or add cores or instances. CPU % counts one core as 100 %: a server that spreads work over several cores is at its limit nearer cores × 100 %.';

function cpuLimit(r: LoadedResources): Recommendation[] {
  if (r.samples.length === 0) return cpuNearLimit(r);
  const found = r.summary.sources.flatMap((s) => {
    const onset = cpuOnset(readingsOf(r, s));
    const first = onset?.[0];
    if (onset === null || first === undefined) return [];
    return [{ source: s, rank: -first.elapsedSec, also: `from ${first.userCount} users at ${num(first.elapsedSec, 0)} s`, onset, first }];
  });
  const l = lead(found);
  if (l === null) return [];
  const { source: s, onset, first } = l.top;
  return [{
    rule: 'cpu-limit', severity: 'medium',
    title: `CPU above ${CPU_LIMIT_PERCENT} % from ${first.userCount} users: the capacity limit is CPU`,
    evidence: `${shown(s.name, 60)}: ${onset.map((x) => `${num(x.cpuPercent, 1)} %`).join(', ')} in ${onset.length} readings in a row from ${num(first.elapsedSec, 1)} s at ${first.userCount} users; ${cpuFigures(s)}${l.others}`,
    advice: CPU_ADVICE,
  }];
}

/** The JSON alone: no readings say when CPU got high, only how high it was. */
function cpuNearLimit(r: LoadedResources): Recommendation[] {
  const found = r.summary.sources.flatMap((s) => {
    const p95 = s.cpu_percent?.p95 ?? null;
    return p95 === null || p95 < CPU_LIMIT_PERCENT ? [] : [{ source: s, rank: p95, also: `p95 ${num(p95, 1)} %` }];
  });
  const l = lead(found);
  if (l === null) return [];
  const s = l.top.source;
  return [{
    rule: 'cpu-limit', severity: 'medium',
    title: `CPU p95 was ${num(l.top.rank, 1)} %: near the capacity limit`,
    evidence: `${shown(s.name, 60)}: ${cpuFigures(s)} (${s.samples} readings; without the run's resources CSV the user count where it began is unknown)${l.others}`,
    advice: CPU_ADVICE,
  }];
}

function descriptorLeak(r: LoadedResources): Recommendation[] {
  const found = r.summary.sources.flatMap((s) => {
    const f = s.open_files;
    if (f === null || f.end < OPEN_FILES_GROWTH * f.start || f.end - f.start < OPEN_FILES_RISE) return [];
    return [{ source: s, rank: f.end - f.start, also: `${f.start} → ${f.end}`, files: f }];
  });
  const l = lead(found);
  if (l === null) return [];
  const { source: s, files: f } = l.top;
  return [{
    rule: 'descriptor-leak', severity: 'medium',
    title: `Open files rose from ${f.start} to ${f.end}: a file descriptor leak is possible`,
    evidence: `${shown(s.name, 60)}: ${f.start} open files at the start, ${f.max} at most, ${f.end} at the end (${s.samples} readings)${l.others}`,
    advice: 'Check that every socket, file and database connection is closed (ls -l /proc/PID/fd or lsof -p PID says what they are): at the limit (ulimit -n) accept() and open() fail with EMFILE.',
  }];
}

/** Where a source's first gap began, how it was said, and when the source answered again (null: it did not). */
function firstGap(readings: readonly ResourceSample[]): { at: ResourceSample; backSec: number | null } | null {
  const i = readings.findIndex((x) => x.gap !== null);
  const at = readings[i];
  if (at === undefined) return null;
  const back = readings.slice(i).find((x) => x.gap === null);
  return { at, backSec: back?.elapsedSec ?? null };
}

function monitorGaps(r: LoadedResources): Recommendation[] {
  const found = r.summary.sources.flatMap((s) => {
    if (s.gaps === 0) return [];
    const gap = firstGap(readingsOf(r, s));
    return [{ source: s, rank: gap === null ? 0 : -gap.at.elapsedSec, also: `${s.gaps} missing${gap === null ? '' : ` from ${num(gap.at.elapsedSec, 0)} s`}`, gap }];
  });
  const l = lead(found);
  if (l === null) return [];
  const { source: s, gap } = l.top;
  const advice = 'Look at its logs and exit status, and the restart count of whatever supervises it (systemd, Kubernetes); figures during a gap are unknown, not zero.';
  if (gap === null) {
    return [{
      rule: 'monitor-gap', severity: 'high',
      title: `${s.gaps} of ${s.samples} readings of the server are missing: check whether it crashed or was restarted`,
      evidence: `${shown(s.name, 60)}: ${s.gaps} of ${s.samples} readings missing (without the run's resources CSV, when is unknown)${l.others}`,
      advice,
    }];
  }
  const back = gap.backSec === null ? 'it did not answer again' : `answering again at ${num(gap.backSec, 1)} s`;
  return [{
    rule: 'monitor-gap', severity: 'high',
    title: `The server stopped answering at ${num(gap.at.elapsedSec, 0)} s (${s.gaps} readings missing): check whether it crashed or was restarted`,
    evidence: `${shown(s.name, 60)}: "${shown(gap.at.gap ?? '', 100)}" at ${num(gap.at.elapsedSec, 1)} s with ${gap.at.userCount} users, ${back}; ${s.gaps} of ${s.samples} readings missing${l.others}`,
    advice,
  }];
}

export function resourceRecommendations(r: LoadedResources | null | undefined): Recommendation[] {
  if (r === null || r === undefined) return [];
  return [...monitorGaps(r), ...memoryGrowth(r), ...cpuLimit(r), ...descriptorLeak(r)];
}
