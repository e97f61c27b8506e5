import type { MonitorSetup } from './monitor-setup.js';
import { PidSource } from './pid-source.js';
import type { ResourceSource } from './resource-sample.js';
import { UrlSource } from './url-source.js';

/** Fresh sources for one run (a web UI's second run starts from new readings). */
export function monitorSources(setup: MonitorSetup): ResourceSource[] {
  return [
    ...setup.pids.map((pid) => new PidSource(pid, { children: setup.children })),
    ...setup.urls.map((u) => new UrlSource(u.url, { metrics: setup.metrics, ...(u.name === undefined ? {} : { name: u.name }) })),
  ];
}
