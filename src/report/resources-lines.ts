import type { ResourcesSummary, SourceSummary } from '../monitor/resource-summary.js';

/**
 * The console's closing lines about the watched system under test, one per source:
 *   Server pid 4242 (node): RSS 120.4 → 180.2 MB (peak 185.0), +31.2 MB/min after 60 s: leak likely (r² 0.98); CPU mean 45 %, p95 80 %, max 96 %
 */
export function resourcesLines(summary: ResourcesSummary): string[] {
  return summary.sources.map(sourceLine);
}

const VERDICT: Record<SourceSummary['growth_verdict'], string> = {
  leak: 'a leak is likely',
  growing: 'above the 10 MB/min soak limit',
  flat: 'flat',
  unknown: 'too few readings to tell',
};

function sourceLine(s: SourceSummary): string {
  const parts: string[] = [];
  if (s.rss_mb !== null) {
    const growth = s.memory_growth_mb_per_min === null || s.fit === null
      ? `growth: ${VERDICT.unknown}`
      : `${s.memory_growth_mb_per_min >= 0 ? '+' : ''}${s.memory_growth_mb_per_min.toFixed(1)} MB/min from ${s.fit.from_sec.toFixed(0)} s: ${VERDICT[s.growth_verdict]} (r² ${s.fit.r2.toFixed(2)})`;
    parts.push(`RSS ${s.rss_mb.start.toFixed(1)} → ${s.rss_mb.end.toFixed(1)} MB (peak ${s.rss_mb.peak.toFixed(1)}), ${growth}`);
  } else parts.push('no memory readings');
  if (s.cpu_percent !== null) parts.push(`CPU mean ${s.cpu_percent.mean.toFixed(0)} %, p95 ${s.cpu_percent.p95.toFixed(0)} %, max ${s.cpu_percent.max.toFixed(0)} %`);
  if (s.gaps > 0) parts.push(`${s.gaps} of ${s.samples} readings missing`);
  return `Server ${s.name}: ${parts.join('; ')}`;
}
