import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repo root, from dist/test/helpers/ (compiled) — three levels up. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../../bin/run-load-tests.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `run-load-tests` as a real child process. `onStdout` may react to output (e.g. send a
 * signal); `cpus` pins it with `taskset -c` (util-linux).
 */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; onStdout?: (text: string, child: ReturnType<typeof spawn>) => void; bin?: string; cpus?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const command = [process.execPath, options.bin ?? CLI, ...args];
    if (options.cpus !== undefined) command.unshift('taskset', '-c', options.cpus);
    const child = spawn(command[0] as string, command.slice(1), {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
