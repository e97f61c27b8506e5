/** The analysis as GitHub-flavoured markdown (a CI job summary): headings and pipe tables. */
import type { AnalysisReport } from './analysis-report.js';
import { analysisSections, type Table } from './analysis-sections.js';

/** A cell or line of markdown: pipes, backticks, emphasis and HTML characters escaped. */
export function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]|<>#]/g, (c) => `\\${c}`);
}

export function markdownTable(t: Table): string[] {
  return [
    `| ${t.header.map(mdEscape).join(' | ')} |`,
    `|${t.numeric.map((n) => (n ? ' ---: ' : ' --- ')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(mdEscape).join(' | ')} |`),
  ];
}

export function formatMarkdown(report: AnalysisReport): string {
  const out: string[] = [`# Load test analysis: ${mdEscape(report.run.label)}`, ''];
  for (const s of analysisSections(report)) {
    out.push(`## ${mdEscape(s.title)}`, '');
    // Two trailing spaces keep each line a line (markdown would join them otherwise).
    if (s.lines.length > 0) out.push(...s.lines.map((l) => `${mdEscape(l)}  `), '');
    if (s.table) out.push(...markdownTable(s.table), '');
    for (const sub of s.subtables ?? []) out.push(`### ${mdEscape(sub.title)}`, '', ...markdownTable(sub.table), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
