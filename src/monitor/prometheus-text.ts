/**
 * Reading Prometheus's text exposition format (0.0.4, and OpenMetrics text, which differs in
 * nothing brood reads): one sample per line, `name{label="value",…} value [timestamp]`, with
 * `#` lines for HELP, TYPE and EOF. Pure: url-source.ts fetches the text.
 */

export interface PromSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** The samples of an exposition, and how many non-comment lines were not samples. */
export function parsePrometheusText(text: string): { samples: PromSample[]; malformed: number } {
  const samples: PromSample[] = [];
  let malformed = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sample = parseSampleLine(line);
    if (sample === null) malformed++;
    else samples.push(sample);
  }
  return { samples, malformed };
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseSampleLine(line: string): PromSample | null {
  const name = NAME.exec(line)?.[0];
  if (name === undefined) return null;
  let at = name.length;
  let labels: Record<string, string> = {};
  if (line[at] === '{') {
    const parsed = parseLabels(line, at + 1);
    if (parsed === null) return null;
    labels = parsed.labels;
    at = parsed.end;
  }
  const fields = line.slice(at).trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2) return null;
  const value = parseValue(fields[0] ?? '');
  return value === null ? null : { name, labels, value };
}

/** Labels from just after '{' to the matching '}': values are quoted, with \\, \" and \n escapes. */
export function parseLabels(text: string, from: number): { labels: Record<string, string>; end: number } | null {
  const labels: Record<string, string> = {};
  let i = from;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    const key = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i))?.[0];
    if (key === undefined) return null;
    i += key.length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=') return null;
    i++;
    while (text[i] === ' ') i++;
    if (text[i] !== '"') return null;
    i++;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) return null;
      i++;
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i];
        i++;
        value += next === 'n' ? '\n' : (next ?? '');
      } else value += c;
    }
    labels[key] = value;
  }
}

/** As Prometheus reads them: Inf and NaN in any case (prom-client writes "Nan"). */
function parseValue(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  return Number(text);
}
