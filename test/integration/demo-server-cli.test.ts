/** `node dist/src/demo-server/main.js`: listening line, real requests, clean SIGTERM, bad flags → exit 2. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/demo-server/main.js', import.meta.url));

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function listeningUrl(child: ChildProcess): Promise<string> {
  let output = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    output += chunk.toString('utf8');
    const match = /^brood demo server listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output);
    if (match?.[1] !== undefined) return match[1];
  }
  throw new Error(`no listening line in: ${output}`);
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

test('CLI prints one listening line, serves requests with its flags and exits 0 on SIGTERM', async () => {
  const child = run(['--port', '0', '--federation', 'off', '--seed', '7']);
  const exited = exitOf(child);
  try {
    const url = await listeningUrl(child);
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    const peers = await fetch(`${url}/federation/peers`);
    assert.equal(peers.status, 404);
  } finally {
    child.kill('SIGTERM');
  }
  const { code, stderr } = await exited;
  assert.equal(code, 0);
  assert.equal(stderr, '');
});

const badFlags: Array<[string, string[], RegExp]> = [
  ['an unknown flag', ['--bogus'], /Unknown option '--bogus'/],
  ['a non-numeric latency', ['--latency-ms', 'slow'], /--latency-ms expects a number/],
  ['an error rate above 1', ['--error-rate', '1.5'], /--error-rate must be a number from 0 to 1/],
  ['a bad federation value', ['--federation', 'maybe'], /--federation expects on or off/],
  ['a negative number parseArgs takes for a flag', ['--latency-ms', '-5'], /argument is ambiguous/],
];
for (const [what, args, message] of badFlags) {
  test(`CLI exits 2 with one stderr line for ${what}`, async () => {
    const { code, stderr } = await exitOf(run(args));
    assert.equal(code, 2);
    assert.match(stderr, message);
    assert.equal(stderr.trimEnd().split('\n').length, 1, `expected one line, got: ${stderr}`);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
}
