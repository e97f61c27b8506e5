/** The analysis as plain text for a terminal: headings, aligned tables. */
import type { AnalysisReport } from './analysis-report.js';
import { analysisSections, type Table } from './analysis-sections.js';

export function textTable(t: Table): string[] {
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (t.numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)];
}

export function formatText(report: AnalysisReport): string {
  const out: string[] = [];
  for (const s of analysisSections(report)) {
    out.push(s.title, '='.repeat(s.title.length), ...s.lines);
    if (s.table) out.push(...textTable(s.table));
    for (const sub of s.subtables ?? []) out.push('', `${sub.title}:`, ...textTable(sub.table));
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
