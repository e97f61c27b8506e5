/**
 * What GET /metrics reports about the server's own traffic, tallied as plain numbers: counting
 * costs a few Map lookups per request and needs no prom-client, which metrics-endpoint.ts loads
 * only when the first scrape comes. Every label value is bounded: the route is the router's
 * pattern (never a raw path), the method one Node's HTTP parser accepts, the gRPC method one the
 * server registered.
 */

/** Requests or calls per label value at each level, innermost the count. */
type Tally<K> = Map<K, number>;

/** One series of a counter, as the endpoint exports it. */
export interface CountedSeries {
  labels: Record<string, string>;
  count: number;
}

/** The route label of a request no route matched. */
export const UNMATCHED_ROUTE = 'unmatched';

export class ServerMetrics {
  /** route pattern → method → status → requests answered. */
  readonly #http = new Map<string, Map<string, Tally<number>>>();
  /** gRPC method ("continuum.Kernel/Learn") → status code name → calls ended. */
  readonly #grpc = new Map<string, Tally<string>>();
  #wsConnections = 0;

  countHttp(method: string, route: string, status: number): void {
    let byMethod = this.#http.get(route);
    if (byMethod === undefined) this.#http.set(route, (byMethod = new Map<string, Tally<number>>()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map<number, number>()));
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  countGrpc(method: string, code: string): void {
    let byCode = this.#grpc.get(method);
    if (byCode === undefined) this.#grpc.set(method, (byCode = new Map<string, number>()));
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
  }

  wsOpened(): void {
    this.#wsConnections++;
  }

  wsClosed(): void {
    this.#wsConnections--;
  }

  get wsConnections(): number {
    return this.#wsConnections;
  }

  /** Read at scrape time only. */
  httpSeries(): CountedSeries[] {
    const series: CountedSeries[] = [];
    for (const [route, byMethod] of this.#http) {
      for (const [method, byStatus] of byMethod) {
        for (const [status, count] of byStatus) series.push({ labels: { method, route, status: String(status) }, count });
      }
    }
    return series;
  }

  grpcSeries(): CountedSeries[] {
    const series: CountedSeries[] = [];
    for (const [method, byCode] of this.#grpc) {
      for (const [code, count] of byCode) series.push({ labels: { method, code }, count });
    }
    return series;
  }
}
