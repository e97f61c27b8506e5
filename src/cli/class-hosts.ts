/**
 * Where a run's users send their requests, as Locust decides it: --host for every class when it
 * is given; otherwise each class's own `static host`; the built-in demo server only when neither
 * exists. A run whose classes disagree (some with a host, some without, and no --host) cannot mean
 * what the file says, so it is refused in one line instead of sending some users nowhere useful.
 */
import { hostSchemesOf } from '../core/brand.js';
import { ConfigError, ConfigErrors } from '../core/errors.js';
import { redactCredentials } from '../http/basic-auth.js';
import { parseHost } from './run-config.js';

export interface ClassHost {
  className: string;
  /** As the class wrote it (credentials included: never print it, use `shown`). */
  host: string;
  /** Without credentials, for the console and the report. */
  shown: string;
}

/** The `static host` of each class that has one, checked like --host; the names of those without. */
export function classHostsOf(classes: readonly unknown[]): { hosts: ClassHost[]; without: string[] } {
  const hosts: ClassHost[] = [];
  const without: string[] = [];
  const problems: ConfigError[] = [];
  for (const c of classes) {
    const cls = c as { name: string; host?: unknown };
    const host = cls.host;
    if (host === undefined || host === null || host === '') {
      without.push(cls.name);
      continue;
    }
    if (typeof host !== 'string') {
      problems.push(new ConfigError('BAD_HOST', `${cls.name}.host must be a URL string, e.g. static host = 'http://127.0.0.1:8000'`));
      continue;
    }
    try {
      hosts.push({ className: cls.name, host, shown: parseHost(host).host });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(new ConfigError('BAD_HOST', `${cls.name}.host: ${e.message.replace(/^--host /, '')}`));
    }
  }
  if (problems.length > 0) throw new ConfigErrors(problems);
  return { hosts, without };
}

/** What the run targets, decided before anything starts. */
export type RunTarget =
  | { kind: 'command-line'; host: string; overridden: ClassHost[] }
  | { kind: 'classes'; hosts: ClassHost[] }
  | { kind: 'demo' };

export function runTarget(commandLineHost: string | null, classes: readonly unknown[]): RunTarget {
  const { hosts, without } = classHostsOf(classes);
  if (commandLineHost !== null) return { kind: 'command-line', host: commandLineHost, overridden: hosts };
  if (hosts.length === 0) return { kind: 'demo' };
  if (without.length > 0) {
    throw new ConfigError(
      'BAD_HOST',
      `${without.join(', ')} ${without.length === 1 ? 'has' : 'have'} no host while ${hosts.map((h) => h.className).join(', ')} ${hosts.length === 1 ? 'has' : 'have'} one: ` +
        `give ${without.length === 1 ? 'it' : 'each'} a static host, or -H URL for every class`,
    );
  }
  return { kind: 'classes', hosts };
}

/** "http://a (Reader, Writer), http://b (Admin)" for the run header. */
export function describeClassHosts(hosts: readonly ClassHost[]): string {
  const byHost = new Map<string, string[]>();
  for (const h of hosts) byHost.set(h.shown, [...(byHost.get(h.shown) ?? []), h.className]);
  return [...byHost].map(([host, names]) => `${redactCredentials(host)} (${names.join(', ')})`).join(', ');
}

/** What kind of user a class is, for a message about its host: the base class it extends that names its schemes. */
function kindName(cls: { name: string }): string {
  for (let c: unknown = Object.getPrototypeOf(cls); typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    const name = (c as { name: string }).name;
    if (Object.hasOwn(c, 'abstract') && name !== '') return name;
  }
  return 'User';
}

/**
 * Each class's target has a scheme its kind of user can speak (an HttpUser cannot reach ws://, a
 * GrpcUser not wss://): refused before the run, in one line per class, instead of failing every request.
 */
export function checkHostSchemes(target: RunTarget, classes: readonly unknown[]): void {
  const problems: ConfigError[] = [];
  for (const c of classes) {
    const cls = c as { name: string; host?: unknown };
    const schemes = hostSchemesOf(cls);
    const host = target.kind === 'command-line' ? target.host : target.kind === 'classes' ? target.hosts.find((h) => h.className === cls.name)?.shown : undefined;
    if (schemes === null || host === undefined) continue;
    const scheme = new URL(host).protocol;
    if (schemes.includes(scheme)) continue;
    const from = target.kind === 'command-line' ? `-H ${redactCredentials(host)}` : `its host ${redactCredentials(host)}`;
    problems.push(new ConfigError('BAD_HOST', `${cls.name} (${kindName(cls)}): ${from} is not ${schemes.map((s) => `${s}//`).join(', ')} (${scheme}// is for ${scheme.startsWith('ws') ? 'WebSocketUser' : scheme.startsWith('grpc') ? 'GrpcUser' : 'HttpUser'})`));
  }
  if (problems.length > 0) throw new ConfigErrors(problems);
}
