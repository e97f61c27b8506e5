#!/usr/bin/env node
/**
 * `npm run demo-server -- --port 8000`: the demo server on its own. Prints one listening line,
 * stops cleanly on SIGINT/SIGTERM; bad flags → one line on stderr and exit code 2.
 */
import { parseCliArgs, USAGE } from './cli-args.js';
import { startDemoServer, type RunningDemoServer } from './server.js';

const FORCED_EXIT_MS = 5_000;

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`brood demo-server: ${parsed.message} (see --help)\n`);
    process.exitCode = 2;
    return;
  }
  let running: RunningDemoServer;
  try {
    running = await startDemoServer(parsed.options);
  } catch (error) {
    process.stderr.write(`brood demo-server: cannot listen: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`brood demo server listening on ${running.url}\n`);
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    // A stuck close must not leave a process the user has to kill -9.
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    running.close().then(
      () => { process.exitCode = 0; },
      (error: unknown) => {
        process.stderr.write(`brood demo-server: close failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
