/**
 * `--scenario websocket` from the command line against the built-in demo server (no --host):
 * ConversationUsers hold their connections, turns and pings are timed round trips, the recalls the
 * server pushes are counted in WSR rows, the pacing holds each connection to its rate, and the
 * scenario's targets are judged and met. `--list-scenarios` shows it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brood-cli-websocket-'));

interface JsonSummary {
  summary: { total_failures: number };
  validation: { all_met: boolean; targets: Array<{ label: string; endpoints: string[] | null; measured: number | null; met: boolean }> };
}

/** `_stats.csv` rows by "Type Name": Request Count is cell 2, Failure Count cell 3. */
function statsRows(prefix: string): Map<string, string[]> {
  const lines = readFileSync(`${prefix}_stats.csv`, 'utf8').trim().split('\n').slice(1);
  return new Map(lines.map((l) => l.split(',')).map((cells) => [`${cells[0]} ${cells[1]}`, cells]));
}

function count(rows: Map<string, string[]>, key: string): number {
  const row = rows.get(key);
  assert.ok(row, `a "${key}" row among ${[...rows.keys()].join(' | ')}`);
  return Number(row[2]);
}

test('--scenario websocket runs out of the box: WS and WSR rows, no failure, its targets met', { timeout: 60_000 }, async () => {
  const prefix = join(dir, 'ws');
  const r = await runCli(['--scenario', 'websocket', '-t', '5s', '-u', '10', '-r', '50', '--csv', prefix, '--json', `${prefix}.json`, '--only-summary', '--seed', '5'], { timeoutMs: 45_000 });
  // A machine too busy for brood to keep the pace says so ("brood itself is the bottleneck"): then,
  // and only then, the rate target alone may be missed (exit 1); CI once ran this beside other load.
  const overloaded = /brood itself is the bottleneck/.test(r.stdout);
  assert.ok(r.code === 0 || (r.code === 1 && overloaded), `exit ${r.code}\n${r.stderr}${r.stdout}`);
  assert.match(r.stdout, /No --host given: started the built-in demo server/);
  const rows = statsRows(prefix);
  assert.equal(count(rows, 'WS connect /ws/conversation'), 10, 'one handshake per user, none dropped and redone');
  const turns = count(rows, 'WS turn');
  const pings = count(rows, 'WS ping');
  const recalls = count(rows, 'WSR recall');
  // 10 connections paced at 10 msg/s for 5 s: at most 51 each (the first task starts at once).
  assert.ok(turns + pings >= (overloaded ? 300 : 400) && turns + pings <= 520, `messages sent: ${turns} turns + ${pings} pings`);
  assert.ok(turns > 4 * pings, `turns 90 %, pings 10 %: ${turns} / ${pings}`);
  assert.ok(recalls <= turns && recalls >= turns - 10, `a recall pushed after each turn's ack: ${recalls} for ${turns}`);
  for (const [key, cells] of rows) assert.equal(cells[3], '0', `no failure in ${key}`);
  assert.equal(rows.has('WS close /ws/conversation'), false, 'no connection was closed by the server');

  const json = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as JsonSummary;
  assert.equal(json.summary.total_failures, 0);
  assert.deepEqual(json.validation.targets.map((t) => [t.label, t.endpoints, t.met]), [
    ['Turn round trip P99', ['WS turn'], true],
    ['Error rate', null, true],
    ['Connections refused or dropped', ['WS connect /ws/conversation', 'WS close /ws/conversation'], true],
    // 10 connections × 10/s, started over 0.2 s (-r 50), for 5 s: 95 % of 10 × 10 × 4.9 / 5 = 93.1 req/s.
    // The rate is counted over the whole run, the ~0.1 s of closing the connections included: 3 s runs
    // left ~1 % of margin, and a busy CI machine once read 91.8297 against 91.83.
    ['Messages sent >= 95% of 10 conns × 10/s', ['WS turn', 'WS ping'], r.code === 0],
  ]);
  assert.equal(json.validation.all_met, r.code === 0);
});

test('--list-scenarios shows websocket, scaled, with how to run the full load', { timeout: 30_000 }, async () => {
  const r = await runCli(['--list-scenarios']);
  assert.equal(r.code, 0, r.stderr);
  const line = r.stdout.split('\n').find((l) => l.startsWith('websocket '));
  assert.ok(line, r.stdout);
  assert.match(line, /scaled: 50 conns × 10 msg\/s of the seed's 1000 × 100 \(-u 1000 --processes auto; 100\/s: README\) \(default 50 users, 60s\)$/);
});
