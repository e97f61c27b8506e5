/**
 * Helpers for the reliability tests: a strict CSV reader (to prove files parse back), /proc
 * readings of a child's memory and CPU, a CLI child we can signal or kill, and the demo server
 * as a real target process we can kill and restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI, REPO_ROOT } from './cli.js';

/**
 * RFC 4180 as Python's csv module writes it (CRLF records, "" inside quotes). Throws on anything
 * malformed: a quote inside an unquoted cell, an unterminated quoted cell, a record not ended by
 * CRLF (a half-written line).
 */
export function parseCsvStrict(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let atCellStart = true;
  while (i < text.length) {
    const c = text[i];
    if (atCellStart && c === '"') {
      const end = quotedEnd(text, i);
      cell = text.slice(i + 1, end).replace(/""/g, '"');
      i = end + 1;
      atCellStart = false;
      const next = text[i];
      if (next !== ',' && next !== '\r') throw new Error(`CSV: text after a closing quote at ${i}`);
      continue;
    }
    if (c === ',') {
      row.push(cell);
      cell = '';
      atCellStart = true;
      i++;
    } else if (c === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`CSV: bare CR at ${i}`);
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atCellStart = true;
      i += 2;
    } else {
      if (c === '"' || c === '\n') throw new Error(`CSV: ${JSON.stringify(c)} in an unquoted cell at ${i}`);
      cell += c;
      atCellStart = false;
      i++;
    }
  }
  if (!atCellStart || row.length > 0) throw new Error('CSV: last record not terminated by CRLF (half-written line)');
  return rows;
}

function quotedEnd(text: string, open: number): number {
  let j = open + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) throw new Error(`CSV: unterminated quoted cell from ${open}`);
    if (text[q + 1] === '"') j = q + 2;
    else return q;
  }
}

/** Reads a CSV file; every record must have as many cells as the header. Returns header + rows. */
export function readCsvFile(path: string): { header: string[]; rows: string[][] } {
  const all = parseCsvStrict(readFileSync(path, 'utf8'));
  const header = all[0];
  if (!header) throw new Error(`${path}: empty`);
  for (const [i, r] of all.entries()) {
    if (r.length !== header.length) throw new Error(`${path}: record ${i} has ${r.length} cells, header ${header.length}`);
  }
  return { header, rows: all.slice(1) };
}

/** A field of /proc/<pid>/status in kB (VmRSS, VmHWM), or null when the process is gone. */
export function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) the process has used so far, or null when it is gone. */
export function procCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export interface CliChild {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout contains `text` (or rejects after timeoutMs). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** `run-load-tests` as a child process we can watch, signal and kill. */
export function startCli(args: readonly string[], killAfterMs = 60_000): CliChild {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) w();
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, ms: Date.now() - started });
    }),
  );
  const waitFor = (text: string | RegExp, timeoutMs = 20_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => (typeof text === 'string' ? out.includes(text) : text.test(out));
      if (check()) return resolve();
      const t = setTimeout(() => reject(new Error(`no ${String(text)} on stdout within ${timeoutMs} ms: ${out}${err}`)), timeoutMs);
      const w = (): void => {
        if (!check()) return;
        clearTimeout(t);
        waiters.splice(waiters.indexOf(w), 1);
        resolve();
      };
      waiters.push(w);
    });
  return { child, stdout: () => out, stderr: () => err, waitFor, exited };
}

export interface DemoTarget {
  child: ChildProcess;
  url: string;
  port: number;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

/** The demo server in its own process (port 0 = any free port). */
export function startDemoTarget(port = 0, extra: readonly string[] = []): Promise<DemoTarget> {
  const main = fileURLToPath(new URL('../../src/demo-server/main.js', import.meta.url));
  const child = spawn(process.execPath, [main, '--port', String(port), '--seed', '1', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m?.[1] && m[2]) {
        resolve({
          child,
          url: m[1],
          port: Number(m[2]),
          kill: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            await gone;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`demo server exited (${code}) before listening: ${err}`)));
  });
}
