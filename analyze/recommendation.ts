/** One piece of advice the analyzer derived from a run, with the numbers it came from. */
export interface Recommendation {
  /** Stable id of the rule that produced it (documented in recommendations.ts). */
  rule: 'failure-kind' | 'high-error-rate' | 'slow-endpoint' | 'growing-latency' | 'load-step-errors' | 'load-step-latency'
    | 'latency-bound-throughput' | 'think-time-bound-throughput' | 'test-exceptions'
    // The watched server's resources (resource-recommendations.ts).
    | 'memory-growth' | 'cpu-limit' | 'descriptor-leak' | 'monitor-gap';
  severity: 'high' | 'medium' | 'info';
  title: string;
  /** The measured numbers behind it; never empty: the analyzer does not advise without evidence. */
  evidence: string;
  advice: string;
}
