import { ConfigError } from './errors.js';
/**
 * Locust's Python spellings on a ported user or task set. A locustfile ported word for word writes
 * `wait_time = between(1, 2)`, `on_start()`, `fixed_count = 1`; brood used to ignore them, so a user
 * never logged in and ran with no think time, without a word. Now each one either means what it
 * means in Locust (an alias of the brood name) or is refused with the brood spelling. Never ignored.
 */
import { BROOD_KIND } from './brand.js';

/** Locust's name → brood's, honoured as aliases (on the instance, the prototype or the class). */
const ALIASES: ReadonlyArray<readonly [locust: string, brood: string]> = [
  ['wait_time', 'waitTime'],
  ['on_start', 'onStart'],
  ['on_stop', 'onStop'],
];

/** Locust (and FastHttpUser) class attributes brood has no per-class equivalent of, with what to use. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  network_timeout: "brood's timeouts are --request-timeout, or timeout: seconds per request",
  connection_timeout: "brood's timeouts are --request-timeout (connect included), or timeout: seconds per request",
  max_redirects: 'use --max-redirects N, or allowRedirects: false per request',
  max_retries: 'brood does not retry a request: every attempt is measured once',
  default_headers: "set this.client.headers['Name'] = value in onStart",
  client_pool: 'use --connection-pool shared',
  concurrency: 'use --connection-pool shared',
  ssl_context_factory: 'use --insecure, --ca FILE or --cert FILE --key FILE',
  proxy_host: 'brood does not send through proxies',
  proxy_port: 'brood does not send through proxies',
  stop_timeout: 'use --stop-timeout',
};

/** Locust LoadTestShape attributes brood has no form of, with what holds instead. */
const SHAPE_UNSUPPORTED: Readonly<Record<string, string>> = {
  use_common_options: 'a LoadShape gets no -u/-r (they are refused beside one): its tick() returns the users and spawn rate; -t still limits the run',
};

/**
 * Locust's event names (`events.test_start`): brood's name where it has the event, else what to
 * use instead. Read on brood's events they throw this hint: `events.test_start.add_listener(fn)`
 * would otherwise fail as "cannot read properties of undefined".
 */
export const LOCUST_EVENTS: Readonly<Record<string, { brood: string } | { hint: string }>> = {
  test_start: { brood: 'testStart' },
  test_stopping: { brood: 'testStopping' },
  test_stop: { brood: 'testStop' },
  spawning_complete: { brood: 'spawningComplete' },
  user_error: { brood: 'userError' },
  init_command_line_parser: { hint: "declare the file's options with `export const options = { 'my-option': { type: 'string', default: 'x' } }` (README: The test file's own options)" },
  reset_stats: { hint: 'brood has no event for a stats reset' },
  cpu_warning: { hint: 'brood prints its own warning when the generator runs hot; it has no event for it' },
  report_to_master: { hint: 'brood merges workers\' stats itself (exactly, HDR histograms); it has no event for what a worker sends' },
  worker_report: { hint: 'brood merges workers\' stats itself (exactly, HDR histograms); it has no event for what a worker sends' },
  worker_connect: { hint: 'brood has no event for a worker connecting (the run log says it)' },
  heartbeat_sent: { hint: 'brood has no heartbeat events' },
  heartbeat_received: { hint: 'brood has no heartbeat events' },
  usage_monitor: { hint: 'brood has no usage_monitor event (--self-monitor and --monitor-* watch resources)' },
  quit: { hint: 'use events.quitting.on(({ exitCode }) => …), which fires once every file is written' },
};

/** Locust's EventHook methods: what a brood hook has instead. */
export const LOCUST_HOOK_METHODS: Readonly<Record<string, string>> = {
  add_listener: 'use .on(listener) (it returns the function that removes it; listeners get one object, with camelCase fields: README, Events)',
  remove_listener: 'call the function .on(listener) returned',
  fire: 'record a request of your own with this.measure(type, name, fn) or this.environment.recordRequest({ type, name, responseTimeMs, responseLength, error }) (README: Custom clients)',
  measure: 'time a call with this.measure(type, name, fn) on the user (README: Custom clients)',
};

/** What reading Locust's `name` on brood's events says: brood's spelling, or that it has none. */
export function locustEventHint(name: string): string {
  const e = LOCUST_EVENTS[name];
  if (e === undefined) return `events.${name} is not an event`;
  return 'brood' in e ? `events.${name} is Locust's name of events.${e.brood}: use events.${e.brood}.on(listener)` : `events.${name} is Locust's event, which brood has no form of: ${e.hint}`;
}

type Bag = Record<string, unknown>;

/**
 * brood's own base class (User or TaskSet) under `cls`: the last class up its chain that carries
 * brood's brand. Found by brand, not by import: a test file may reach brood through another module
 * instance, whose base class is not this module's.
 */
export function brandRoot(cls: object): { prototype: object } {
  let root = cls;
  for (let c: object | null = cls; c !== null && c !== Function.prototype; c = Object.getPrototypeOf(c) as object | null) {
    if ((c as unknown as Record<symbol, unknown>)[BROOD_KIND] !== undefined) root = c;
  }
  return root as { prototype: object };
}

/**
 * Problems visible on a user or task set class itself (static fields and prototype methods), one
 * line each, reported before the run: both spellings of one thing, or a Locust setting brood has
 * no per-class form of. `base` is brood's own class it extends (User or TaskSet): its defaults do
 * not count as "written by the file".
 */
export function classSpellingProblems(cls: { name: string }, base: object): string[] {
  const problems: string[] = [];
  const statics = cls as unknown as Bag;
  const proto = (cls as unknown as { prototype: Bag }).prototype;
  const baseProto = (base as { prototype: Bag }).prototype;
  for (const [locust, brood] of ALIASES) {
    const locustWritten = proto[locust] !== undefined || statics[locust] !== undefined;
    const broodWritten = (proto[brood] !== undefined && proto[brood] !== baseProto[brood]) || statics[brood] !== undefined;
    if (locustWritten && broodWritten) problems.push(`${cls.name} has both ${locust} (Locust's spelling) and ${brood}: keep ${brood}`);
  }
  if (statics.fixed_count !== undefined && statics.fixedCount !== (base as Bag).fixedCount && statics.fixedCount !== undefined) {
    problems.push(`${cls.name} has both fixed_count (Locust's spelling) and fixedCount: keep static fixedCount`);
  }
  for (const [name, hint] of Object.entries(UNSUPPORTED)) {
    if (statics[name] !== undefined || proto[name] !== undefined) problems.push(`${cls.name}.${name} is Locust's setting, which brood has no per-class form of: ${hint}`);
  }
  return problems;
}

/**
 * A Locust setting turned on in a load shape that brood would otherwise ignore (`use_common_options =
 * True` ported as a field: the shape would silently never see -u/-r), as one line, or null.
 */
export function shapeSpellingProblem(shape: object): string | null {
  const statics = shape.constructor as unknown as Bag;
  for (const [name, hint] of Object.entries(SHAPE_UNSUPPORTED)) {
    // Locust's default (False) asks for nothing brood does not do: only a setting that is on is refused.
    if (Boolean((shape as Bag)[name]) || Boolean(statics[name])) return `${shape.constructor.name}.${name} is Locust's setting, which brood has no form of: ${hint}`;
  }
  return null;
}

/** A class's fixedCount, read under Locust's spelling too (`static fixed_count = 1`). */
export function fixedCountOf(cls: Bag, base: Bag): unknown {
  return cls.fixed_count !== undefined && cls.fixedCount === base.fixedCount ? cls.fixed_count : cls.fixedCount;
}

/**
 * Makes a new user or task set answer to brood's names where the file used Locust's: an instance
 * field `wait_time = between(1, 2)`, a method `on_start()`, a class attribute `static wait_time`.
 * `baseWait` is the base class's default think time (a field or method the file wrote replaces it).
 * Throws a ConfigError (the file's mistake: the run stops, exit 2) when an instance field conflicts with brood's.
 */
export function applyLocustSpellings(obj: object, base: { prototype: object }): void {
  const o = obj as Bag;
  const statics = obj.constructor as unknown as Bag;
  const baseProto = base.prototype as Bag;
  for (const [locust, brood] of ALIASES) {
    const value = o[locust] ?? statics[locust] ?? (brood === 'waitTime' ? statics.waitTime : undefined);
    if (value === undefined) continue;
    if (typeof value !== 'function') {
      throw new ConfigError('BAD_USER_CLASS', `${obj.constructor.name}.${locust} must be a ${brood === 'waitTime' ? 'wait function, e.g. between(1, 5)' : 'method'}, got ${typeof value}`);
    }
    if (o[brood] !== baseProto[brood] && o[brood] !== value) {
      throw new ConfigError('BAD_USER_CLASS', `${obj.constructor.name} has both ${locust} (Locust's spelling) and ${brood}: keep ${brood}`);
    }
    o[brood] = value;
  }
}
