/**
 * Sorting failure messages (brood's `HTTP 503`, `ECONNREFUSED`, `timeout after 30000 ms`; Locust's
 * `HTTPError('500 Server Error: …')`, `ConnectionRefusedError(111, …)`) into the kinds the seed's
 * "Common Issues and Solutions" discusses, each with what it usually means and what to check.
 */
export type FailureKind = 'connection' | 'timeout' | 'overload' | 'server-error' | 'not-found' | 'client-error' | 'check';

export interface FailureKindInfo {
  title: string;
  meaning: string;
  advice: string;
}

export const FAILURE_KINDS: Readonly<Record<FailureKind, FailureKindInfo>> = {
  connection: {
    title: 'connection errors',
    meaning: 'the server was down, restarting or refusing connections (listen backlog full, connection or file-descriptor limit)',
    advice: 'check that the server is running and reachable at the host; raise its connection limits (ulimit -n 65535, max connections, connection pool size) and the load generator\'s',
  },
  timeout: {
    title: 'timeouts',
    meaning: 'requests waited longer than the timeout: the server is overloaded or some requests are slow (slow queries, lock waits)',
    advice: 'look for slow queries (EXPLAIN ANALYZE), add indexes or caching, add API workers or scale out; compare with the latency of the successful requests',
  },
  overload: {
    title: 'HTTP 503/429 (overload or rate limiting)',
    meaning: 'the server or a proxy shed load: a rate limit, a full queue or a circuit breaker',
    advice: 'raise the rate limit or queue size for the test, add capacity, or treat this load as past the limit',
  },
  'server-error': {
    title: 'HTTP 5xx server errors',
    meaning: 'the application failed while handling requests',
    advice: "read the server's logs at the failure times; check database connections and resource limits",
  },
  'not-found': {
    title: 'HTTP 404',
    meaning: 'the test requests routes the server does not have: a wrong path or host, a missing feature, or ids of data that no longer exists',
    advice: 'check the routes and the --host, and that the test creates the data it reads',
  },
  'client-error': {
    title: 'HTTP 4xx client errors',
    meaning: 'the server rejected the requests as sent: bad payloads, missing authentication or conflicts',
    advice: 'check request bodies, headers and credentials against the API',
  },
  check: {
    title: 'failed response checks',
    meaning: "the test's own checks (catch_response / r.failure()) rejected responses the server sent",
    advice: 'read the failure messages: they are the test\'s wording of what was wrong in the response',
  },
};

const CONNECTION = /ECONNREFUSED|ConnectionRefused|Connection refused|ECONNRESET|ConnectionReset|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|EMFILE|too many open files|socket hang up|RemoteDisconnected|UND_ERR_SOCKET|connection closed|ConnectionError|NewConnectionError/i;
const TIMEOUT = /timeout|timed out|ETIMEDOUT/i;

/** The HTTP status a message names: brood's "HTTP 503", Locust's "503 Server Error" / "429 Client Error". */
export function statusInMessage(message: string): number | null {
  const m = /\bHTTP (\d{3})\b/.exec(message) ?? /\b(\d{3}) (?:Server|Client) Error\b/.exec(message);
  return m?.[1] === undefined ? null : Number(m[1]);
}

export function failureKind(message: string): FailureKind {
  const status = statusInMessage(message);
  if (status === 503 || status === 429) return 'overload';
  if (status === 404) return 'not-found';
  if (status !== null && status >= 500) return 'server-error';
  if (status !== null && status >= 400) return 'client-error';
  if (CONNECTION.test(message)) return 'connection';
  if (TIMEOUT.test(message)) return 'timeout';
  return 'check';
}
