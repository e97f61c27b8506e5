/**
 * The "Server resources" section of the analysis (issue 23): per watched source, RSS start → end
 * (peak), its growth after the warm-up with the verdict and r², CPU mean / p95 / max and the
 * missing readings; threads, open files and --monitor-metric series as lines above the table.
 */
import type { ResourcesSummary, SourceSummary } from '../src/monitor/resource-summary.js';
import type { Section } from './analysis-sections.js';
import { num, shown } from './display-text.js';

const VERDICT: Record<SourceSummary['growth_verdict'], string> = {
  leak: 'leak likely',
  growing: 'growing',
  flat: 'flat',
  unknown: 'unknown',
};

function origin(r: ResourcesSummary & { origin: string }): string {
  const file = shown(r.origin, 200);
  return r.origin.endsWith('.json')
    ? `From ${file}; RSS growth is fitted after the ${num(r.warm_up_sec, 1)} s warm-up.`
    : `Recomputed from ${file}; RSS growth is fitted after the ${num(r.warm_up_sec, 1)} s warm-up (the default: the CSV does not record --monitor-warm-up).`;
}

const range = (v: { start: number; max: number; end: number }): string => `${v.start} → ${v.end} (max ${v.max})`;

/** Threads, open files, series and why a growth is unknown: what the table has no column for. */
function detailLines(s: SourceSummary): string[] {
  const name = shown(s.name, 60);
  const parts = [
    ...(s.threads === null ? [] : [`threads ${range(s.threads)}`]),
    ...(s.open_files === null ? [] : [`open files ${range(s.open_files)}`]),
    ...Object.entries(s.metrics).map(([metric, v]) => (v === null ? `${shown(metric, 60)} not measured` : `${shown(metric, 60)} ${num(v.first)} → ${num(v.last)} (min ${num(v.min)}, max ${num(v.max)})`)),
  ];
  return [
    ...(parts.length === 0 ? [] : [`${name}: ${parts.join('; ')}`]),
    ...(s.growth_verdict === 'unknown' ? [`${name}: growth unknown: ${shown(s.growth_reason, 200)}`] : []),
  ];
}

function row(s: SourceSummary): string[] {
  const rss = s.rss_mb === null ? 'n/a' : `${num(s.rss_mb.start, 1)} → ${num(s.rss_mb.end, 1)} (peak ${num(s.rss_mb.peak, 1)})`;
  const growth = s.memory_growth_mb_per_min === null ? 'n/a' : `${s.memory_growth_mb_per_min >= 0 ? '+' : ''}${num(s.memory_growth_mb_per_min, 1)}`;
  const cpu = s.cpu_percent === null ? 'n/a' : `${num(s.cpu_percent.mean, 1)} / ${num(s.cpu_percent.p95, 1)} / ${num(s.cpu_percent.max, 1)}`;
  const gaps = s.gaps === 0 ? 'none' : `${s.gaps} of ${s.samples}`;
  return [shown(s.name, 60), rss, growth, VERDICT[s.growth_verdict], s.fit === null ? 'n/a' : num(s.fit.r2, 2), cpu, gaps];
}

export function resourcesSection(r: ResourcesSummary & { origin: string }): Section {
  if (r.sources.length === 0) return { title: 'Server resources', lines: [origin(r), 'No readings were taken.'] };
  return {
    title: 'Server resources',
    lines: [origin(r), ...r.sources.flatMap(detailLines)],
    table: {
      header: ['Source', 'RSS MB (start → end)', 'Growth MB/min', 'Verdict', 'r²', 'CPU % mean / p95 / max', 'Missing readings'],
      rows: r.sources.map(row),
      numeric: [false, true, true, false, true, true, true],
    },
  };
}
