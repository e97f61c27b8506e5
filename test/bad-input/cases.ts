/**
 * The adversarial table (issue 17): bad inputs over every surface, each refused with exit 2 and
 * one line naming its source, no stack trace, nothing written. Runs that would reach a network use
 * 127.0.0.1 only; a case that must be refused must be refused before any connection is made.
 */
import type { InputCase } from './input-case.js';

/** A minimal valid test file: one user, one task, against whatever -H says. */
const USER = `import { HttpUser, task, constant } from 'brood';
export class Reader extends HttpUser {
  waitTime = constant(1);
  static tasks = ['read'];
  async read() { await this.client.get('/'); }
}
`;

const userWith = (body: string, extraImports = ''): string => `import { HttpUser, User, LoadShape, constant, between } from 'brood';
${extraImports}
export class Reader extends HttpUser {
${body}
}
`;

const shapeFile = (tick: string): string => `${USER}
import { LoadShape } from 'brood';
export class Shape extends LoadShape { tick(t) { ${tick} } }
`;

const TOML = (arrival: string, extra = '', ops = 'store_weight = 1.0'): string => `name = "t"
[duration]
total_seconds = 2
[arrival]
${arrival}
[operations]
${ops}
${extra}
`;

const STATS_HEADER = 'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%';

/**
 * `{HOST}` is a live server the test starts, so a case reaches the check it is about instead of
 * stopping at the host probe; -t bounds a run that a broken check would let start.
 */
const BASE = ['-f', 'u.mjs', '-H', '{HOST}', '-t', '3s'] as const;
const OPEN = [...BASE, '--target-rate', '10'] as const;

const num = (flag: string, values: readonly string[], line: RegExp, base: readonly string[] = BASE): InputCase[] =>
  values.map((v) => ({ name: `${flag} ${JSON.stringify(v)}`, args: [...base, flag, v], files: { 'u.mjs': USER }, line }));

const cli: InputCase[] = [
  ...num('-u', ['0', '-1', 'abc', '1.5', '1e400', '', '0x10', '1e20'], /--users|-u\b/),
  ...num('-r', ['0', '-1', 'abc', 'NaN', 'Infinity'], /--spawn-rate|-r\b/),
  ...num('-t', ['0', '-5', 'abc', '10x', '99999999999999999999', '', '1e5', '5m-3s', '366d'], /--time|-t\b/),
  ...num('--stop-timeout', ['abc', '-1', '99999999999'], /--stop-timeout/),
  ...num('--request-timeout', ['0', 'abc', '1e12', '-3'], /--request-timeout/),
  ...num('--max-redirects', ['-1', 'abc', '1.5'], /--max-redirects/),
  ...num('--max-body-size', ['-1', 'abc', '1.5'], /--max-body-size/),
  ...num('--processes', ['0', 'abc', '-2', '1.5'], /--processes/),
  ...num('--exit-code-on-error', ['abc', '-1', '256', '1.5'], /--exit-code-on-error/),
  ...num('-i', ['0', 'abc', '-4', '1.5'], /--iterations|-i\b/),
  ...num('--seed', ['abc', '', '1.5', '-1'], /--seed/),
  ...num('--target-rate', ['0', 'abc', '-5', '1e400'], /--target-rate/),
  ...num('--connection-pool', ['weird', ''], /--connection-pool/),
  ...num('-L', ['verbose', ''], /--loglevel|-L\b/),
  ...num('--shape', ['weird', ''], /--shape|shape ""|shape "weird"/),
  ...num('--arrival', ['weird'], /--arrival/, OPEN),
  ...num('--max-users', ['0', 'abc'], /--max-users/, OPEN),
  ...num('--pre-allocated-users', ['-1', 'abc'], /--pre-allocated-users/, OPEN),
  ...num('--target-p99', ['-5', 'abc', '0'], /--target-p99/, OPEN),
  ...num('--max-error-rate', ['2', '-0.1', 'abc'], /--max-error-rate/, OPEN),
  ...num('--window', ['0', 'abc'], /--window/, OPEN),
  ...num('--step-users', ['0', 'abc'], /--step-users/, [...BASE, '--shape', 'step']),
  ...num('--step-time', ['abc', '0'], /--step-time/, [...BASE, '--shape', 'step']),
  { name: 'unknown option', args: ['--userz', '5'], line: /unknown option '--userz'/ },
  { name: 'unknown short option', args: ['-Q'], line: /unknown option '-Q'/ },
  { name: 'option missing its value', args: ['-f', 'u.mjs', '-u'], files: { 'u.mjs': USER }, line: /-u|--users/ },
  { name: "Locust's --web-port without --web-ui (runs are headless by default)", args: ['-f', 'u.mjs', '--web-port', '8089'], files: { 'u.mjs': USER }, line: /--web-port applies to the web UI: add --web-ui/ },
  // The web UI (issue 20): refused before anything listens or is written.
  { name: '--web-ui on a non-loopback address without --web-auth', args: [...BASE, '--web-ui', '--web-host', '0.0.0.0'], files: { 'u.mjs': USER }, line: /--web-host 0\.0\.0\.0 is reachable from other machines: add --web-auth/ },
  { name: '--web-ui on an IPv6 non-loopback address without --web-auth', args: [...BASE, '--web-ui', '--web-host', '::'], files: { 'u.mjs': USER }, line: /--web-host :: is reachable/ },
  ...num('--web-port', ['-1', '65536', 'abc', '80.5'], /--web-port/, [...BASE, '--web-ui']),
  { name: '--web-auth without a password', args: [...BASE, '--web-ui', '--web-auth', 'admin'], files: { 'u.mjs': USER }, line: /--web-auth must be user:password/ },
  { name: '--web-auth with an empty user', args: [...BASE, '--web-ui', '--web-auth', ':secret'], files: { 'u.mjs': USER }, line: /^(?!.*secret).*--web-auth must be user:password/ },
  { name: '--web-ui with --worker', args: ['--worker', '--broker', 'redis://127.0.0.1:1', '--web-ui'], line: /--web-ui goes on the master/ },
  { name: '--web-base-path without a leading slash', args: [...BASE, '--web-ui', '--web-base-path', 'ui'], files: { 'u.mjs': USER }, line: /--web-base-path "ui" must be a path/ },
  { name: "--master without a broker (Locust's flag; brood's master needs --broker)", args: ['-f', 'u.mjs', '--master'], files: { 'u.mjs': USER }, line: /--master needs the broker/ },
  { name: '--worker without a broker', args: ['-f', 'u.mjs', '--worker'], files: { 'u.mjs': USER }, line: /--worker needs the broker/ },
  // Distributed runs (issue 19): port 1 on 127.0.0.1 has no broker; every refusal comes before anything is written.
  { name: '--broker not redis://', args: [...BASE, '--master', '--broker', 'http://127.0.0.1:6379'], files: { 'u.mjs': USER }, line: /--broker .*redis:\/\// },
  { name: '--broker not a URL', args: [...BASE, '--master', '--broker', 'redis'], files: { 'u.mjs': USER }, line: /--broker redis is not a URL/ },
  { name: '--broker with a password is masked', args: [...BASE, '--master', '--broker', 'ftp://u:hunter2@127.0.0.1:1'], files: { 'u.mjs': USER }, line: /^(?!.*hunter2).*--broker ftp:\/\/u:\*\*\*@/ },
  { name: '--broker unreachable (master)', args: [...BASE, '--master', '--broker', 'redis://127.0.0.1:1'], files: { 'u.mjs': USER }, line: /cannot reach the broker redis:\/\/127\.0\.0\.1:1/ },
  { name: '--broker unreachable (worker)', args: ['--worker', '--broker', 'redis://127.0.0.1:1'], line: /cannot reach the broker redis:\/\/127\.0\.0\.1:1/ },
  { name: 'BROOD_BROKER not redis://', args: ['--worker'], env: { BROOD_BROKER: 'tcp://127.0.0.1:1' }, line: /BROOD_BROKER/ },
  { name: '--master and --worker', args: [...BASE, '--master', '--worker', '--broker', 'redis://127.0.0.1:1'], files: { 'u.mjs': USER }, line: /--master and --worker/ },
  { name: '--broker without --master or --worker', args: [...BASE, '--broker', 'redis://127.0.0.1:1'], files: { 'u.mjs': USER }, line: /--broker applies to distributed runs/ },
  { name: '--expect-workers without --master', args: [...BASE, '--expect-workers', '2'], files: { 'u.mjs': USER }, line: /--expect-workers applies to the master/ },
  ...num('--expect-workers', ['0', 'abc', '1.5', '10001'], /--expect-workers/, [...BASE, '--master', '--broker', 'redis://127.0.0.1:1']),
  ...num('--run-id', ['', 'a b', 'x'.repeat(65), 'a:b'], /--run-id/, [...BASE, '--master', '--broker', 'redis://127.0.0.1:1']),
  ...num('--broker-timeout', ['abc', '0'], /--broker-timeout/, [...BASE, '--master', '--broker', 'redis://127.0.0.1:1']),
  { name: '--worker with a run flag (the master\'s)', args: ['--worker', '--broker', 'redis://127.0.0.1:1', '-u', '5'], line: /--users is the master's to set/ },
  { name: '--worker with user class names', args: ['--worker', '--broker', 'redis://127.0.0.1:1', '-f', 'u.mjs', 'Reader'], files: { 'u.mjs': USER }, line: /user class names are the master's/ },
  { name: '--worker with a broken -f', args: ['--worker', '--broker', 'redis://127.0.0.1:1', '-f', 'u.mjs'], files: { 'u.mjs': 'export class {' }, line: /u\.mjs/ },
  { name: '--master with --processes', args: [...BASE, '--master', '--broker', 'redis://127.0.0.1:1', '--processes', '2'], files: { 'u.mjs': USER }, line: /--processes on --master/ },
  { name: '--master without a host', args: ['-f', 'u.mjs', '-t', '3s', '--master', '--broker', 'redis://127.0.0.1:1'], files: { 'u.mjs': USER }, line: /--master needs -H/ },
  { name: "Locust's --autostart without --web-ui", args: ['-f', 'u.mjs', '--autostart'], files: { 'u.mjs': USER }, line: /--autostart applies to the web UI: add --web-ui/ },
  { name: "Locust's --autoquit without --web-ui", args: ['-f', 'u.mjs', '--autoquit', '10'], files: { 'u.mjs': USER }, line: /--autoquit applies to the web UI/ },
  { name: "Locust's --run-time with a bad value", args: [...BASE, '--run-time', 'soon'], files: { 'u.mjs': USER }, line: /--run-time|--time/ },
  { name: 'unknown scenario', args: ['--scenario', 'nope'], line: /scenario.*nope|nope.*scenario/i },
  { name: 'an unknown user class named', args: [...BASE, 'Writer'], files: { 'u.mjs': USER }, line: /Writer/ },
  { name: 'unknown subcommand-looking argument', args: ['replay'], line: /--trace/ },
];

const hosts: InputCase[] = [
  { name: '-H ftp://', args: ['-f', 'u.mjs', '-H', 'ftp://127.0.0.1/'], files: { 'u.mjs': USER }, line: /--host|-H/ },
  { name: '-H not a URL', args: ['-f', 'u.mjs', '-H', 'notaurl'], files: { 'u.mjs': USER }, line: /--host|-H/ },
  { name: '-H http:// with no host', args: ['-f', 'u.mjs', '-H', 'http://'], files: { 'u.mjs': USER }, line: /--host|-H/ },
  { name: '-H port out of range', args: ['-f', 'u.mjs', '-H', 'http://127.0.0.1:99999'], files: { 'u.mjs': USER }, line: /--host|-H|port/ },
  { name: '-H empty', args: ['-f', 'u.mjs', '-H', ''], files: { 'u.mjs': USER }, line: /--host|-H/ },
  { name: 'unreachable host, password never printed', args: ['-f', 'u.mjs', '-H', 'http://bob:s3cr3t@127.0.0.1:9'], files: { 'u.mjs': USER }, line: /^(?!.*s3cr3t).*cannot reach http:\/\/(bob:\*\*\*@)?127\.0\.0\.1:9/ },
  { name: 'a class host that is not a URL', args: ['-f', 'u.mjs'], files: { 'u.mjs': userWith("  static host = 'nope';\n  waitTime = constant(1);\n  static tasks = ['r'];\n  async r() {}") }, line: /u\.mjs|Reader|host/ },
];

const combinations: InputCase[] = [
  { name: '--target-rate with --shape', args: [...BASE, '--target-rate', '10', '--shape', 'step'], files: { 'u.mjs': USER }, line: /--target-rate.*--shape|--shape.*--target-rate/ },
  { name: '--target-rate with -u', args: [...BASE, '--target-rate', '10', '-u', '5'], files: { 'u.mjs': USER }, line: /--target-rate.*(-u|--users)|(-u|--users).*--target-rate/ },
  { name: 'a TOML scenario with -u', args: ['--scenario', 'mixed_balanced', '-u', '5', '-H', '{HOST}'], line: /-u|--users/ },
  { name: 'a TOML scenario with -r', args: ['--scenario', 'mixed_balanced', '-r', '5', '-H', '{HOST}'], line: /-r|--spawn-rate/ },
  { name: '--step-users without --shape', args: [...BASE, '--step-users', '5'], files: { 'u.mjs': USER }, line: /--step-users.*--shape/ },
  { name: '--step-time without --shape', args: [...BASE, '--step-time', '5s'], files: { 'u.mjs': USER }, line: /--step-time.*--shape/ },
  { name: '--html and --json on one file', args: [...BASE, '--html', 'x', '--json', 'x'], files: { 'u.mjs': USER }, line: /--html.*--json|--json.*--html|same file/ },
  { name: '--logfile on the HTML report', args: [...BASE, '--html', 'r.html', '--logfile', 'r.html'], files: { 'u.mjs': USER }, line: /--logfile|--html|same file/ },
  { name: '--csv empty', args: [...BASE, '--csv', ''], files: { 'u.mjs': USER }, line: /--csv/ },
  { name: '--html empty', args: [...BASE, '--html', ''], files: { 'u.mjs': USER }, line: /--html/ },
  { name: '--json empty', args: [...BASE, '--json', ''], files: { 'u.mjs': USER }, line: /--json/ },
  { name: '--results-dir empty', args: [...BASE, '--results-dir', ''], files: { 'u.mjs': USER }, line: /--results-dir/ },
  { name: '-f with --scenario', args: ['-f', 'u.mjs', '--scenario', 'api', '-H', '{HOST}'], files: { 'u.mjs': USER }, line: /-f|--file|--scenario/ },
  { name: '--key without --cert', args: ['-f', 'u.mjs', '-H', 'https://127.0.0.1:9', '--key', 'k.pem'], files: { 'u.mjs': USER, 'k.pem': '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIGhq\n-----END PRIVATE KEY-----\n' }, line: /--key.*--cert|--cert/ },
  { name: '--ca file missing', args: ['-f', 'u.mjs', '-H', 'https://127.0.0.1:9', '--ca', 'nope.pem'], files: { 'u.mjs': USER }, line: /--ca.*nope\.pem/ },
  { name: '--ca not PEM', args: ['-f', 'u.mjs', '-H', 'https://127.0.0.1:9', '--ca', 'bad.pem'], files: { 'u.mjs': USER, 'bad.pem': 'not a certificate' }, line: /--ca|bad\.pem/ },
  { name: '--pre-allocated-users above --max-users', args: [...BASE, '--target-rate', '10', '--max-users', '5', '--pre-allocated-users', '6'], files: { 'u.mjs': USER }, line: /--pre-allocated-users 6/ },
  { name: 'open-model flags without an open model', args: [...BASE, '--max-users', '5'], files: { 'u.mjs': USER }, line: /--max-users|open-model/ },
];

const outputs: InputCase[] = [
  { name: '--html onto a device node', args: [...BASE, '--html', 'dev'], files: { 'u.mjs': USER, dev: { charDevice: true } }, line: /dev.*character device/ },
  { name: '--json onto a FIFO', args: [...BASE, '--json', 'pipe'], files: { 'u.mjs': USER, pipe: { fifo: true } }, line: /pipe.*(FIFO|fifo|pipe)/ },
  { name: '--html onto a directory', args: [...BASE, '--html', 'd'], files: { 'u.mjs': USER, d: { dir: true } }, line: /d is a directory/ },
  { name: '--csv prefix inside a device', args: [...BASE, '--csv', 'dev/x'], files: { 'u.mjs': USER, dev: { charDevice: true } }, line: /dev/ },
  { name: '--html through a symlink to a device', args: [...BASE, '--html', 'link.html'], files: { 'u.mjs': USER, dev: { charDevice: true }, 'link.html': { symlink: 'dev' } }, line: /link\.html.*character device|character device/ },
  { name: '--html -', args: [...BASE, '--html', '-'], files: { 'u.mjs': USER }, line: /standard output/ },
  { name: '--logfile onto a directory', args: [...BASE, '--logfile', 'd'], files: { 'u.mjs': USER, d: { dir: true } }, line: /d is a directory/ },
  { name: '--record-trace onto a directory', args: [...BASE, '--record-trace', 'd'], files: { 'u.mjs': USER, d: { dir: true } }, line: /d is a directory/ },
  { name: '--record-trace onto a device', args: [...BASE, '--record-trace', 'dev'], files: { 'u.mjs': USER, dev: { charDevice: true } }, line: /dev.*character device/ },
  { name: '--results-dir is a file', args: [...BASE, '--results-dir', 'f'], files: { 'u.mjs': USER, f: 'x' }, line: /--results-dir|f\b/ },
  { name: '--csv under a file', args: [...BASE, '--csv', 'f/run'], files: { 'u.mjs': USER, f: 'x' }, line: /f\b/ },
  { name: 'a dangling symlink into a missing folder', args: [...BASE, '--json', 'l.json'], files: { 'u.mjs': USER, f: 'x', 'l.json': { symlink: 'f/x.json' } }, line: /l\.json|f\/x\.json/ },
];

// A user class brood's API refuses while it is made (between(5, 1), constant(-1), both wait_time
// and waitTime as fields) is found only once a user is made, when the run has started: it stops the
// run at once with exit 2 and keeps its files (test/e2e/cli-user-usage-errors.test.ts).
const testFiles: InputCase[] = [
  { name: '-f missing', args: ['-f', 'nope.ts'], line: /nope\.ts/ },
  { name: '-f a directory', args: ['-f', 'd'], files: { d: { dir: true } }, line: /d is a directory|directory/ },
  { name: '-f a .py locustfile', args: ['-f', 'locustfile.py'], files: { 'locustfile.py': 'from locust import HttpUser\n' }, line: /locustfile\.py/ },
  { name: '-f a syntax error', args: ['-f', 'u.mjs'], files: { 'u.mjs': 'export class {\n' }, line: /u\.mjs:1/ },
  { name: '-f throws on load', args: ['-f', 'u.mjs'], files: { 'u.mjs': "throw new Error('boom at load');\n" }, line: /u\.mjs:1.*boom at load/ },
  { name: '-f imports a missing module', args: ['-f', 'u.mjs'], files: { 'u.mjs': "import 'no-such-module-anywhere';\n" }, line: /u\.mjs:1.*no-such-module-anywhere/ },
  { name: '-f exports no user class', args: ['-f', 'u.mjs'], files: { 'u.mjs': 'export const x = 1;\n' }, line: /u\.mjs/ },
  { name: 'a class with no tasks', args: [...BASE], files: { 'u.mjs': userWith('  waitTime = constant(1);') }, line: /Reader/ },
  { name: 'a task that is not a method', args: [...BASE], files: { 'u.mjs': userWith("  waitTime = constant(1);\n  static tasks = ['nope'];") }, line: /nope/ },
  { name: 'a negative weight', args: [...BASE], files: { 'u.mjs': userWith("  static weight = -1;\n  waitTime = constant(1);\n  static tasks = ['r'];\n  async r() {}") }, line: /weight/ },
  { name: 'a task weight of zero', args: [...BASE], files: { 'u.mjs': userWith("  waitTime = constant(1);\n  static tasks = { r: 0 };\n  async r() {}") }, line: /r|weight/ },
  { name: "FastHttpUser's network_timeout", args: [...BASE], files: { 'u.mjs': userWith("  static network_timeout = 5;\n  waitTime = constant(1);\n  static tasks = ['r'];\n  async r() {}") }, line: /network_timeout/ },
  { name: 'fixedCount not a whole number', args: [...BASE], files: { 'u.mjs': userWith("  static fixedCount = 1.5;\n  waitTime = constant(1);\n  static tasks = ['r'];\n  async r() {}") }, line: /fixedCount/ },
  { name: 'two LoadShapes exported', args: [...BASE], files: { 'u.mjs': `${USER}import { LoadShape } from 'brood';\nexport class A extends LoadShape { tick() { return null; } }\nexport class B extends LoadShape { tick() { return null; } }\n` }, line: /\bA\b.*\bB\b/ },
  { name: "Locust's use_common_options on a shape (brood's shapes get no -u/-r)", args: [...BASE, '--continue-on-unreachable'], files: { 'u.mjs': `${USER}\nimport { LoadShape } from 'brood';\nexport class Shape extends LoadShape { use_common_options = true; tick() { return [1, 1]; } }\n` }, line: /Shape\.use_common_options is Locust's setting/ },
  { name: "Locust's event name (events.test_start)", args: [...BASE], files: { 'u.mjs': `${USER}import { events } from 'brood';\nevents.test_start.add_listener(() => {});\n` }, line: /events\.test_start is Locust's name of events\.testStart: use events\.testStart\.on\(listener\)/ },
  { name: "Locust's EventHook.add_listener on a brood event", args: [...BASE], files: { 'u.mjs': `${USER}import { events } from 'brood';\nevents.request.add_listener(() => {});\n` }, line: /add_listener\(\) is Locust's EventHook method: use \.on\(listener\)/ },
  { name: 'a shape whose first tick returns garbage', args: [...BASE, '--continue-on-unreachable'], files: { 'u.mjs': shapeFile("return 'garbage';") }, line: /Shape\.tick\(\)/ },
  { name: 'a shape whose first tick throws', args: [...BASE, '--continue-on-unreachable'], files: { 'u.mjs': shapeFile("throw new Error('no shape today');") }, line: /no shape today/ },
  { name: 'a shape tuple with a negative count', args: [...BASE, '--continue-on-unreachable'], files: { 'u.mjs': shapeFile('return [-1, 1];') }, line: /Shape\.tick\(\)/ },
  { name: 'a custom option outside its choices', args: [...BASE, '--mode', 'z'], files: { 'u.mjs': `${USER}export const options = { mode: { choices: ['a', 'b'], default: 'a', help: 'mode' } };\n` }, line: /--mode/ },
  { name: 'a custom option clashing with a brood flag', args: [...BASE], files: { 'u.mjs': `${USER}export const options = { users: { default: '1', help: 'x' } };\n` }, line: /users/ },
  { name: '--tags on no task', args: [...BASE, '--tags', 'nothing-has-this'], files: { 'u.mjs': USER }, line: /nothing-has-this/ },
  { name: '--exclude-tags naming a tag no task has (misspelt, it would exclude nothing)', args: [...BASE, '--exclude-tags', 'slwo'], files: { 'u.mjs': USER }, line: /--exclude-tags "slwo": no task of the user classes has this tag/ },
  { name: 'a class named on the command line that is not a user class', args: [...BASE, 'helper'], files: { 'u.mjs': `${USER}export function helper() {}\n` }, line: /helper/ },
  { name: '-l on a broken file', args: ['-l', '-f', 'u.mjs'], files: { 'u.mjs': 'export class {\n' }, line: /u\.mjs:1/ },
];

const configs: InputCase[] = [
  { name: 'config users = abc names the file and line', args: ['--config', 'bad.conf', '-f', 'u.mjs', '-H', '{HOST}'], files: { 'u.mjs': USER, 'bad.conf': '# a comment\nusers = abc\n' }, line: /bad\.conf:2.*users.*abc/ },
  { name: 'config unknown key', args: ['--config', 'bad.conf', '-f', 'u.mjs', '-H', '{HOST}'], files: { 'u.mjs': USER, 'bad.conf': 'userz = 5\n' }, line: /bad\.conf:1.*userz/ },
  { name: 'config line without =', args: ['--config', 'bad.conf', '-f', 'u.mjs'], files: { 'u.mjs': USER, 'bad.conf': 'users 5\n' }, line: /bad\.conf:1/ },
  { name: 'config binary file', args: ['--config', 'bin.conf', '-f', 'u.mjs'], files: { 'u.mjs': USER, 'bin.conf': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe, 10, 0, 0]) }, line: /bin\.conf.*(binary|text)/ },
  { name: 'config directory', args: ['--config', 'd', '-f', 'u.mjs'], files: { 'u.mjs': USER, d: { dir: true } }, line: /d is a directory|directory/ },
  { name: 'config missing', args: ['--config', 'nope.conf', '-f', 'u.mjs'], files: { 'u.mjs': USER }, line: /nope\.conf/ },
  { name: 'config time = forever', args: ['--config', 'bad.conf', '-f', 'u.mjs', '-H', '{HOST}'], files: { 'u.mjs': USER, 'bad.conf': 'run-time = forever\n' }, line: /bad\.conf:1.*forever/ },
  { name: 'config headless = maybe', args: ['--config', 'bad.conf', '-f', 'u.mjs', '-H', '{HOST}'], files: { 'u.mjs': USER, 'bad.conf': 'headless = maybe\n' }, line: /bad\.conf:1/ },
  { name: './brood.conf read by default, its error named', args: [...BASE], files: { 'u.mjs': USER, 'brood.conf': 'spawn-rate = -3\n' }, line: /brood\.conf:1.*spawn-rate/ },
  { name: 'BROOD_USERS=abc names the variable', args: [...BASE], files: { 'u.mjs': USER }, env: { BROOD_USERS: 'abc' }, line: /BROOD_USERS.*abc/ },
  { name: 'BROOD_RUN_TIME=abc names the variable', args: ['-f', 'u.mjs', '-H', '{HOST}'], files: { 'u.mjs': USER }, env: { BROOD_RUN_TIME: 'abc' }, line: /BROOD_RUN_TIME.*abc/ },
  { name: 'BROOD_HOST not a URL names the variable', args: ['-f', 'u.mjs'], files: { 'u.mjs': USER }, env: { BROOD_HOST: 'notaurl' }, line: /BROOD_HOST/ },
  { name: 'BROOD_SPAWN_RATE=0 names the variable', args: [...BASE], files: { 'u.mjs': USER }, env: { BROOD_SPAWN_RATE: '0' }, line: /BROOD_SPAWN_RATE/ },
];

const tomls: InputCase[] = [
  { name: 'TOML syntax error', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': 'name = "x\n' }, line: /s\.toml/ },
  { name: 'TOML unknown key', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = 10.0\nspeed = 3') }, line: /s\.toml.*speed/ },
  { name: 'TOML constant rate = 0', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = 0') }, line: /s\.toml.*rate/ },
  { name: 'TOML negative rate', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = -10.0') }, line: /s\.toml.*rate/ },
  { name: 'TOML rate as a string', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = "ten"') }, line: /s\.toml.*rate/ },
  { name: 'TOML unknown pattern', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "sawtooth"\nrate = 10.0') }, line: /s\.toml.*(pattern|sawtooth)/ },
  { name: 'TOML poisson without mean_rate', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "poisson"') }, line: /s\.toml.*mean_rate/ },
  { name: 'TOML burst period shorter than the burst', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "periodic_burst"\nbase_rate = 10.0\nburst_rate = 20.0\nburst_duration_sec = 30\nburst_period_sec = 10') }, line: /s\.toml.*burst/ },
  { name: 'TOML all weights zero', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = 10.0', '', 'store_weight = 0.0') }, line: /s\.toml.*weight/ },
  { name: 'TOML negative weight', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = 10.0', '', 'store_weight = -1.0') }, line: /s\.toml.*store_weight/ },
  { name: 'TOML total_seconds = 0', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = 10.0').replace('total_seconds = 2', 'total_seconds = 0') }, line: /s\.toml.*total_seconds/ },
  { name: 'TOML embedding_dim absurd', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = 10.0', '[data]\nembedding_dim = 100_000_000') }, line: /s\.toml.*embedding_dim/ },
  { name: 'TOML num_nodes negative', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = 10.0', '[data]\nnum_nodes = -5') }, line: /s\.toml.*num_nodes/ },
  { name: 'TOML negative p99 target', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = 10.0', '[validation]\nexpected_p99_latency_ms = -5.0') }, line: /s\.toml.*expected_p99_latency_ms/ },
  { name: 'TOML error rate above 1', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': TOML('pattern = "constant"\nrate = 10.0', '[validation]\nmax_error_rate = 5.0') }, line: /s\.toml.*max_error_rate/ },
  { name: 'TOML missing [arrival]', args: ['--scenario', 's.toml', '-H', '{HOST}'], files: { 's.toml': 'name = "x"\n[operations]\nstore_weight = 1.0\n' }, line: /s\.toml.*arrival/ },
  { name: 'TOML a directory', args: ['--scenario', 'd.toml', '-H', '{HOST}'], files: { 'd.toml': { dir: true } }, line: /d\.toml.*directory/ },
  { name: 'TOML missing', args: ['--scenario', 'nope.toml'], line: /nope\.toml/ },
  { name: 'TOML binary', args: ['--scenario', 'b.toml', '-H', '{HOST}'], files: { 'b.toml': Buffer.from([0, 1, 2, 0xff, 0xfe, 10]) }, line: /b\.toml/ },
];

const analyzer: InputCase[] = [
  { name: 'analyze a missing file', analyzer: true, args: ['nope_stats.csv'], line: /nope_stats\.csv/ },
  { name: 'analyze a directory', analyzer: true, args: ['d'], files: { d: { dir: true } }, line: /\bd\b/ },
  { name: 'analyze an empty file', analyzer: true, args: ['e_stats.csv'], files: { 'e_stats.csv': '' }, line: /e_stats\.csv/ },
  { name: 'analyze a CSV with the wrong header', analyzer: true, args: ['w_stats.csv'], files: { 'w_stats.csv': 'a,b,c\n1,2,3\n' }, line: /w_stats\.csv/ },
  { name: 'analyze a binary file', analyzer: true, args: ['b_stats.csv'], files: { 'b_stats.csv': Buffer.from([0, 0xff, 1, 2, 10]) }, line: /b_stats\.csv/ },
  { name: 'analyze a row with a non-number', analyzer: true, args: ['n_stats.csv'], files: { 'n_stats.csv': `${STATS_HEADER}\nGET,/,ten,0,1,1,1,1,1,1,0,1,1,1,1,1,1,1,1,1,1,1\n` }, line: /n_stats\.csv(:| line )2/ },
  { name: 'analyze --format weird', analyzer: true, args: ['--format', 'weird', 'x_stats.csv'], files: { 'x_stats.csv': `${STATS_HEADER}\n` }, line: /--format|weird/ },
  { name: 'analyze unknown option', analyzer: true, args: ['--foo', 'x_stats.csv'], line: /--foo/ },
  { name: 'analyze --baseline missing', analyzer: true, args: ['--baseline', 'nope_stats.csv', 'x_stats.csv'], files: { 'x_stats.csv': `${STATS_HEADER}\nGET,/,1,0,1,1,1,1,1,1,0,1,1,1,1,1,1,1,1,1,1,1\n` }, line: /nope_stats\.csv/ },
  { name: 'analyze --targets unknown', analyzer: true, args: ['--targets', 'weird', 'x_stats.csv'], files: { 'x_stats.csv': `${STATS_HEADER}\nGET,/,1,0,1,1,1,1,1,1,0,1,1,1,1,1,1,1,1,1,1,1\n` }, line: /--targets|weird/ },
  { name: 'analyze --regression-threshold abc', analyzer: true, args: ['--regression-threshold', 'abc', 'x_stats.csv'], line: /--regression-threshold/ },
  { name: 'analyze --min-requests -1', analyzer: true, args: ['--min-requests', '-1', 'x_stats.csv'], line: /--min-requests/ },
  { name: 'analyze -o onto a directory', analyzer: true, args: ['-o', 'd', 'x_stats.csv'], files: { d: { dir: true }, 'x_stats.csv': `${STATS_HEADER}\nGET,/,1,0,1,1,1,1,1,1,0,1,1,1,1,1,1,1,1,1,1,1\n,Aggregated,1,0,1,1,1,1,1,1,0,1,1,1,1,1,1,1,1,1,1,1\n` }, line: /\bd\b.*directory|directory/ },
  { name: 'analyze nothing', analyzer: true, args: [], line: /runs|argument/ },
];

const REPLAY_OK = '{"t":0,"method":"GET","path":"/"}\n';
const replay: InputCase[] = [
  { name: 'replay without --trace', args: ['replay'], line: /--trace/ },
  { name: 'replay a missing trace', args: ['replay', '--trace', 'nope.jsonl'], line: /nope\.jsonl/ },
  { name: 'replay a directory', args: ['replay', '--trace', 'd'], files: { d: { dir: true } }, line: /\bd\b.*directory/ },
  { name: 'replay a bad JSON line', args: ['replay', '--trace', 't.jsonl', '-H', '{HOST}'], files: { 't.jsonl': `${REPLAY_OK}{not json\n` }, line: /t\.jsonl:2/ },
  { name: 'replay a negative offset', args: ['replay', '--trace', 't.jsonl', '-H', '{HOST}'], files: { 't.jsonl': '{"t":-1,"method":"GET","path":"/"}\n' }, line: /t\.jsonl:1/ },
  { name: 'replay an offset of 1e10 s', args: ['replay', '--trace', 't.jsonl', '-H', '{HOST}'], files: { 't.jsonl': `${REPLAY_OK}{"t":1e10,"method":"GET","path":"/"}\n` }, line: /t\.jsonl:2/ },
  { name: 'replay an unknown method', args: ['replay', '--trace', 't.jsonl', '-H', '{HOST}'], files: { 't.jsonl': '{"t":0,"method":"FETCH ME","path":"/"}\n' }, line: /t\.jsonl:1/ },
  { name: 'replay an empty trace', args: ['replay', '--trace', 't.jsonl', '-H', '{HOST}'], files: { 't.jsonl': '' }, line: /t\.jsonl/ },
  ...['0', '-1', 'abc', '1e-300', 'Infinity'].map((v): InputCase => ({ name: `replay --rate-multiplier ${v}`, args: ['replay', '--trace', 't.jsonl', '-H', '{HOST}', '--rate-multiplier', v], files: { 't.jsonl': `${REPLAY_OK}{"t":1,"method":"GET","path":"/"}\n` }, line: /--rate-multiplier/ })),
  { name: 'replay unknown option', args: ['replay', '--trace', 't.jsonl', '--users', '5'], files: { 't.jsonl': REPLAY_OK }, line: /--users/ },
  { name: 'replay -t abc', args: ['replay', '--trace', 't.jsonl', '-t', 'abc'], files: { 't.jsonl': REPLAY_OK }, line: /--time|-t/ },
];

const capacity: InputCase[] = [
  { name: 'capacity --rates 1,x', args: ['capacity', '--scenario', 'mixed_balanced', '--rates', '1,x'], line: /--rates "1,x"/ },
  { name: 'capacity --step 0', args: ['capacity', '--scenario', 'mixed_balanced', '--start', '10', '--step', '0', '--max', '20', '--target-p99', '10'], line: /--step/ },
  { name: 'capacity --step 0.0001 (rates that round together)', args: ['capacity', '--scenario', 'mixed_balanced', '--start', '1', '--step', '0.0001', '--max', '1.001', '--target-p99', '10', '-H', '{HOST}'], line: /--step|duplicate|round/ },
  { name: 'capacity --start above --max', args: ['capacity', '--scenario', 'mixed_balanced', '--start', '50', '--step', '10', '--max', '20', '--target-p99', '10'], line: /--start|--max/ },
  { name: 'capacity without --target-p99 for a test file', args: ['capacity', '-f', 'u.mjs', '--rates', '10', '-H', '{HOST}'], files: { 'u.mjs': USER }, line: /--target-p99 is required/ },
  { name: 'capacity unknown option', args: ['capacity', '--scenario', 'mixed_balanced', '--rates', '10', '--userz', '3'], line: /--userz/ },
  { name: 'capacity --duration abc', args: ['capacity', '--scenario', 'mixed_balanced', '--rates', '10', '--duration', 'abc'], line: /--duration/ },
  { name: 'capacity --cooldown -1', args: ['capacity', '--scenario', 'mixed_balanced', '--rates', '10', '--cooldown', '-1'], line: /--cooldown/ },
  { name: 'capacity unreachable host: the hint is one capacity takes', args: ['capacity', '--scenario', 'mixed_balanced', '--rates', '10', '--target-p99', '10', '--duration', '1', '-H', 'http://127.0.0.1:9'], line: /cannot reach http:\/\/127\.0\.0\.1:9/ },
  { name: 'capacity with no scenario nor file', args: ['capacity', '--rates', '10'], line: /--scenario|-f/ },
  { name: 'capacity --results-dir a file', args: ['capacity', '--scenario', 'mixed_balanced', '--rates', '10', '--target-p99', '10', '--results-dir', 'f'], files: { f: 'x' }, line: /f\b/ },
];

/** Issue 23: what a run watches of the server, and brood's own exporters. */
const RESOURCE_TARGET = `${USER}export const targets = [{ metric: 'memory_growth_mb_per_min', comparator: '<', threshold: 10 }];\n`;
const monitor: InputCase[] = [
  ...num('--monitor-pid', ['0', 'abc', '1.5', '2147483646', ''], /--monitor-pid/),
  ...num('--monitor-url', ['ftp://127.0.0.1/metrics', 'not a url', 'file:///etc/passwd', 'http://'], /--monitor-url/),
  ...num('--monitor-metric', ['1abc', 'a-b', 'up{job=}', 'up{job="x"', 'up extra'], /--monitor-metric/, [...BASE, '--monitor-url', '{HOST}/metrics']),
  ...num('--monitor-warm-up', ['abc', '-5'], /--monitor-warm-up/, [...BASE, '--monitor-pid', String(process.pid)]),
  ...num('--metrics-port', ['-1', '65536', 'abc', '1.5'], /--metrics-port/),
  ...num('--otlp-endpoint', ['grpc://127.0.0.1:4317', 'nope', 'ftp://x/v1/metrics'], /--otlp-endpoint/),
  { name: '--monitor-children without --monitor-pid', args: [...BASE, '--monitor-children'], files: { 'u.mjs': USER }, line: /--monitor-children/ },
  { name: '--monitor-metric without a URL to scrape', args: [...BASE, '--monitor-metric', 'up'], files: { 'u.mjs': USER }, line: /--monitor-metric.*--monitor-url/ },
  { name: '--metrics-host without --metrics-port', args: [...BASE, '--metrics-host', '0.0.0.0'], files: { 'u.mjs': USER }, line: /--metrics-host/ },
  { name: 'a memory-growth target with nothing watching the server', args: [...BASE], files: { 'u.mjs': RESOURCE_TARGET }, line: /memory_growth_mb_per_min needs a server to watch/ },
  { name: 'a cpu_percent target on endpoints', args: [...BASE], files: { 'u.mjs': `${USER}export const targets = [{ metric: 'cpu_percent', comparator: '<', threshold: 80, endpoints: ['GET /'] }];\n` }, line: /cpu_percent is measured on the monitored server/ },
  { name: 'a target metric misspelled as cpu_percentage', args: [...BASE], files: { 'u.mjs': `${USER}export const targets = [{ metric: 'cpu_percentage', comparator: '<', threshold: 80 }];\n` }, line: /metric must be one of/ },
];

export const CASES: readonly InputCase[] = [...cli, ...hosts, ...combinations, ...outputs, ...testFiles, ...configs, ...tomls, ...analyzer, ...replay, ...capacity, ...monitor];
