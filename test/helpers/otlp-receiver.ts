import { gunzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { startRecordingServer, type ReceivedRequest } from './recording-server.js';

/**
 * An OTLP/HTTP metrics receiver for tests: a real node:http server on 127.0.0.1:0 (recording-server.ts)
 * that decodes each POSTed ExportMetricsServiceRequest in OTLP/JSON (the protobuf JSON mapping:
 * lowerCamelCase fields, 64-bit integers as strings or numbers, enums as numbers) into plain
 * structures to assert on. Anything it does not understand is a decode problem answered with 400
 * and kept in `problems`, so a test that asserts `problems` is empty fails on a malformed push.
 */

export type OtlpAttributes = Record<string, string | number | boolean>;

export interface OtlpNumberPoint {
  attributes: OtlpAttributes;
  value: number;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
}

export interface OtlpHistogramPoint {
  attributes: OtlpAttributes;
  count: number;
  sum: number | undefined;
  min: number | undefined;
  max: number | undefined;
  explicitBounds: number[];
  bucketCounts: number[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
}

export type OtlpTemporality = 'unspecified' | 'delta' | 'cumulative';

interface MetricHead {
  name: string;
  unit: string;
  description: string;
  scope: string;
}

export type OtlpMetric =
  | (MetricHead & { kind: 'sum'; monotonic: boolean; temporality: OtlpTemporality; points: OtlpNumberPoint[] })
  | (MetricHead & { kind: 'gauge'; points: OtlpNumberPoint[] })
  | (MetricHead & { kind: 'histogram'; temporality: OtlpTemporality; points: OtlpHistogramPoint[] });

export interface OtlpPush {
  path: string;
  contentType: string;
  resource: OtlpAttributes;
  metrics: OtlpMetric[];
}

export interface OtlpReceiver {
  /** Base URL, without a path (http://127.0.0.1:PORT). */
  url: string;
  port: number;
  /** Every push decoded, in arrival order (also those answered with an error status). */
  pushes: OtlpPush[];
  /** Requests that could not be decoded, with why. */
  problems: string[];
  /** The status the next pushes are answered with (200 unless set). */
  respondWith(status: number): void;
  /** The first push, received already or to come, for which `match` holds; rejects after `timeoutMs`. */
  waitFor(match: (push: OtlpPush, index: number) => boolean, timeoutMs?: number): Promise<OtlpPush>;
  close(): Promise<void>;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${what} is not an array`);
  return value;
}

function text(value: unknown, what: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
  return value;
}

/** A number, or a 64-bit integer written as a decimal string (the OTLP/JSON mapping allows both). */
function num(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw new Error(`${what} is not a number: ${JSON.stringify(value)}`);
}

function optionalNum(value: unknown, what: string): number | undefined {
  return value === undefined ? undefined : num(value, what);
}

function nanos(value: unknown, what: string): bigint {
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new Error(`${what} is not a Unix time in ns: ${JSON.stringify(value)}`);
}

function attributes(value: unknown, what: string): OtlpAttributes {
  const out: OtlpAttributes = {};
  for (const [i, kv] of list(value, what).entries()) {
    const pair = record(kv, `${what}[${i}]`);
    const key = text(pair.key, `${what}[${i}].key`);
    const v = record(pair.value, `${what}.${key}`);
    if (typeof v.stringValue === 'string') out[key] = v.stringValue;
    else if (typeof v.boolValue === 'boolean') out[key] = v.boolValue;
    else if (v.intValue !== undefined) out[key] = num(v.intValue, `${what}.${key}`);
    else if (typeof v.doubleValue === 'number') out[key] = v.doubleValue;
    else throw new Error(`${what}.${key} has no value this receiver reads: ${JSON.stringify(v)}`);
  }
  return out;
}

function temporality(value: unknown, what: string): OtlpTemporality {
  const names: Record<string, OtlpTemporality> = { 0: 'unspecified', 1: 'delta', 2: 'cumulative', AGGREGATION_TEMPORALITY_DELTA: 'delta', AGGREGATION_TEMPORALITY_CUMULATIVE: 'cumulative' };
  const t = names[String(value)];
  if (t === undefined) throw new Error(`${what} is not an aggregation temporality: ${JSON.stringify(value)}`);
  return t;
}

function numberPoint(value: unknown, what: string): OtlpNumberPoint {
  const p = record(value, what);
  const v = p.asInt !== undefined ? num(p.asInt, `${what}.asInt`) : p.asDouble !== undefined ? num(p.asDouble, `${what}.asDouble`) : undefined;
  if (v === undefined) throw new Error(`${what} has neither asInt nor asDouble`);
  return { attributes: attributes(p.attributes, `${what}.attributes`), value: v, startTimeUnixNano: nanos(p.startTimeUnixNano, `${what}.startTimeUnixNano`), timeUnixNano: nanos(p.timeUnixNano, `${what}.timeUnixNano`) };
}

function histogramPoint(value: unknown, what: string): OtlpHistogramPoint {
  const p = record(value, what);
  const bucketCounts = list(p.bucketCounts, `${what}.bucketCounts`).map((c, i) => num(c, `${what}.bucketCounts[${i}]`));
  const explicitBounds = list(p.explicitBounds, `${what}.explicitBounds`).map((b, i) => num(b, `${what}.explicitBounds[${i}]`));
  if (bucketCounts.length !== explicitBounds.length + 1) throw new Error(`${what} has ${bucketCounts.length} bucket counts for ${explicitBounds.length} bounds`);
  return {
    attributes: attributes(p.attributes, `${what}.attributes`),
    count: num(p.count, `${what}.count`),
    sum: optionalNum(p.sum, `${what}.sum`),
    min: optionalNum(p.min, `${what}.min`),
    max: optionalNum(p.max, `${what}.max`),
    explicitBounds,
    bucketCounts,
    startTimeUnixNano: nanos(p.startTimeUnixNano, `${what}.startTimeUnixNano`),
    timeUnixNano: nanos(p.timeUnixNano, `${what}.timeUnixNano`),
  };
}

function metric(value: unknown, scope: string, what: string): OtlpMetric {
  const m = record(value, what);
  const head: MetricHead = { name: text(m.name, `${what}.name`), unit: text(m.unit, `${what}.unit`), description: text(m.description, `${what}.description`), scope };
  const at = `${what} (${head.name})`;
  if (m.sum !== undefined) {
    const s = record(m.sum, `${at}.sum`);
    const points = list(s.dataPoints, `${at}.sum.dataPoints`).map((p, i) => numberPoint(p, `${at}.sum.dataPoints[${i}]`));
    return { ...head, kind: 'sum', monotonic: s.isMonotonic === true, temporality: temporality(s.aggregationTemporality, `${at}.sum.aggregationTemporality`), points };
  }
  if (m.gauge !== undefined) {
    const points = list(record(m.gauge, `${at}.gauge`).dataPoints, `${at}.gauge.dataPoints`).map((p, i) => numberPoint(p, `${at}.gauge.dataPoints[${i}]`));
    return { ...head, kind: 'gauge', points };
  }
  if (m.histogram !== undefined) {
    const h = record(m.histogram, `${at}.histogram`);
    const points = list(h.dataPoints, `${at}.histogram.dataPoints`).map((p, i) => histogramPoint(p, `${at}.histogram.dataPoints[${i}]`));
    return { ...head, kind: 'histogram', temporality: temporality(h.aggregationTemporality, `${at}.histogram.aggregationTemporality`), points };
  }
  throw new Error(`${at} is neither a sum, a gauge nor an explicit-bucket histogram`);
}

/** Decodes one ExportMetricsServiceRequest body (OTLP/JSON, gzip-compressed when its request says so). */
export function decodeOtlpMetrics(req: ReceivedRequest): OtlpPush {
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/json')) throw new Error(`content-type is "${contentType}", not application/json`);
  const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(req.body) : req.body;
  const top = record(JSON.parse(body.toString('utf8')) as unknown, 'body');
  const resourceMetrics = list(top.resourceMetrics, 'resourceMetrics');
  if (resourceMetrics.length !== 1) throw new Error(`expected one resourceMetrics, got ${resourceMetrics.length}`);
  const rm = record(resourceMetrics[0], 'resourceMetrics[0]');
  const resource = attributes(record(rm.resource, 'resource').attributes, 'resource.attributes');
  const metrics: OtlpMetric[] = [];
  for (const [i, sm] of list(rm.scopeMetrics, 'scopeMetrics').entries()) {
    const scopeMetrics = record(sm, `scopeMetrics[${i}]`);
    const scope = text(record(scopeMetrics.scope ?? {}, `scopeMetrics[${i}].scope`).name, `scopeMetrics[${i}].scope.name`);
    for (const [j, m] of list(scopeMetrics.metrics, `scopeMetrics[${i}].metrics`).entries()) metrics.push(metric(m, scope, `scopeMetrics[${i}].metrics[${j}]`));
  }
  return { path: req.url, contentType, resource, metrics };
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const pushes: OtlpPush[] = [];
  const problems: string[] = [];
  const waiters = new Set<() => void>();
  let status = 200;
  const handle = (req: ReceivedRequest, res: ServerResponse): void => {
    let answer = status;
    try {
      if (req.method !== 'POST') throw new Error(`${req.method} ${req.url}: OTLP/HTTP pushes are POSTs`);
      pushes.push(decodeOtlpMetrics(req));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      answer = 400;
    }
    res.writeHead(answer, { 'content-type': 'application/json' });
    res.end(answer === 200 ? '{}' : '{"code":3,"message":"refused by the test"}');
    for (const wake of waiters) wake();
  };
  const server = await startRecordingServer(handle);
  return {
    url: server.url,
    port: server.port,
    pushes,
    problems,
    respondWith(s: number): void {
      status = s;
    },
    waitFor(match, timeoutMs = 5000): Promise<OtlpPush> {
      return new Promise<OtlpPush>((resolve, reject) => {
        let seen = 0;
        const check = (): void => {
          for (; seen < pushes.length; seen++) {
            const push = pushes[seen] as OtlpPush;
            if (match(push, seen)) {
              done();
              resolve(push);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching OTLP push within ${timeoutMs} ms (${pushes.length} received; problems: ${problems.join('; ') || 'none'})`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => server.close(),
  };
}

/** The metric called `name` in a push; throws (with the names there are) when it is absent. */
export function metricIn(push: OtlpPush, name: string): OtlpMetric {
  const found = push.metrics.filter((m) => m.name === name);
  if (found.length !== 1) throw new Error(`${found.length} metrics named ${name} in the push (it has ${push.metrics.map((m) => m.name).join(', ')})`);
  return found[0] as OtlpMetric;
}
