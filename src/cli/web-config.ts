/**
 * The web UI's flags (--web-ui and the ones that go with it), checked: where it listens, who may
 * use it, whether it starts and quits by itself. Binding beyond loopback without --web-auth is
 * refused: a load generator anyone on the network can start is a weapon pointed at the target.
 */
import { ConfigError } from '../core/errors.js';
import { isLoopback } from '../web/web-security.js';
import type { RawRunOptions } from './args.js';

export interface WebConfig {
  host: string;
  port: number;
  /** "user:password", or null. */
  auth: string | null;
  autostart: boolean;
  /** Seconds after a run ends before the process exits; null: it stays until Ctrl-C. */
  autoquitSec: number | null;
  /** "" or "/path" without a trailing slash. */
  basePath: string;
}

const WEB_ONLY = ['webHost', 'webPort', 'webAuth', 'autostart', 'autoquit', 'webBasePath'] as const;

function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The web UI's settings (null without --web-ui); every problem goes to `problems`. */
export function webOptions(raw: RawRunOptions, problems: ConfigError[]): WebConfig | null {
  const bad = (message: string): void => void problems.push(new ConfigError('BAD_ARGUMENT', message));
  if (raw.webUi !== true) {
    const given = WEB_ONLY.find((k) => raw[k] !== undefined);
    if (given !== undefined) bad(`${flagOf(given)} applies to the web UI: add --web-ui (runs are headless by default)`);
    return null;
  }
  if (raw.headless === true) bad('--web-ui and --headless: a run is one or the other (drop --headless to get the web UI)');
  if (raw.worker === true) bad('--web-ui goes on the master of a distributed run (--master), not on a --worker');
  const host = raw.webHost ?? '127.0.0.1';
  const port = raw.webPort === undefined ? 8089 : Number(raw.webPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) bad(`--web-port "${raw.webPort ?? ''}" is not a port: use 0-65535 (0: any free port, printed)`);
  const auth = raw.webAuth ?? null;
  if (auth !== null && !/^[^:]+:.+$/s.test(auth)) bad('--web-auth must be user:password (both non-empty), e.g. --web-auth admin:s3cret');
  if (auth === null && !isLoopback(host)) {
    bad(`--web-host ${host} is reachable from other machines: add --web-auth user:password (anyone who reaches the UI can start load against your target), or keep the default 127.0.0.1`);
  }
  const autoquit = raw.autoquit === undefined ? null : Number(raw.autoquit);
  if (autoquit !== null && (!Number.isFinite(autoquit) || autoquit < 0)) bad(`--autoquit "${raw.autoquit ?? ''}" must be a number of seconds >= 0, e.g. --autoquit 30`);
  return { host, port, auth, autostart: raw.autostart === true, autoquitSec: autoquit, basePath: basePath(raw.webBasePath, bad) };
}

/** "/brood/" → "/brood"; "brood" is refused (the path a proxy forwards always starts with a slash). */
function basePath(value: string | undefined, bad: (message: string) => void): string {
  if (value === undefined || value === '' || value === '/') return '';
  if (!value.startsWith('/') || /[?#\s]/.test(value) || value.includes('//')) {
    bad(`--web-base-path "${value}" must be a path such as /brood (the prefix your reverse proxy forwards)`);
    return '';
  }
  return value.replace(/\/+$/, '');
}

/** The command line as shown in reports and logs: the --web-auth password masked. */
export function maskWebAuthArgs(argv: readonly string[]): string[] {
  return argv.map((a, i) => {
    if (a.startsWith('--web-auth=')) return `--web-auth=${maskAuth(a.slice('--web-auth='.length))}`;
    return argv[i - 1] === '--web-auth' ? maskAuth(a) : a;
  });
}

/** "user:password" → "user:***". */
export function maskAuth(value: string): string {
  const colon = value.indexOf(':');
  return colon === -1 ? '***' : `${value.slice(0, colon)}:***`;
}
