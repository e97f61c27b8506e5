/**
 * Header names are case-insensitive (RFC 9110 §5.1): a user's `Content-Type` must replace brood's
 * `content-type` instead of going out beside it, and `r.headers['Content-Type']` must read what the
 * server sent as `content-type`. These are the two views that make that true.
 */

/**
 * `this.client.headers`: the session's headers, sent with every request (Python requests'
 * `session.headers`). A plain-looking object (`headers['Authorization'] = …`, `delete headers.x`,
 * `Object.assign(headers, {...})`) whose keys are matched without regard to case; the name last
 * written is the spelling sent. `version` moves on every change, so the session rebuilds the merged
 * header object only when something changed, not per request.
 */
export class SessionHeaderStore {
  /** lower-case name → [name as written, value] */
  readonly entries = new Map<string, [string, string]>();
  version = 0;
  /** The view handed to users; created on first access. */
  #view: Record<string, string> | null = null;

  get view(): Record<string, string> {
    this.#view ??= new Proxy(Object.create(null) as Record<string, string>, this.#traps());
    return this.#view;
  }

  set(name: string, value: unknown): void {
    this.entries.set(name.toLowerCase(), [name, String(value)]);
    this.version++;
  }

  delete(name: string): boolean {
    const had = this.entries.delete(name.toLowerCase());
    if (had) this.version++;
    return had;
  }

  /** Replaces every header (`this.client.headers = {...}`). */
  replace(headers: Readonly<Record<string, unknown>>): void {
    this.entries.clear();
    // Any value as Python's str() would write it, as requests and Locust do for headers and params.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    for (const [k, v] of Object.entries(headers)) if (v !== undefined && v !== null) this.entries.set(k.toLowerCase(), [k, String(v)]);
    this.version++;
  }

  #traps(): ProxyHandler<Record<string, string>> {
    const lookup = (p: string | symbol): [string, string] | undefined => (typeof p === 'string' ? this.entries.get(p.toLowerCase()) : undefined);
    return {
      get: (_t, p) => lookup(p)?.[1],
      has: (_t, p) => lookup(p) !== undefined,
      set: (_t, p, v: unknown) => {
        if (typeof p !== 'string') return false;
        // `headers.x = undefined` removes it, as requests drops None-valued headers.
        if (v === undefined || v === null) this.delete(p);
        else this.set(p, v);
        return true;
      },
      deleteProperty: (_t, p) => {
        if (typeof p === 'string') this.delete(p);
        return true;
      },
      ownKeys: () => [...this.entries.values()].map(([name]) => name),
      getOwnPropertyDescriptor: (_t, p) => {
        const e = lookup(p);
        return e === undefined ? undefined : { value: e[1], writable: true, enumerable: true, configurable: true };
      },
      defineProperty: () => false,
    };
  }
}

/**
 * Adds `headers` to `into` (keyed by lower-case name), each replacing a same-named entry whatever
 * its case. null/undefined values remove the header (requests' rule for None).
 */
export function mergeHeaders(into: Map<string, [string, string]>, headers: Readonly<Record<string, unknown>>): void {
  for (const name in headers) {
    const v = headers[name];
    const key = name.toLowerCase();
    if (v === undefined || v === null) into.delete(key);
    // Any value as Python's str() would write it, as requests and Locust do for headers and params.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    else into.set(key, [name, String(v)]);
  }
}

/** The object undici sends: one entry per header, in the spelling last written. */
export function headerObject(entries: Map<string, [string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of entries.values()) out[name] = value;
  return out;
}

/**
 * A read-only, case-insensitive view of response headers parsed with lower-case names: `get`
 * lower-cases the key, so `r.headers['Content-Type']` and `r.headers['content-type']` agree.
 */
export function caseInsensitiveView<T>(lowerCased: Record<string, T>): Record<string, T> {
  return new Proxy(lowerCased, {
    get: (t, p) => (typeof p === 'string' ? t[p.toLowerCase()] : undefined),
    has: (t, p) => typeof p === 'string' && p.toLowerCase() in t,
    getOwnPropertyDescriptor: (t, p) => (typeof p === 'string' ? Reflect.getOwnPropertyDescriptor(t, p.toLowerCase()) : undefined),
  });
}
