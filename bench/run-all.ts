/**
 * `npm run bench`: every benchmark in turn with its default settings (each prints its own
 * figures and ratio against a peer measured in the same run). Arguments after `--` are passed
 * to each, e.g. `npm run bench -- --duration 5`. Quiet machine first: see bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** [benchmark, its own arguments]; one benchmark may run in several modes. */
const BENCHES: Array<[string, string[]]> = [
  ['stats-record', []], ['stats-histogram', []], ['wake-queue', []], ['cookie-jar', []], ['throughput', ['--undici-floor']], ['undici-handoff', []], ['cookie-cost', []], ['memory-per-user', []], ['spawn', []], ['startup', []],
  ['processes', []], ['processes', ['--model', 'open', '--rate', '5000']], ['open-start', ['--rate', '10000', '--delay-ms', '100', '--pre-allocated', '3000']],
  ['ws', []], ['grpc', []], ['web-ui', []],
];
/** Benchmarks with their own settings: run-all's extra arguments are not passed to them. */
const OWN_SETTINGS = new Set(['stats-record', 'stats-histogram', 'wake-queue', 'cookie-jar', 'startup']);
const extra = process.argv.slice(2);
let failed = 0;
for (const [name, own] of BENCHES) {
  const file = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const args = [...own, ...(OWN_SETTINGS.has(name) ? [] : extra)];
  process.stdout.write(`\n=== ${name} (node ${file} ${args.join(' ')})\n`);
  const nodeFlags = name === 'wake-queue' || name === 'cookie-jar' ? ['--expose-gc'] : [];
  const r = spawnSync(process.execPath, [...nodeFlags, file, ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`=== ${name} exited with ${r.status ?? r.signal}\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
