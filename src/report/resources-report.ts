import type { ResourcesSummary } from '../monitor/resource-summary.js';
import type { ResourceSample } from '../monitor/resource-sample.js';

/** What the JSON and HTML reports show of the watched system under test (issue 23). */
export interface ResourcesReport {
  summary: ResourcesSummary;
  /** Every reading, in the order taken (the HTML report's charts). */
  samples: readonly ResourceSample[];
  /** Source names by index (ResourceSample.source). */
  sources: readonly string[];
  /** --monitor-metric series, in the order of ResourceSample.metrics. */
  metricNames: readonly string[];
}
