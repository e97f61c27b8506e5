/**
 * A real `run-load-tests --web-ui` process for tests: started with --web-port 0, its URL read
 * from the "Web UI:" line it prints; stopped by its PID (SIGTERM, then SIGKILL) when the test ends.
 */
import type { spawn } from 'node:child_process';
import { runCli, type CliResult } from './cli.js';

export interface WebUiProcess {
  /** The page's URL as printed, e.g. http://127.0.0.1:40123/ (with --web-base-path, its path). */
  url: string;
  /** The bound origin, e.g. http://127.0.0.1:40123. */
  origin: string;
  /** Resolves when the process exits. */
  exited: Promise<CliResult>;
  stdout(): string;
  /** SIGTERM (the UI stops its run, writes files, exits); SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<CliResult>;
}

export async function startWebUi(args: readonly string[], options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<WebUiProcess> {
  let child: ReturnType<typeof spawn> | null = null;
  let out = '';
  let found: ((url: string) => void) | null = null;
  const urlSeen = new Promise<string>((resolve) => (found = resolve));
  const exited = runCli(['--web-ui', '--web-port', '0', ...args], {
    ...options,
    timeoutMs: options.timeoutMs ?? 60_000,
    onStdout: (text, c) => {
      child = c;
      out = text;
      const m = /Web UI: (http:\/\/\S+)/.exec(text);
      if (m?.[1] !== undefined) found?.(m[1]);
    },
  });
  const url = await Promise.race([urlSeen, exited.then((r) => Promise.reject(new Error(`the web UI exited (${r.code}) before printing its URL: ${r.stderr}${r.stdout}`)))]);
  const origin = new URL(url).origin;
  return {
    url,
    origin,
    exited,
    stdout: () => out,
    async stop(graceMs = 15_000) {
      const c = child;
      c?.kill('SIGTERM');
      const timer = setTimeout(() => c?.kill('SIGKILL'), graceMs);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
  };
}

/** A POST as the page sends it: form-encoded, with the UI's own Origin. */
export async function postForm(ui: WebUiProcess, path: string, fields: Record<string, string | string[]> = {}, headers: Record<string, string> = {}): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return fetch(new URL(path, ui.url), { method: 'POST', body, headers: { origin: ui.origin, ...headers } });
}

/** Polls `check` every 100 ms until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
