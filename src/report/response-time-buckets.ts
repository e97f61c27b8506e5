/**
 * Inclusive upper bounds, in seconds, of brood_response_time_seconds' buckets, for Prometheus and
 * OTLP alike (the last bucket, above 60 s, is +Inf): finer than Prometheus' defaults below 10 ms,
 * where a load test's fast endpoints live, and up to a minute for the slow ones (a model call).
 */
export const RESPONSE_TIME_BUCKETS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
