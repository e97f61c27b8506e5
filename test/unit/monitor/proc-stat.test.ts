import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CLOCK_TICKS_PER_SEC, parseChildren, parseProcStat, parseStatusRss, type ProcStat } from '../../../src/monitor/proc-stat.js';

/**
 * A /proc/PID/stat line as Linux 6.x writes it (52 fields): pid, (comm), state, then fields 4…52.
 * utime and stime are fields 14 and 15, num_threads 20, starttime 22.
 */
function statLine(pid: number | string, comm: string, f: { ppid?: number | string; utime?: number | string; stime?: number | string; threads?: number | string; start?: number | string } = {}): string {
  const after = [
    'S', f.ppid ?? 1, 4242, 4242, 34816, 4242, 4194560, 18543, 0, 12, 0, f.utime ?? 250, f.stime ?? 75, 0, 0, 20, 0, f.threads ?? 11, 0, f.start ?? 987654,
    1206173696, 13524, '18446744073709551615', 94345412546560, 94345473216357, 140724186342832, 0, 0, 0, 0, 4096, 134234626, 0, 0, 0, 17, 1, 0, 0, 0, 0, 0,
    94345485313744, 94345485477928, 94345516027904, 140724186349455, 140724186349511, 140724186349511, 140724186353630, 0,
  ];
  return `${pid} (${comm}) ${after.join(' ')}\n`;
}

test('parseProcStat reads pid, comm, ppid, CPU seconds, threads and start time', () => {
  const cases: Array<{ name: string; text: string; want: ProcStat }> = [
    { name: 'plain node', text: statLine(4242, 'node'), want: { pid: 4242, state: 'S', comm: 'node', ppid: 1, cpuSeconds: 3.25, threads: 11, startTicks: 987654 } },
    {
      name: 'comm with spaces and parentheses: fields count from the last )',
      text: statLine(77, 'my (weird) proc', { ppid: 76, utime: 1, stime: 2, threads: 3, start: 4 }),
      want: { pid: 77, state: 'S', comm: 'my (weird) proc', ppid: 76, cpuSeconds: 0.03, threads: 3, startTicks: 4 },
    },
    {
      name: 'comm that is only ") ("',
      text: statLine(5, ') (', { utime: 0, stime: 0, threads: 1 }),
      want: { pid: 5, state: 'S', comm: ') (', ppid: 1, cpuSeconds: 0, threads: 1, startTicks: 987654 },
    },
    { name: 'comm holding what looks like fields', text: statLine(9, '1 2 3) S 4', { utime: 100, stime: 100 }), want: { pid: 9, state: 'S', comm: '1 2 3) S 4', ppid: 1, cpuSeconds: 2, threads: 11, startTicks: 987654 } },
    { name: 'empty comm, no trailing newline', text: statLine(12, '').trimEnd(), want: { pid: 12, state: 'S', comm: '', ppid: 1, cpuSeconds: 3.25, threads: 11, startTicks: 987654 } },
  ];
  for (const c of cases) assert.deepEqual(parseProcStat(c.text), c.want, c.name);
});

test('parseProcStat: malformed text is null, never a half-read stat', () => {
  const cases: Array<{ name: string; text: string }> = [
    { name: 'empty', text: '' },
    { name: 'not a stat file', text: 'hello world' },
    { name: 'no (', text: '12 node) S 1 2 3' },
    { name: 'no )', text: '12 (node S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20' },
    { name: ') before (', text: '12 )node( S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22' },
    { name: 'cut after the state', text: '12 (node) S' },
    { name: 'cut before starttime (field 22)', text: statLine(12, 'node').split(' ').slice(0, 21).join(' ') },
    { name: 'pid not a number', text: statLine('abc', 'node') },
    { name: 'pid not whole', text: statLine('12.5', 'node') },
    { name: 'utime not a number', text: statLine(12, 'node', { utime: 'x' }) },
    { name: 'threads not a number', text: statLine(12, 'node', { threads: '-' }) },
    { name: 'ppid not a number', text: statLine(12, 'node', { ppid: 'p' }) },
    // A line with no PID before "(" is not /proc/PID/stat (Number('') would make it PID 0).
    { name: 'no pid at all', text: statLine('', 'node') },
  ];
  for (const c of cases) assert.equal(parseProcStat(c.text), null, c.name);
});

test('parseProcStat reads this process\'s own /proc/self/stat', () => {
  const stat = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
  assert.ok(stat !== null);
  assert.equal(stat.pid, process.pid);
  assert.equal(stat.ppid, process.ppid);
  assert.ok(stat.threads >= 1, `threads ${stat.threads}`);
  // CPU seconds are whole ticks: within one tick of what Node counts (the test ran a little between).
  const used = process.cpuUsage();
  assert.ok(stat.cpuSeconds <= (used.user + used.system) / 1e6 + 1 / CLOCK_TICKS_PER_SEC + 0.05, `${stat.cpuSeconds} s`);
  assert.ok(stat.cpuSeconds > 0);
});

test('parseStatusRss: VmRSS in bytes, null without it', () => {
  const status = (rss: string | null): string =>
    ['Name:\tnode', 'Umask:\t0022', 'State:\tS (sleeping)', 'Tgid:\t4242', 'Pid:\t4242', 'PPid:\t1', 'VmPeak:\t 1234567 kB', 'VmSize:\t 1177904 kB', 'VmHWM:\t   60000 kB',
      ...(rss === null ? [] : [`VmRSS:\t${rss}`]), 'RssAnon:\t   30000 kB', 'Threads:\t11', ''].join('\n');
  const cases: Array<{ name: string; text: string; want: number | null }> = [
    { name: 'usual', text: status('   54096 kB'), want: 54096 * 1024 },
    { name: 'zero', text: status('       0 kB'), want: 0 },
    { name: 'huge', text: status('16777216 kB'), want: 16 * 1024 * 1024 * 1024 },
    { name: 'zombie: no VmRSS line', text: status(null), want: null },
    { name: 'kernel thread: no Vm lines at all', text: 'Name:\tkthreadd\nState:\tS (sleeping)\nThreads:\t1\n', want: null },
    { name: 'VmRSS without a number', text: status('   kB'), want: null },
    { name: 'VmHWM is not VmRSS', text: 'VmHWM:\t 100 kB\n', want: null },
    { name: 'empty', text: '', want: null },
  ];
  for (const c of cases) assert.equal(parseStatusRss(c.text), c.want, c.name);
});

test('parseStatusRss reads this process\'s own /proc/self/status, close to what Node says', () => {
  const rss = parseStatusRss(readFileSync('/proc/self/status', 'utf8'));
  assert.ok(rss !== null);
  const node = process.memoryUsage.rss();
  assert.ok(Math.abs(rss - node) < 16 * 1024 * 1024, `/proc ${rss} vs Node ${node}`);
});

test('parseChildren: the PIDs of a task\'s children file', () => {
  const cases: Array<{ name: string; text: string; want: number[] }> = [
    { name: 'none', text: '', want: [] },
    { name: 'one, with the kernel\'s trailing space', text: '4243 ', want: [4243] },
    { name: 'several', text: '4243 4250 5001 ', want: [4243, 4250, 5001] },
    { name: 'newline and tabs', text: '\n12\t13\n', want: [12, 13] },
    { name: 'junk dropped', text: 'x 12 -3 0 1.5 14', want: [12, 14] },
  ];
  for (const c of cases) assert.deepEqual(parseChildren(c.text), c.want, c.name);
});
