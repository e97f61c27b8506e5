/**
 * `run-load-tests --targets FILE`: Vegeta's targets as a user class. Each task sends the next
 * target as written (method, URL, headers, body), so a team's `targets/api.txt` runs on brood
 * unchanged. Open model (--target-rate): one target per arrival, in file order, round robin, as
 * Vegeta attacks (per process: with --processes each worker walks the list itself). Closed model
 * (-u): each user walks the whole list in order from its first target, back to back, as a scripted
 * session would (a login target's cookie goes with that user's next targets).
 *
 * Every request's options are built once per target here, not per request (hot path).
 */
import { HttpUser, constant, task } from '../src/index.js';

/** One target as a targets file gives it (src/loading/vegeta-targets.ts's VegetaTarget has this shape). */
export interface VegetaTarget {
  method: string;
  /** Absolute URL. */
  url: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body: Uint8Array | null;
}

/** How rows are named: `path` (default: "GET /v1/health", the query left out so one endpoint is one row) or the full `url`. */
export type TargetsNameBy = 'path' | 'url';

interface PreparedTarget {
  method: string;
  /** Absolute (its own origin), or the path and query when -H rebases every target onto the run's host. */
  url: string;
  options: { name: string; headers?: Record<string, string>; body?: Uint8Array };
}

/**
 * The class for these targets. `rebase`: -H was given, so each target keeps its path and query and
 * goes to the run's host; `openModel`: one shared round robin over arrivals, else one walk per user.
 */
export function vegetaTargetsUser(targets: readonly VegetaTarget[], nameBy: TargetsNameBy, rebase: boolean, openModel: boolean): typeof HttpUser {
  const prepared = targets.map((t) => prepare(t, nameBy, rebase));
  const first = targets[0] ? new URL(targets[0].url).origin : undefined;
  let next = 0;
  class VegetaTargets extends HttpUser {
    /** The first target's origin: what the run header and the reachability probe name without -H. */
    static override host = rebase ? undefined : first;
    override waitTime = constant(0);
    #at = -1;

    @task
    async attack(): Promise<void> {
      let index: number;
      if (openModel) {
        index = next;
        next = (next + 1) % prepared.length;
      } else {
        this.#at = (this.#at + 1) % prepared.length;
        index = this.#at;
      }
      const t = prepared[index] as PreparedTarget;
      await this.client.request(t.method, t.url, t.options);
    }
  }
  return VegetaTargets;
}

function prepare(t: VegetaTarget, nameBy: TargetsNameBy, rebase: boolean): PreparedTarget {
  const url = new URL(t.url);
  const options: PreparedTarget['options'] = { name: nameBy === 'url' ? t.url : url.pathname };
  if (t.headers.length > 0) {
    // Repeated names are joined as one field (RFC 9110 §5.3), which is how they arrive anyway.
    const headers: Record<string, string> = {};
    for (const [name, value] of t.headers) {
      const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
      headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
    }
    options.headers = headers;
  }
  if (t.body !== null) options.body = t.body;
  return { method: t.method, url: rebase ? `${url.pathname}${url.search}` : t.url, options };
}
