/**
 * Flags of `npm run demo-server` → DemoServerOptions. Pure: returns options or every problem,
 * so main.ts only prints and exits.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_DEMO_SERVER_OPTIONS, validateDemoServerOptions, type DemoServerOptions } from './options.js';

export const CLI_DEFAULT_PORT = 8000;

export const USAGE = `Usage: npm run demo-server -- [flags]   (or: node dist/src/demo-server/main.js [flags])

  --port N              port to listen on (default ${CLI_DEFAULT_PORT}; 0 = any free port)
  --host H              interface to bind (default 127.0.0.1)
  --latency-ms N        delay added to every request (default 0)
  --jitter-ms N         uniform extra delay 0..N ms (default 0)
  --error-rate F        fraction 0..1 of requests answered 500 (default 0)
  --federation on|off   off → /federation/* answers 404 (default on)
  --max-concurrency N   requests processed at once, 0 = unlimited (default 0)
  --queue-limit M       requests waiting for a slot before 503 overloaded (default ${DEFAULT_DEMO_SERVER_OPTIONS.queueLimit})
  --seed N              seed for jitter and error injection (default random)
  --max-concepts N      concepts kept per memory space before the oldest are evicted (default ${DEFAULT_DEMO_SERVER_OPTIONS.maxConcepts})
  --max-spaces N        X-Memory-Space tenants allowed (default ${DEFAULT_DEMO_SERVER_OPTIONS.maxSpaces})
  -h, --help            show this help

Example: npm run demo-server -- --port 8000 --latency-ms 20 --max-concurrency 50 --queue-limit 100`;

export type CliParse =
  | { kind: 'options'; options: DemoServerOptions }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

const NUMERIC_FLAGS: ReadonlyArray<readonly [string, keyof DemoServerOptions]> = [
  ['port', 'port'], ['latency-ms', 'latencyMs'], ['jitter-ms', 'jitterMs'], ['error-rate', 'errorRate'],
  ['max-concurrency', 'maxConcurrency'], ['queue-limit', 'queueLimit'], ['seed', 'seed'],
  ['max-concepts', 'maxConcepts'], ['max-spaces', 'maxSpaces'],
];

export function parseCliArgs(argv: readonly string[]): CliParse {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' }, federation: { type: 'string' }, help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(NUMERIC_FLAGS.map(([flag]) => [flag, { type: 'string' as const }])),
      },
    }).values;
  } catch (error) {
    // parseArgs explains some errors over several lines; the CLI promises one.
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'error', message: message.split('\n', 1)[0] ?? message };
  }
  if (values.help === true) return { kind: 'help' };
  const options: DemoServerOptions = { ...DEFAULT_DEMO_SERVER_OPTIONS, port: CLI_DEFAULT_PORT };
  const problems: string[] = [];
  const unparsed = new Set<string>();
  for (const [flag, field] of NUMERIC_FLAGS) {
    const text = values[flag];
    if (typeof text !== 'string') continue;
    const value = text.trim() === '' ? Number.NaN : Number(text);
    if (Number.isNaN(value)) {
      problems.push(`--${flag} expects a number (got "${text}")`);
      unparsed.add(`--${flag}`);
    } else {
      (options as unknown as Record<string, unknown>)[field] = value;
    }
  }
  if (typeof values.host === 'string') options.host = values.host;
  const federation = values.federation;
  if (federation === 'off' || federation === 'on') options.federation = federation === 'on';
  else if (federation !== undefined) problems.push(`--federation expects on or off (got "${String(federation)}")`);
  // Report every problem at once, but not twice for a flag that did not even parse.
  for (const problem of validateDemoServerOptions(options).map(toFlagWording)) {
    if (!unparsed.has(problem.slice(0, problem.indexOf(' ')))) problems.push(problem);
  }
  return problems.length > 0 ? { kind: 'error', message: problems.join('; ') } : { kind: 'options', options };
}

/** Validation speaks in option names (latencyMs); the CLI user typed flags (--latency-ms). */
function toFlagWording(problem: string): string {
  const field = problem.slice(0, problem.indexOf(' '));
  const kebab = field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `--${kebab}${problem.slice(field.length)}`;
}
