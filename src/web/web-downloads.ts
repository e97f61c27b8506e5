/**
 * The run's files as the web UI downloads them (Locust's CSV endpoints, its HTML report, brood's
 * JSON): made from the run's statistics now while it goes; once it has ended, the files it wrote.
 */
import { existsSync, readFileSync } from 'node:fs';
import { exceptionsCsv } from '../report/exceptions-csv.js';
import { failuresCsv } from '../report/failures-csv.js';
import { statsCsv } from '../report/stats-csv.js';
import type { WebRun } from './run-controller.js';

export interface Download {
  body: string | Buffer;
  contentType: string;
  /** The name offered to save it as (Content-Disposition), or null to show it. */
  fileName: string | null;
}

export type DownloadKind = 'stats' | 'history' | 'failures' | 'exceptions' | 'report' | 'json';

const CSV = 'text/csv; charset=utf-8';

/**
 * One download of `run` (null: no run yet). `ended`: the run wrote its final files, which are what
 * is served then (exactly what a headless run leaves on disk).
 */
export function download(run: WebRun | null, ended: boolean, kind: DownloadKind, nowWallMs: number, attach: boolean): Download | null {
  if (run === null) return null;
  const stamp = Math.floor(nowWallMs / 1000);
  const stats = run.job.stats;
  switch (kind) {
    case 'stats': {
      const { entries, aggregated } = stats.summaries(nowWallMs);
      return { body: statsCsv(entries, aggregated, stats.startWallMs), contentType: CSV, fileName: `requests_${stamp}.csv` };
    }
    case 'failures':
      return { body: failuresCsv(stats.failures()), contentType: CSV, fileName: `failures_${stamp}.csv` };
    case 'exceptions':
      return { body: exceptionsCsv(stats.exceptions()), contentType: CSV, fileName: `exceptions_${stamp}.csv` };
    case 'history':
      // Appended every second with synchronous writes: the file is the history, whole.
      return existsSync(run.paths.statsHistory) ? { body: readFileSync(run.paths.statsHistory), contentType: CSV, fileName: `requests_full_history_${stamp}.csv` } : null;
    case 'report':
    case 'json':
      return report(run, ended, kind, stamp, attach);
  }
}

function report(run: WebRun, ended: boolean, kind: 'report' | 'json', stamp: number, attach: boolean): Download | null {
  const path = kind === 'report' ? run.paths.html : run.paths.json;
  let body: string | Buffer | null;
  if (ended) body = existsSync(path) ? readFileSync(path) : null;
  else {
    const soFar = run.job.reportSoFar();
    body = kind === 'report' ? soFar.html : soFar.json;
  }
  if (body === null) return null;
  return kind === 'report'
    ? { body, contentType: 'text/html; charset=utf-8', fileName: attach ? `report_${stamp}.html` : null }
    : { body, contentType: 'application/json; charset=utf-8', fileName: attach ? `report_${stamp}.json` : null };
}

/** The CSP a brood HTML report declares for itself (its scripts by hash), for the header it is served with. */
export function reportPolicy(html: string): string | null {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
  return m?.[1] === undefined ? null : `${m[1]}; frame-ancestors 'none'`;
}
