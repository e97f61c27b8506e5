import { Command, Option } from 'commander';

/** Options exactly as typed on the command line (strings), before validation. */
export interface RawRunOptions {
  file?: string;
  locustfile?: string;
  config?: string;
  scenario?: string;
  targets?: string;
  targetsFormat?: string;
  targetsNameBy?: string;
  users?: string;
  spawnRate?: string;
  time?: string;
  runTime?: string;
  host?: string;
  shape?: string;
  headless?: boolean;
  tags?: string[];
  excludeTags?: string[];
  seed?: string;
  stopTimeout?: string;
  loglevel?: string;
  onlySummary?: boolean;
  exitCodeOnError?: string;
  resetStats?: boolean;
  csv?: string;
  logfile?: string;
  csvFullHistory?: boolean;
  html?: string;
  json?: string;
  resultsDir?: string;
  connectionPool?: string;
  requestTimeout?: string;
  maxBodySize?: string;
  maxRedirects?: string;
  /** commander's --no-accept-encoding sets this false. */
  acceptEncoding?: boolean;
  insecure?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  http2?: boolean;
  h2c?: boolean;
  listScenarios?: boolean;
  list?: boolean;
  stepUsers?: string;
  stepTime?: string;
  continueOnUnreachable?: boolean;
  /** commander's --no-warm-up sets this false. */
  warmUp?: boolean;
  targetRate?: string;
  arrival?: string;
  maxUsers?: string;
  preAllocatedUsers?: string;
  targetP99?: string;
  maxErrorRate?: string;
  window?: string;
  recordTrace?: string;
  processes?: string;
  iterations?: string;
  master?: boolean;
  worker?: boolean;
  broker?: string;
  runId?: string;
  expectWorkers?: string;
  expectWorkersMaxWait?: string;
  allowWorkerLoss?: boolean;
  brokerTimeout?: string;
  webUi?: boolean;
  webHost?: string;
  webPort?: string;
  webAuth?: string;
  autostart?: boolean;
  autoquit?: string;
  webBasePath?: string;
  monitorPid?: string[];
  monitorChildren?: boolean;
  monitorUrl?: string[];
  monitorMetric?: string[];
  monitorWarmUp?: string;
  metricsPort?: string;
  metricsHost?: string;
  otlpEndpoint?: string;
  /** Positional arguments: the user classes to run (Locust's `locust -f FILE UserA UserB`). */
  userClassNames?: string[];
  /** Not typed: what config files and BROOD_* variables set, one line per source (option-sources.ts). */
  settingsFrom?: string[];
  /** The test file's own options (custom-options.ts), by camelCase name. */
  customOptions?: Record<string, string | number | boolean | null>;
}

const EXAMPLES = `
Examples:
  run-load-tests --scenario quick                        smoke run against the built-in demo server
  run-load-tests --scenario memory --users 500 --time 10m
  run-load-tests -f locustfile.ts -H http://127.0.0.1:8000 -u 50 -r 10 -t 30s --csv results/run
  run-load-tests -f users.mjs -u 20 -t 1m --tags read --exclude-tags slow --seed 42
  run-load-tests -f users.mjs Reader -u 10 -t 1m                only the Reader class
  run-load-tests --scenario api --shape step             stress to the breaking point
  run-load-tests --scenario api --target-rate 2000 --time 5m --target-p99 50   open model (arrival rate)
  run-load-tests --targets targets/api.txt --target-rate 50/1s -t 60s         a Vegeta targets file, as vegeta attack -rate=50/1s
  run-load-tests -f api.ts -H https://user:secret@127.0.0.1:8443 --insecure --http2 -u 10 -t 1m
  run-load-tests -f chat.ts -H ws://127.0.0.1:8000 -u 200 -r 50 -t 5m           WebSocketUser classes
  run-load-tests -f kernel.ts -H grpc://127.0.0.1:50051 -u 20 -t 1m              GrpcUser classes
  run-load-tests --scenario websocket                   WebSocket conversations against the demo server
  run-load-tests --scenario grpc                        gRPC kernel 500/s + AI service 20/s (open model) against the demo server
  run-load-tests --scenario quick -t 1m --record-trace trace.jsonl
  run-load-tests replay --trace trace.jsonl --rate-multiplier 2.0     replay twice as fast (see: replay --help)
  run-load-tests suite vegeta-api -t 3s                 the seed's four Vegeta API levels in a row, one summary (see: suite --help)
  run-load-tests -f users.ts -H http://api:8000 -u 2000 -r 100 -t 10m --master --broker redis://redis:6379 --expect-workers 4
  run-load-tests --worker --broker redis://redis:6379                 one of the 4 workers (on each machine)
  run-load-tests -f locustfile.ts -H http://127.0.0.1:8000 --web-ui           live web UI at http://127.0.0.1:8089/
  run-load-tests --scenario memory --web-ui --web-port 9000 --autostart -u 500 -r 50 -t 10m --autoquit 30
  run-load-tests --scenario memory -t 30m --monitor-pid 4242          judge the server's memory growth and CPU too
  run-load-tests -f load.ts -H http://api:8000 --monitor-url http://api:9100/metrics --metrics-port 9646
  run-load-tests --list-scenarios

Exit codes: 0 all targets met (or no failures when there are no targets), 1 a target missed
or a failure with no targets (--exit-code-on-error N sets that one), 2 bad usage or configuration.`;

/** What to run: a test file or a scenario, and a config file of defaults. */
function addTestOptions(cmd: Command): Command {
  return cmd
    .option('-f, --file <path>', 'test file exporting user classes (.ts, .js, .mjs), e.g. -f locustfile.ts')
    .addOption(new Option('--locustfile <path>', 'same as -f').hideHelp())
    .option('--config <file>', 'read options from this file (key = value, e.g. users = 50); ./brood.conf and ~/.brood.conf are read when present, BROOD_* variables (BROOD_USERS=50) beat files, flags beat both')
    .option('--scenario <name>', 'a ready-made workload (see --list-scenarios), e.g. --scenario memory')
    .option('--targets <file>', "a Vegeta targets file (one user class sends its targets in order: --target-rate for Vegeta's attack, or -u for users each walking the list), e.g. --targets targets/api.txt --target-rate 50")
    .option('--targets-format <http|json>', "the --targets file's format: Vegeta's http (default) or json (one object per line)")
    .option('--targets-name-by <path|url>', "--targets: stats rows named by method and path (default: GET /v1/health) or by the full URL");
}

/** The run's size and target: users, spawn rate, run time, host, and a load shape over them. */
function addRunShapeOptions(cmd: Command): Command {
  return cmd
    .option('-u, --users <n>', 'peak number of concurrent users, e.g. -u 100')
    .option('-r, --spawn-rate <n>', 'users started per second, e.g. -r 10')
    .option('-t, --time <duration>', 'stop after this long: 90, 30s, 10m, 1h30m, 2d (at most 365d)')
    .addOption(new Option('--run-time <duration>', 'same as -t').hideHelp())
    .option('-H, --host <url>', 'system under test, e.g. -H http://127.0.0.1:8000; ws:// or wss:// for WebSocketUser classes, grpc://HOST:PORT or grpcs:// for GrpcUser (default: start the built-in demo server)')
    .option('--shape <step|spike|file>', 'load shape: step, spike, a file exporting a LoadShape subclass, or the name of one the -f file exports (to pick among several), e.g. --shape step')
    .option('--step-users <n>', 'step shape (--shape step only): users added per step (default 100), e.g. --step-users 50')
    .option('--step-time <duration>', '--shape step: time per step; --shape spike: time per stage (default 60s), e.g. --step-time 30s');
}

/** The open model: an arrival rate, its user pool and the targets each window is judged by. */
function addOpenModelOptions(cmd: Command): Command {
  return cmd
    .option('--target-rate <ops>', "open model: operations per second arriving whatever the server does, e.g. --target-rate 2000; Vegeta's N/1s, N/1m, N/500ms too")
    .option('--arrival <pattern>', 'open model arrival pattern for --target-rate: constant (default) or poisson')
    .option('--max-users <n>', 'open model: user pool bound; arrivals past it are dropped and counted (default: the file\'s max_users, else 10000)')
    .option('--pre-allocated-users <n>', 'open model: create this many users, each with its keep-alive connection open, before the clock starts (as k6\'s preAllocatedVUs), so a steep start does not pay for connections')
    .option('--target-p99 <ms>', 'open model: P99 (from the scheduled start) must stay below this in steady state, e.g. --target-p99 10')
    .option('--max-error-rate <fraction>', 'open model: failed operations may be at most this fraction (0: none), e.g. --max-error-rate 0.001')
    .option('--window <duration>', 'open model: length of the judged throughput/P99 windows (default 60s)');
}

/** How either model runs: task choice, seed, timeouts, start-up checks, iterations, threads, trace. */
function addRunControlOptions(cmd: Command): Command {
  return cmd
    .option('--record-trace <file>', 'write every request as a JSON line, replayable with `run-load-tests replay --trace FILE`')
    .option('--headless', 'run without the web UI (the default; Locust\'s flag)')
    .option('--tags <tag...>', 'only run tasks with one of these tags, e.g. --tags read search')
    .option('--exclude-tags <tag...>', 'skip tasks with any of these tags, e.g. --exclude-tags slow')
    .option('--seed <n>', 'seed task choice, think times and generated data, e.g. --seed 42')
    .option('--stop-timeout <duration>', 'let users finish their task for this long at the end (default 10s)')
    .option('--request-timeout <seconds>', 'per-request timeout in seconds, for connect, headers, body and redirects together (default 60), e.g. --request-timeout 5')
    .option('--continue-on-unreachable', 'run even when the host does not accept connections at start (failures are counted)')
    .option('--no-warm-up', 'skip the JIT warm-up that runs brood\'s request path against an in-process responder before a ramp of 500+ users/s')
    .option('-i, --iterations <n>', 'each user stops after N tasks and the run ends when all have (open model: the run ends after N arrivals), e.g. -i 10 for a CI smoke run')
    .option('--processes <n|auto>', 'run users in N worker threads (auto = one per core), stats merged exactly, e.g. --processes 2');
}

/** The HTTP client: connections, bodies, redirects, compression, TLS and HTTP/2. */
function addHttpOptions(cmd: Command): Command {
  return cmd
    .option('--connection-pool <mode>', 'per-user (default: each user its own keep-alive connection) or shared')
    .option('--max-body-size <bytes>', 'response bytes kept for text()/json() (default 10485760)')
    .option('--max-redirects <n>', 'redirects a request follows before it fails (default 10; 0 = none), e.g. --max-redirects 3')
    .option('--no-accept-encoding', 'do not send Accept-Encoding: gzip, deflate, br (sent by default, as browsers and Python requests do)')
    .option('--insecure', 'do not verify HTTPS certificates (self-signed test servers), as Locust\'s FastHttpUser insecure=True')
    .option('--ca <file>', 'trust this CA (PEM) beside the system\'s, e.g. --ca test-ca.pem')
    .option('--cert <file>', 'send this client certificate (PEM; with its key inside, or give --key), e.g. --cert client.pem --key client.key')
    .option('--key <file>', 'the private key of --cert (PEM)')
    .option('--http2', 'offer HTTP/2 by ALPN on HTTPS connections (HTTP/1.1 when the server declines)')
    .option('--h2c', 'speak HTTP/2 in clear text (prior knowledge) to http:// hosts that accept it');
}

/** What the console shows, what the statistics count and what the exit code says. */
function addReportingOptions(cmd: Command): Command {
  return cmd
    .option('-L, --loglevel <level>', 'debug, info, warning or error (default info)')
    .option('--reset-stats', 'start the statistics again once every user is spawned, so the summary and targets leave the ramp out (Locust\'s flag; the history keeps it)')
    .option('--exit-code-on-error <code>', 'exit code of a run with failures or exceptions and no targets (default 1), e.g. --exit-code-on-error 0')
    .option('--only-summary', 'print only the final summary, no live lines');
}

/** The files a run writes: CSVs, HTML and JSON reports, the log, and their default directory. */
function addOutputFileOptions(cmd: Command): Command {
  return cmd
    .option('--csv <prefix>', 'write CSVs to PREFIX_stats.csv, PREFIX_stats_history.csv, …, e.g. --csv results/run')
    .option('--csv-full-history', 'add per-endpoint rows to stats_history (default: Aggregated only)')
    .option('--html <file>', 'write the HTML report here, e.g. --html report.html')
    .option('--json <file>', 'write the JSON summary here, e.g. --json summary.json')
    .option('--logfile <file>', 'write the run log here (default: next to the other files, PREFIX.log), e.g. --logfile run.log')
    .option('--results-dir <dir>', 'directory for the default output files (default results/)');
}

/** A run over many machines: a master and its workers, coordinated through a Redis broker. */
function addDistributedOptions(cmd: Command): Command {
  return cmd
    .option('--master', 'coordinate a distributed run: plan, wait for the workers, merge their stats and write every file (runs no users itself); needs --broker')
    .option('--worker', 'run users for a master: run-load-tests --worker --broker URL [-f file] (without -f the master\'s file is used)')
    .option('--broker <url>', 'the Redis broker of a distributed run, redis://[:password@]host:6379 or rediss:// (TLS); also BROOD_BROKER')
    .option('--run-id <id>', 'names the run on a shared broker (default: default), e.g. --run-id nightly')
    .option('--expect-workers <n>', '--master: wait for this many workers before starting (default 1)')
    .option('--expect-workers-max-wait <duration>', '--master: give up waiting for the workers after this long, exit 2 (default 60s)')
    .option('--allow-worker-loss', '--master: a run that lost a worker (its users restarted elsewhere) may still pass (default: exit 1)')
    .option('--broker-timeout <duration>', 'stop the run when the broker has been unreachable this long (default 30s)');
}

/** The live web UI and Locust's web API: start, watch, steer and stop runs from a browser. */
function addWebUiOptions(cmd: Command): Command {
  return cmd
    .option('--web-ui', 'serve the live web UI and Locust\'s web API instead of running headless; prints: Web UI: http://127.0.0.1:8089/')
    .option('--web-host <address>', 'address the web UI listens on (default 127.0.0.1); another than loopback needs --web-auth, e.g. --web-host 0.0.0.0 --web-auth admin:s3cret')
    .option('--web-port <n>', 'port of the web UI (default 8089; 0 = any free port, printed), e.g. --web-port 9000')
    .option('--web-auth <user:password>', 'HTTP basic auth for every page and API call of the web UI, e.g. --web-auth admin:s3cret')
    .option('--autostart', 'web UI: start a run at once with the command line\'s users, spawn rate and run time')
    .option('--autoquit <seconds>', 'web UI: exit this many seconds after a run ends (with its exit code), e.g. --autostart -t 10m --autoquit 30')
    .option('--web-base-path <path>', 'web UI: the path prefix a reverse proxy serves it under, e.g. --web-base-path /brood');
}

/** Watching the system under test, and brood's own figures for Prometheus and OpenTelemetry. */
function addMonitorOptions(cmd: Command): Command {
  return cmd
    .option('--monitor-pid <pid...>', 'sample this process\'s RSS, CPU, threads and open files every second from /proc (repeatable), e.g. --monitor-pid 4242')
    .option('--monitor-children', '--monitor-pid: add the process\'s children (a pre-forking server\'s workers) to it')
    .option('--monitor-url <url...>', 'scrape this Prometheus endpoint every second for process_resident_memory_bytes and process_cpu_seconds_total (repeatable), e.g. --monitor-url http://api:9100/metrics')
    .option('--monitor-metric <name...>', 'also record these series from the scraped endpoints (summed over matching labels), e.g. --monitor-metric \'http_requests_in_flight\'')
    .option('--monitor-warm-up <duration>', 'leave this much of the start out of the memory-growth fit (default 20 % of the run, at most 60s), e.g. --monitor-warm-up 2m')
    .option('--metrics-port <port>', 'serve brood\'s own figures as Prometheus text at http://127.0.0.1:PORT/metrics while it runs (0 = a free port, printed), e.g. --metrics-port 9646')
    .option('--metrics-host <address>', 'address --metrics-port listens on (default 127.0.0.1), e.g. --metrics-host 0.0.0.0 for a Prometheus on another machine')
    .option('--otlp-endpoint <url>', 'push brood\'s figures as OpenTelemetry metrics over OTLP/HTTP every 5 s and at the end, e.g. --otlp-endpoint http://127.0.0.1:4318/v1/metrics');
}

/** Flags that list what there is to run, then exit without running. */
function addListOptions(cmd: Command): Command {
  return cmd
    .option('--list-scenarios', 'list the ready-made scenarios, their default load and targets, and exit')
    .option('-l, --list', 'list the user classes of the test file and exit');
}

/** `--help` lists options in the order they are added, so this order is the help's order. */
const OPTION_GROUPS: ReadonlyArray<(cmd: Command) => Command> = [
  addTestOptions,
  addRunShapeOptions,
  addOpenModelOptions,
  addRunControlOptions,
  addHttpOptions,
  addReportingOptions,
  addOutputFileOptions,
  addDistributedOptions,
  addWebUiOptions,
  addMonitorOptions,
  addListOptions,
];

/** The `run-load-tests` command definition. Parsing only: validation is in run-config.ts. */
export function buildRunCommand(version: string): Command {
  const cmd = new Command('run-load-tests')
    .description('Locust-style load tests for Node.js: virtual users with weighted tasks and think time.')
    .version(version, '-V, --version')
    .argument('[user-classes...]', 'run only these user classes of the file or scenario (names as -l lists them), e.g. -f locustfile.ts Reader Writer');
  for (const addGroup of OPTION_GROUPS) addGroup(cmd);
  return cmd
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
}
