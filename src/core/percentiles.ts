/**
 * Locust's percentile columns, in order (50%,66%,…,99.99%,100%): the quantiles every summary
 * holds (stats/) and the ones a target may name (target-check.ts). Defined here, below both, so
 * that core reads them without importing stats at run time.
 */
export const PERCENTILES = [0.5, 0.66, 0.75, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 0.9999, 1] as const;
