/**
 * The capacity curve as one self-contained HTML page: an inline SVG chart (P50/P95/P99 against
 * achieved throughput, the knee marked) and the table of points. No script, no external resource
 * (a `default-src 'none'` CSP says so to the browser), every string XML-escaped.
 */
import { escapeXml, niceStep } from '../src/report/svg-chart.js';
import type { CapacityCurve, CapacityPoint } from './capacity-curve.js';

const W = 760;
const H = 420;
const M = { left: 70, right: 20, top: 30, bottom: 50 };
const SERIES: ReadonlyArray<{ key: 'p50Ms' | 'p95Ms' | 'p99Ms'; label: string; color: string }> = [
  { key: 'p50Ms', label: 'P50', color: '#2ca02c' },
  { key: 'p95Ms', label: 'P95', color: '#ff7f0e' },
  { key: 'p99Ms', label: 'P99', color: '#d62728' },
];

const fmt = (n: number): string => String(Number(n.toFixed(2)));

function axisTicks(max: number): number[] {
  const step = niceStep(max, 5);
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(v);
  return ticks;
}

export function capacitySvg(curve: CapacityCurve): string {
  const pts = curve.points;
  const maxX = Math.max(1, ...pts.map((p) => p.rps)) * 1.05;
  const maxY = Math.max(1, ...pts.flatMap((p) => [p.p50Ms ?? 0, p.p95Ms ?? 0, p.p99Ms ?? 0])) * 1.1;
  const xTicks = axisTicks(maxX);
  const yTicks = axisTicks(maxY);
  const xMax = xTicks.at(-1) ?? maxX;
  const yMax = yTicks.at(-1) ?? maxY;
  const x = (v: number): number => M.left + (v / xMax) * (W - M.left - M.right);
  const y = (v: number): number => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="latency against throughput">`,
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="#fff" stroke="#ccc"/>`,
  ];
  for (const t of xTicks) parts.push(`<text x="${fmt(x(t))}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="11">${fmt(t)}</text>`);
  for (const t of yTicks) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${fmt(y(t))}" y2="${fmt(y(t))}" stroke="#eee"/>`);
    parts.push(`<text x="${M.left - 6}" y="${fmt(y(t) + 4)}" text-anchor="end" font-size="11">${fmt(t)}</text>`);
  }
  parts.push(`<text x="${(W + M.left) / 2}" y="${H - 10}" text-anchor="middle" font-size="12">achieved throughput (req/s)</text>`);
  parts.push(`<text x="16" y="${H / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${H / 2})">latency (ms)</text>`);
  if (curve.kneeIndex !== null) {
    const knee = pts[curve.kneeIndex];
    if (knee !== undefined) {
      parts.push(`<line class="knee" x1="${fmt(x(knee.rps))}" x2="${fmt(x(knee.rps))}" y1="${M.top}" y2="${H - M.bottom}" stroke="#1f77b4" stroke-dasharray="6 4"/>`);
      parts.push(`<text x="${fmt(x(knee.rps) + 4)}" y="${M.top + 14}" font-size="12" fill="#1f77b4">knee: ${escapeXml(fmt(knee.rps))} req/s</text>`);
    }
  }
  SERIES.forEach((s, i) => {
    const line = pts.filter((p) => p[s.key] !== null).map((p) => `${fmt(x(p.rps))},${fmt(y(p[s.key] ?? 0))}`);
    parts.push(`<polyline class="series-${s.label}" fill="none" stroke="${s.color}" stroke-width="2" points="${line.join(' ')}"/>`);
    for (const p of pts) {
      const v = p[s.key];
      if (v !== null) parts.push(`<circle cx="${fmt(x(p.rps))}" cy="${fmt(y(v))}" r="3" fill="${s.color}"><title>${escapeXml(`${p.label}: ${s.label} ${fmt(v)} ms at ${fmt(p.rps)} req/s`)}</title></circle>`);
    }
    parts.push(`<text x="${W - M.right - 120 + i * 40}" y="${M.top - 10}" font-size="12" fill="${s.color}">${s.label}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function row(p: CapacityPoint, mark: string): string {
  const cell = (v: number | null): string => (v === null ? 'n/a' : fmt(v));
  const cells = [p.label, p.users === null ? 'n/a' : String(p.users), fmt(p.rps), String(p.requests), `${fmt(p.errorRate * 100)}%`, cell(p.p50Ms), cell(p.p95Ms), cell(p.p99Ms), mark];
  return `<tr>${cells.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`;
}

export function capacityHtml(curve: CapacityCurve, summary: string): string {
  const rows = curve.points.map((p, i) => row(p, i === curve.kneeIndex ? 'knee' : curve.breakIndex !== null && i >= curve.breakIndex ? 'past knee' : ''));
  const r = curve.rule;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>brood capacity curve</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child{text-align:left}</style>
</head><body>
<h1>Capacity curve: latency against throughput</h1>
<p class="knee-summary">${escapeXml(summary)}</p>
${capacitySvg(curve)}
<h2>Runs</h2>
<table><thead><tr><th>Run</th><th>Users</th><th>req/s</th><th>Requests</th><th>Errors</th><th>P50 (ms)</th><th>P95 (ms)</th><th>P99 (ms)</th><th></th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<h2>Knee rule</h2>
<p>${escapeXml(`Runs in order of ${curve.orderedBy === 'users' ? 'user count' : 'throughput'}; the knee is the last run before the first one with an error rate above ${fmt(r.maxErrorRate * 100)}%, a P99 more than ${r.maxP99RisePct}% above the lowest load's P99 (and more than ${r.noiseFloorMs} ms), or a latency slope above ${r.maxSlope} (relative P99 rise per relative throughput gain).`)}</p>
</body></html>
`;
}
