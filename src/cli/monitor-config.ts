/**
 * --monitor-pid, --monitor-children, --monitor-url, --monitor-metric and --monitor-warm-up
 * (issue 23): what the run watches of the system under test, checked before anything starts. A
 * PID that does not exist, a URL that is not http(s) and a metric name Prometheus would not accept
 * are one line each and exit 2.
 */
import { ConfigError } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';
import { parseMetricSelector, type MetricSelector } from '../monitor/metric-selector.js';
import { processExists, type MonitorSetup } from '../monitor/monitor-setup.js';
import { redactCredentials } from '../http/basic-auth.js';
import type { RawRunOptions } from './args.js';

export function monitorOptions(raw: RawRunOptions, problems: ConfigError[]): MonitorSetup | null {
  const pids = (raw.monitorPid ?? []).map((text) => pidOf(text, problems)).filter((p): p is number => p !== null);
  const urls = (raw.monitorUrl ?? []).map((text) => urlOf(text, problems)).filter((u): u is string => u !== null);
  const metrics = (raw.monitorMetric ?? []).map((text) => parseMetricSelector(text)).filter((m): m is MetricSelector | string => {
    if (typeof m === 'string') problems.push(new ConfigError('BAD_ARGUMENT', m));
    return typeof m !== 'string';
  }) as MetricSelector[];
  const given = raw.monitorPid !== undefined || raw.monitorUrl !== undefined;
  if (raw.monitorChildren === true && raw.monitorPid === undefined) problems.push(new ConfigError('BAD_ARGUMENT', '--monitor-children adds the children of --monitor-pid PID: give the PID'));
  // Series are read from scrapes: a URL, or the demo server's own /metrics when there is no host.
  if (raw.monitorMetric !== undefined && raw.monitorUrl === undefined && raw.host !== undefined) {
    problems.push(new ConfigError('BAD_ARGUMENT', '--monitor-metric reads a series from a Prometheus endpoint: add --monitor-url http://HOST:PORT/metrics'));
  }
  let warmUpSec: number | null = null;
  if (raw.monitorWarmUp !== undefined) {
    if (!given && raw.host !== undefined) problems.push(new ConfigError('BAD_ARGUMENT', '--monitor-warm-up applies to what --monitor-pid or --monitor-url watch: give one'));
    try {
      warmUpSec = raw.monitorWarmUp.trim() === '0' ? 0 : parseDuration(raw.monitorWarmUp, '--monitor-warm-up');
    } catch (e) {
      if (e instanceof ConfigError) problems.push(e);
      else throw e;
    }
  }
  if (given && raw.worker === true) problems.push(new ConfigError('BAD_ARGUMENT', '--monitor-pid and --monitor-url belong to the master of a distributed run (it writes the files): give them there, not to --worker'));
  if (!given && raw.monitorMetric === undefined && raw.monitorWarmUp === undefined) return null;
  return { pids: [...new Set(pids)], children: raw.monitorChildren === true, urls: [...new Set(urls)].map((url) => ({ url })), metrics, warmUpSec };
}

function pidOf(text: string, problems: ConfigError[]): number | null {
  const pid = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(pid) || pid < 1) {
    problems.push(new ConfigError('BAD_ARGUMENT', `--monitor-pid "${text}" is not a process ID: give a whole number, e.g. --monitor-pid $(pgrep -o myserver)`));
    return null;
  }
  if (!processExists(pid)) {
    problems.push(new ConfigError('BAD_ARGUMENT', `--monitor-pid ${pid}: no process with that PID on this machine (a remote server: --monitor-url http://HOST:PORT/metrics)`));
    return null;
  }
  return pid;
}

function urlOf(text: string, problems: ConfigError[]): string | null {
  const shown = redactCredentials(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(new ConfigError('BAD_ARGUMENT', `--monitor-url "${shown}" is not a URL: give a Prometheus endpoint, e.g. --monitor-url http://127.0.0.1:9100/metrics`));
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(new ConfigError('BAD_ARGUMENT', `--monitor-url "${shown}" must be an http:// or https:// Prometheus endpoint, e.g. http://127.0.0.1:9100/metrics`));
    return null;
  }
  return text;
}
