import { parseLabels, type PromSample } from './prometheus-text.js';

/**
 * A --monitor-metric: a series name, optionally with labels to match, e.g.
 * `http_requests_in_flight` or `node_memory_MemAvailable_bytes{instance="db"}`. Its value is the
 * sum over the scraped series it matches (a counter split by status sums to the whole).
 */
export interface MetricSelector {
  /** As typed: the CSV column and JSON key. */
  text: string;
  name: string;
  labels: Readonly<Record<string, string>>;
}

/** Parses a --monitor-metric; a problem is one line naming the flag and how to write it. */
export function parseMetricSelector(text: string): MetricSelector | string {
  const spec = text.trim();
  // The message echoes the input on one line, whatever it holds.
  const shown = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(spec)?.[0];
  const how = 'a Prometheus series name ([a-zA-Z_:][a-zA-Z0-9_:]*), optionally with labels, e.g. --monitor-metric \'http_requests_total{code="500"}\'';
  if (name === undefined) return `--monitor-metric "${shown}" is not a metric name: give ${how}`;
  if (name.length === spec.length) return { text: spec, name, labels: {} };
  if (spec[name.length] !== '{') return `--monitor-metric "${shown}" is not a metric name: give ${how}`;
  const parsed = parseLabels(spec, name.length + 1);
  if (parsed === null || parsed.end !== spec.length) return `--monitor-metric "${shown}" has malformed labels: give ${how}`;
  return { text: spec, name, labels: parsed.labels };
}

/** The selector's value in a scrape: the sum of the series it matches, or null when none does. */
export function selectValue(samples: readonly PromSample[], selector: Pick<MetricSelector, 'name' | 'labels'>): number | null {
  let sum: number | null = null;
  for (const s of samples) {
    if (s.name !== selector.name) continue;
    let match = true;
    for (const [k, v] of Object.entries(selector.labels)) {
      // As in PromQL, label="" also matches a series without that label.
      if ((s.labels[k] ?? '') !== v) {
        match = false;
        break;
      }
    }
    if (match) sum = (sum ?? 0) + s.value;
  }
  return sum;
}
