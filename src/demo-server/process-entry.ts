/**
 * The child process started by process-host.ts: starts the demo server with the options of the
 * host's 'start' message and reports back over IPC. It outlives a Ctrl-C aimed at brood (brood
 * stops gracefully and closes it last) but never outlives brood: when the IPC channel drops (brood
 * exited, even by kill -9) it exits at once. Run without an IPC channel, it does nothing.
 */
import type { DemoServerOptions } from './options.js';
import type { HostToProcess, ProcessToHost } from './process-messages.js';
import type { RunningDemoServer } from './server.js';

function main(): void {
  const send = process.send?.bind(process);
  if (send === undefined) return;
  // The terminal's Ctrl-C reaches brood's process group, not this one (detached); a SIGINT sent here on purpose is ignored too.
  process.on('SIGINT', () => undefined);
  // Nobody is left to serve or to report to: graceful closing would only delay the exit.
  process.on('disconnect', () => process.exit(0));
  const reply = (message: ProcessToHost, then?: () => void): void => {
    send(message, undefined, {}, () => then?.());
  };
  let running: Promise<RunningDemoServer> | null = null;
  let closing = false;
  process.on('message', (message: HostToProcess) => {
    if (message.type === 'start' && running === null) {
      running = start(message.options);
      running.then(
        (server) => reply({ type: 'listening', url: server.url, port: server.port }),
        (error: unknown) => reply({ type: 'error', message: messageOf(error) }, () => process.exit(1)),
      );
    } else if (message.type === 'close' && !closing) {
      closing = true;
      void close(running, reply);
    }
  });
}

async function start(options: Partial<DemoServerOptions>): Promise<RunningDemoServer> {
  // This process exists to be scraped: prom-client (~50 ms to import) loads now, before the port
  // opens, rather than stalling the first requests of the run on the first scrape.
  await import('prom-client');
  const { startDemoServer } = await import('./server.js');
  return startDemoServer(options);
}

async function close(running: Promise<RunningDemoServer> | null, reply: (message: ProcessToHost, then?: () => void) => void): Promise<void> {
  try {
    if (running !== null) await (await running).close();
    reply({ type: 'closed' }, () => process.exit(0));
  } catch (error) {
    reply({ type: 'error', message: messageOf(error) }, () => process.exit(1));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main();
