/** The three "top" lists of the seed's analyzer: most requested, slowest (P95), highest error rate. */
import type { EndpointRow } from './run-summary.js';

export interface TopEndpoints {
  mostRequested: EndpointRow[];
  slowestP95: EndpointRow[];
  highestErrorRate: EndpointRow[];
}

export const TOP_COUNT = 5;

/** Ties break by label so the lists are stable across runs. */
export function topEndpoints(rows: readonly EndpointRow[], count = TOP_COUNT): TopEndpoints {
  const byLabel = (a: EndpointRow, b: EndpointRow): number => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  const withRequests = rows.filter((r) => r.requests > 0);
  return {
    mostRequested: [...withRequests].sort((a, b) => b.requests - a.requests || byLabel(a, b)).slice(0, count),
    slowestP95: [...withRequests].sort((a, b) => (b.p95Ms ?? 0) - (a.p95Ms ?? 0) || byLabel(a, b)).slice(0, count),
    highestErrorRate: withRequests
      .filter((r) => r.failures > 0)
      .sort((a, b) => b.errorRate - a.errorRate || b.failures - a.failures || byLabel(a, b))
      .slice(0, count),
  };
}
